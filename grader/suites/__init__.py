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
