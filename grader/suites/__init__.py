"""One hidden suite per exercise, named after it (see grader.engine.suite for what a suite defines)."""

import numpy as np

from grader.engine import compare


def random_boxes(rng, n, *, low=0.0, high=100.0, min_side=1.0, max_side=30.0):
    """``n`` random (x1, y1, x2, y2) boxes with top-left corners in [low, high) and sides in
    [min_side, max_side): the box suites draw their random cases from this one generator."""
    xy = rng.uniform(low, high, size=(n, 2))
    wh = rng.uniform(min_side, max_side, size=(n, 2))
    return np.hstack([xy, xy + wh])


def tuple_of(*parts):
    """A checker for a function that returns a tuple: ``parts`` are (name, checker) pairs, checked in
    order; a problem is introduced by the name of the part it is about."""
    names = ", ".join(name for name, _ in parts)

    def check(expected, actual):
        if isinstance(actual, np.ndarray) or not isinstance(actual, (tuple, list)):
            return compare.safe(f"returned a single value; return a tuple ({names})", compare.TYPE)
        if len(actual) != len(parts):
            return compare.safe(f"returned {len(actual)} values; return a tuple ({names})", compare.COUNT)
        for (name, checker), exp, act in zip(parts, expected, actual):
            problem = compare.as_problem(checker(exp, act))
            if problem:
                return problem.prefixed(f"{name}: ")
        return None

    return check


def named_rng():
    """The generator of the named cases' data. It is the same at every seed, so what a named case
    catches never depends on the seed: only the random cases (and the large ones) vary with it."""
    return np.random.default_rng(20240610)


def small_ints(rng, *shape, bound=4):
    """Integers in [-bound, bound] as floats: sums of them are exact, so a misplaced or missing term shows
    up as a clear difference."""
    return rng.integers(-bound, bound + 1, size=shape).astype(np.float64)


def int_or_pair(rng, low, high):
    """An int or an (h, w) pair in [low, high], so that both spellings of a size argument get exercised."""
    if rng.random() < 0.5:
        return int(rng.integers(low, high + 1))
    return (int(rng.integers(low, high + 1)), int(rng.integers(low, high + 1)))


def as_pair(value):
    return (value, value) if isinstance(value, int) else tuple(value)


def tensor_check(*axes, rtol=compare.RTOL, atol=compare.ATOL):
    """A checker for one float array whose axes have names, e.g. ``tensor_check("N", "C*KH*KW", "L")``;
    a leading ``"..."`` stands for any number of batch axes. A wrong shape is said in those names, not
    in numbers, so hidden cases can show it."""
    def check(expected, actual):
        problem = compare.float_array(expected, actual, rtol=rtol, atol=atol)
        if problem is None or problem.kind != compare.SHAPE:
            return problem
        array = compare.numeric_array(actual)
        if array is None:  # a bare number, or something that is no array at all: float_array said it
            return problem
        exp_shape, act_shape = np.shape(expected), array.shape
        names = list(axes)
        if names and names[0] == "...":
            names = [f"batch axis {i}" for i in range(len(exp_shape) - len(names) + 1)] + names[1:]
        wanted = f"({', '.join(axes)})"
        if len(act_shape) != len(exp_shape):
            return compare.safe(f"returned an array with {len(act_shape)} axes, expected {len(exp_shape)}: "
                                f"{wanted}", compare.SHAPE)
        off = [name for name, e, a in zip(names, exp_shape, act_shape) if e != a]
        return compare.safe(f"the shape is wrong along {', '.join(off)}; expected {wanted}", compare.SHAPE)

    return check


def diagnosing(case, check, known_mistakes, *, kinds=(compare.VALUE,), otherwise=None):
    """``case`` with a checker that, once ``check`` finds a wrong value it cannot explain in words a
    hidden case may show, looks for the classic mistakes giving exactly that value and names them.
    ``known_mistakes(*case.args, **case.kwargs)`` yields (what the mistake returns, the sentence that
    names it); the grader computes them in its own process, the attempt is never run twice.

    On a small input several mistakes can give the same answer: then each is named (three at most),
    never a guess between them. ``kinds`` are the problem kinds worth explaining (None: all of them);
    ``otherwise(expected, actual, problem)`` has the last word when no mistake matches."""
    from dataclasses import replace

    def checked(expected, actual):
        problem = compare.as_problem(check(expected, actual))
        if problem is None or problem.safe or (kinds is not None and problem.kind not in kinds):
            return problem
        matched = []
        try:
            with np.errstate(all="ignore"):
                for value, sentence in known_mistakes(*case.args, **case.kwargs):
                    if sentence not in matched and compare.as_problem(check(value, actual)) is None:
                        matched.append(sentence)
        except (ValueError, TypeError, IndexError, ZeroDivisionError, FloatingPointError):
            pass  # a mistake that is not even defined on this input
        if len(matched) == 1:
            return compare.safe(matched[0])
        if matched:
            return compare.safe("one of these mistakes gives exactly this answer: "
                                + "; ".join(f"({i}) {s}" for i, s in enumerate(matched[:3], 1)))
        return otherwise(expected, actual, problem) if otherwise else problem

    return replace(case, check=checked)
