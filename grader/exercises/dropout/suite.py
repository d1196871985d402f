"""Hidden suite for dropout: the 1/(1 - p) scaling in training and none in evaluation, the mask drawn the
contract's way (one rng.random(x.shape) call from default_rng(seed), keep where u >= p), p = 0 and
p = 1, p outside [0, 1], and the backward pass's scaling.

When an answer is wrong, each case's checker recomputes the classic mistakes on the case's own inputs
and names the one the answer matches (without quoting data).
"""

from dataclasses import replace
from functools import partial

import numpy as np

from grader.grading import compare
from grader.grading.suite import hidden, public
from grader.grading.generators import named_rng
from grader.grading.compare import tuple_of
def check_mask(expected, actual):
    """The boolean keep-mask, exactly; 0/1 numbers are accepted for True/False."""
    exp = np.asarray(expected, dtype=bool)
    act = compare.numeric_array(actual)
    if act is None:
        return compare.safe("return the mask as a boolean array of x's shape", compare.TYPE)
    if act.shape != exp.shape:
        return compare.safe("the mask must have x's shape", compare.SHAPE)
    if np.array_equal(act.astype(np.float64), exp.astype(np.float64)):
        return None
    if np.all(np.isin(act, (0, 1))):
        return compare.safe("the mask keeps or drops other elements than expected")
    return compare.safe("the mask must hold True (kept) and False (dropped), not scaled values: the 1 / (1 - p) "
                        "scaling belongs in y", compare.VALUE)


_forward = tuple_of(("y", compare.float_array), ("mask", check_mask))


def _draw(shape, p, seed, how):
    if how == "legacy":
        np.random.seed(seed)
        return np.random.rand(*shape) >= p
    u = np.random.default_rng(seed).random(shape)
    return {"ge": u >= p, "gt": u > p, "keep_below": u < 1 - p, "p_is_keep": u >= 1 - p}[how]


def _dropout_variant(x, p, training, seed, *, draw="ge", scale="inverse", eval_scale=None):
    """dropout with one classic mistake switched on (for naming it, never for expected values)."""
    x = np.asarray(x, dtype=np.float64)
    if not training:
        factor = {None: 1.0, "times_keep": 1.0 - p, "inverse": 1.0 / (1.0 - p) if p < 1 else np.inf}[eval_scale]
        return x * factor, np.ones(x.shape, dtype=bool)
    mask = _draw(x.shape, p, seed, draw)
    factor = {"inverse": 1.0 / (1.0 - p) if p < 1 else 0.0, "none": 1.0, "keep_is_p": 1.0 / p if p > 0 else 0.0}[scale]
    return np.where(mask, x * factor, 0.0), mask


DROPOUT_MISTAKES = {
    "y: kept elements are not scaled: in training multiply them by 1 / (1 - p) (inverted dropout)":
        dict(scale="none"),
    "y: in evaluation dropout is the identity: no 1 - p factor (inverted dropout scales at training time)":
        dict(eval_scale="times_keep"),
    "y: in evaluation dropout is the identity: no 1 / (1 - p) factor": dict(eval_scale="inverse"),
    "the mask keeps where u > p; the contract keeps where u >= p (an equal draw is kept)": dict(draw="gt"),
    "the mask keeps where u < 1 - p; the contract keeps where u >= p, with u = "
    "np.random.default_rng(seed).random(x.shape)": dict(draw="keep_below"),
    "the mask comes from the legacy global generator (np.random.seed / rand); draw it with "
    "np.random.default_rng(seed).random(x.shape)": dict(draw="legacy"),
    "p is the probability of DROPPING an element, not of keeping it": dict(draw="p_is_keep", scale="keep_is_p"),
}


def _diagnose(args, kwargs, expected, actual):
    problem = _forward(expected, actual)
    if problem is None or problem.kind not in (compare.VALUE, compare.NAN):
        return problem
    for text, switches in DROPOUT_MISTAKES.items():
        try:
            with np.errstate(all="ignore"):
                candidate = _dropout_variant(*args, **kwargs, **switches)
        except (ValueError, ZeroDivisionError):
            continue
        if _forward(candidate, actual) is None and _forward(candidate, expected) is not None:
            return compare.safe(text)
    if problem.kind == compare.NAN:
        return compare.safe("y: nan where a number was expected: with p = 1 every element is dropped and y is 0 "
                            "(1 / (1 - p) is infinite)", compare.NAN)
    return problem


def check_backward(expected, actual, p=None):
    problem = compare.float_array(expected, actual)
    if problem is None or problem.kind not in (compare.VALUE, compare.NAN):
        return problem
    if problem.kind == compare.NAN:
        return compare.safe("nan where a number was expected: with p = 1 the gradient is all zeros", compare.NAN)
    exp, act = np.asarray(expected, dtype=np.float64), compare.numeric_array(actual).astype(np.float64)
    norm = float(np.sum(exp * exp))
    if norm > 0:
        k = float(np.sum(exp * act)) / norm
        if np.allclose(act, k * exp, rtol=1e-5, atol=1e-9) and not np.isclose(k, 1.0):
            if p is not None and 0 < p < 1 and np.isclose(k, 1 - p):
                return compare.safe("the gradient is off by a factor 1 / (1 - p): the backward pass scales the kept "
                                    "elements as the forward pass did")
            if p is not None and 0 < p < 1 and np.isclose(k, 1 / (1 - p)):
                return compare.safe("the gradient is scaled by 1 / (1 - p) twice: once is enough")
            return compare.safe("the gradient is off by a constant factor: dx = dy * mask / (1 - p), the forward "
                                "pass's own scaling")
    return compare.safe("dx differs: the dropped elements get 0 and the kept ones dy / (1 - p)")


CHECKS = {"dropout": _forward, "dropout_backward": check_backward}


def _diagnosed(case):
    if case.func == "dropout_backward":
        p = case.args[2] if len(case.args) > 2 else case.kwargs.get("p")
        return replace(case, check=partial(check_backward, p=p))
    return replace(case, check=partial(_diagnose, case.args, case.kwargs))


def _seed_with_draw_equal_to(rng):
    """A seed and the value of its first draw: with p equal to it, that element must be kept (u >= p)."""
    seed = int(rng.integers(0, 2**31))
    return seed, float(np.random.default_rng(seed).random((3, 4))[0, 0])


def _random_forward(rng, i):
    shape = tuple(int(v) for v in rng.integers(1, 6, size=int(rng.integers(1, 4))))
    return hidden(f"random_dropout_{i}", "random shape, p and seed, in training", "dropout",
                  rng.normal(size=shape), float(rng.choice([0.1, 0.3, 0.5, 0.7, 0.9])), True,
                  int(rng.integers(0, 2**31)))


def _random_backward(rng, i):
    shape = tuple(int(v) for v in rng.integers(1, 6, size=int(rng.integers(1, 4))))
    return hidden(f"random_backward_{i}", "random shape, mask and p", "dropout_backward",
                  rng.normal(size=shape), rng.random(shape) >= 0.4, float(rng.uniform(0.05, 0.95)))


def cases(seeded):
    rng = named_rng()  # the named cases' data is the same at every seed; random cases use `seeded`
    doc_x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    x = rng.normal(size=(4, 5)) + 2.0
    seeds = [int(s) for s in rng.integers(0, 2**31, size=4)]
    equal_seed, equal_p = _seed_with_draw_equal_to(rng)
    mask = rng.random((4, 5)) >= 0.5
    out = [
        public("docstring_training", "the training example in the docstring", "dropout", doc_x, 0.5, True, 0),
        public("docstring_evaluation", "the evaluation example in the docstring", "dropout", doc_x, 0.5, False, 0),
        public("docstring_backward", "the dropout_backward example in the docstring", "dropout_backward",
               np.ones((2, 3)), np.array([[True, False, True], [False, True, True]]), 0.75),

        hidden("training_p_0_5", "p = 0.5 in training: kept elements doubled", "dropout", x, 0.5, True, seeds[0]),
        hidden("training_p_0_2", "p = 0.2: kept elements scaled by 1.25, most of them kept", "dropout",
               x, 0.2, True, seeds[1]),
        hidden("training_p_0_8", "p = 0.8: kept elements scaled by 5, most of them dropped", "dropout",
               x, 0.8, True, seeds[2]),
        hidden("same_input_other_seed", "the same x and p with another seed: another mask", "dropout",
               x, 0.5, True, seeds[3]),
        hidden("three_axes", "a (2, 3, 4) input: one rng.random(x.shape) call in C order", "dropout",
               rng.normal(size=(2, 3, 4)), 0.4, True, seeds[0]),
        hidden("draw_equal_to_p", "a draw exactly equal to p is kept (u >= p, not u > p)", "dropout",
               rng.normal(size=(3, 4)) + 1.0, equal_p, True, equal_seed),
        hidden("p_zero_training", "p = 0 in training: nothing dropped, y = x", "dropout", x, 0.0, True, seeds[1]),
        hidden("p_one_training", "p = 1 in training: everything dropped, y all zeros (no 0 * inf = nan)",
               "dropout", x, 1.0, True, seeds[2]),
        hidden("p_one_int", "p = 1 given as the int 1", "dropout", x, 1, True, seeds[2]),
        hidden("evaluation_identity", "evaluation: y = x unscaled, mask all True", "dropout", x, 0.3, False, seeds[0]),
        hidden("evaluation_p_0_8", "evaluation with p = 0.8: still the identity", "dropout",
               rng.normal(size=(2, 3, 2)), 0.8, False, seeds[1]),
        hidden("evaluation_p_one", "evaluation with p = 1: still the identity", "dropout", x, 1.0, False, seeds[1]),
        hidden("int_lists", "nested lists of ints: y is float", "dropout", [[1, 2, 3, 4], [5, 6, 7, 8]], 0.25, True,
               seeds[3]),
        hidden("vector", "a 1-d input", "dropout", rng.normal(size=9), 0.6, True, seeds[2]),
        hidden("p_negative", "p = -0.1 raises ValueError", "dropout", x, -0.1, True, seeds[0]),
        hidden("p_above_one", "p = 1.5 raises ValueError", "dropout", x, 1.5, True, seeds[0]),
        hidden("p_above_one_evaluation", "p = 1.5 raises ValueError in evaluation too", "dropout",
               x, 1.5, False, seeds[0]),

        hidden("backward_p_0_5", "backward with p = 0.5: kept gradients doubled", "dropout_backward",
               rng.normal(size=(4, 5)), mask, 0.5),
        hidden("backward_p_0_2", "backward with p = 0.2: kept gradients scaled by 1.25", "dropout_backward",
               rng.normal(size=(4, 5)), mask, 0.2),
        hidden("backward_p_zero", "backward with p = 0 and every element kept: dx = dy", "dropout_backward",
               rng.normal(size=(3, 3)), np.ones((3, 3), dtype=bool), 0.0),
        hidden("backward_p_one", "backward with p = 1: all zeros, no nan", "dropout_backward",
               rng.normal(size=(3, 3)), np.zeros((3, 3), dtype=bool), 1.0),
        hidden("backward_int_mask", "the mask given as 0/1 integers", "dropout_backward",
               rng.normal(size=(2, 4)), (rng.random((2, 4)) >= 0.5).astype(np.int64), 0.5),
        hidden("backward_p_invalid", "p = 1.2 raises ValueError", "dropout_backward",
               np.ones((2, 2)), np.ones((2, 2), dtype=bool), 1.2),
        hidden("backward_shape_mismatch", "a mask of another shape raises ValueError", "dropout_backward",
               np.ones((2, 3)), np.ones((3, 2), dtype=bool), 0.5),
    ]
    out += [_random_forward(seeded, i) for i in range(3)]
    out += [_random_backward(seeded, i) for i in range(2)]
    return [_diagnosed(case) for case in out]
