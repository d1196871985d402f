"""Hidden suite for softmax_ce: logits of +-1e4 (exp overflow, log of an underflowed probability),
the axis, ignore_index and the mean over the rows that count, and the gradient's scale and sign.

Sizes stay below a few hundred elements so that a pure-Python loop answer passes easily.
"""

import numpy as np

from grader.grading import compare
from grader.grading.suite import hidden, public
from grader.grading.generators import named_rng
from grader.grading.compare import tuple_of
def _sums_to_one(arr, axis):
    return arr.shape[axis] > 0 and np.allclose(arr.sum(axis=axis), 1.0, rtol=1e-6, atol=1e-6)


def check_softmax(expected, actual):
    problem = compare.float_array(expected, actual)
    if problem is None or problem.kind not in (compare.NAN, compare.VALUE):
        return problem
    exp, act = np.asarray(expected, dtype=np.float64), compare.numeric_array(actual).astype(np.float64)
    if not np.all(np.isfinite(act)):
        return compare.safe("nan or inf where every expected probability is finite: exp overflowed (or every "
                            "exp underflowed to 0); subtract each slice's own maximum along the axis first",
                            compare.NAN)
    right = {ax for ax in range(exp.ndim) if _sums_to_one(exp, ax)}
    summed = {ax for ax in range(act.ndim) if _sums_to_one(act, ax)}
    if summed and not summed & right:
        return compare.safe("the probabilities sum to 1 along the wrong axis: normalise along `axis`")
    return problem


def _counted_rows(dlogits):
    # A counted row's gradient is softmax - onehot, which is 0 only if the softmax is exactly one-hot.
    return int(np.count_nonzero(np.any(dlogits != 0, axis=1))) if dlogits.ndim == 2 else 0


def check_loss_and_grad(expected, actual):
    problem = _check_pair(expected, actual)
    if problem is None or problem.kind not in (compare.NAN, compare.VALUE):
        return problem
    exp_loss, exp_grad = float(expected[0]), np.asarray(expected[1], dtype=np.float64)
    act_loss, act_grad = actual
    n, v = exp_grad.shape[0], _counted_rows(exp_grad)
    if isinstance(act_loss, (int, float)) and not isinstance(act_loss, bool):
        if np.isnan(exp_loss) and not np.isnan(act_loss):
            return compare.safe("loss: with no counted row (N = 0, or every label == ignore_index) the loss is "
                                "nan, the mean over zero rows, as in torch")
        if np.isfinite(exp_loss) and not np.isfinite(act_loss):
            return compare.safe("loss: inf or nan for finite logits: np.log of a probability that underflowed to 0; "
                                "compute log-softmax as x - max - log(sum(exp(x - max)))", compare.NAN)
        if 0 < v < n and np.isclose(act_loss, exp_loss * v / n, rtol=1e-6, atol=0) and exp_loss != 0:
            return compare.safe("loss: averaged over all N rows; divide by the number of rows whose label is "
                                "not ignore_index")
        if v > 1 and np.isclose(act_loss, exp_loss * v, rtol=1e-6, atol=0) and exp_loss != 0:
            return compare.safe("loss: summed over the rows; it is the mean over the counted rows")
    grad = compare.numeric_array(act_grad)
    if grad is None or grad.shape != exp_grad.shape or not problem.text.startswith("dlogits"):
        return problem
    grad = grad.astype(np.float64)
    if not np.all(np.isfinite(grad)):
        return compare.safe("dlogits: nan or inf for finite logits: compute the softmax stably", compare.NAN)
    zero_rows = ~np.any(exp_grad != 0, axis=1)
    if np.any(np.abs(grad[zero_rows]) > 1e-6) and np.allclose(grad[~zero_rows], exp_grad[~zero_rows],
                                                              rtol=1e-5, atol=1e-6):
        return compare.safe("dlogits: rows whose label is ignore_index must get a zero gradient")
    norm = float(np.sum(exp_grad * exp_grad))
    if norm > 0:
        k = float(np.sum(exp_grad * grad)) / norm
        if np.allclose(grad, k * exp_grad, rtol=1e-5, atol=1e-9):
            if np.isclose(k, -1.0):
                return compare.safe("dlogits: the gradient has the wrong sign: d loss / d logits = softmax - onehot")
            return compare.safe("dlogits: off by a constant factor: the loss is a mean over the counted rows, so "
                                "divide softmax - onehot by their number")
    return problem


_check_pair = tuple_of(("loss", compare.scalar), ("dlogits", compare.float_array))

CHECKS = {"softmax": check_softmax, "cross_entropy": check_loss_and_grad}


def _labels(rng, n, c, ignored=0, ignore_index=-100):
    labels = rng.integers(0, c, size=n)
    labels[rng.permutation(n)[:ignored]] = ignore_index
    return labels


def _random_softmax(rng, i):
    ndim = int(rng.integers(1, 4))
    shape = tuple(int(v) for v in rng.integers(1, 6, size=ndim))
    x = rng.normal(scale=float(rng.choice([1.0, 10.0, 1000.0])), size=shape)
    return hidden(f"random_softmax_{i}", "random shape, scale and axis", "softmax",
                  x, axis=int(rng.integers(-ndim, ndim)))


def _random_ce(rng, i):
    n, c = int(rng.integers(2, 9)), int(rng.integers(2, 7))
    logits = rng.normal(scale=float(rng.choice([1.0, 5.0, 100.0])), size=(n, c))
    return hidden(f"random_cross_entropy_{i}", "random logits and labels, some rows ignored", "cross_entropy",
                  logits, _labels(rng, n, c, ignored=int(rng.integers(0, n))))


def cases(seeded):
    rng = named_rng()  # the named cases' data is the same at every seed; random cases use `seeded`
    big = 1e4
    out = [
        public("docstring_softmax_rows", "the first softmax example in the docstring", "softmax",
               np.array([[1.0, 2.0, 3.0], [1e4, 0.0, -1e4]])),
        public("docstring_softmax_axis_0", "the second softmax example in the docstring (axis=0)", "softmax",
               [[0.0, 0.0], [0.0, np.log(3)]], axis=0),
        public("docstring_cross_entropy", "the cross_entropy example in the docstring", "cross_entropy",
               np.array([[0.0, 0.0], [0.0, 1e4], [3.0, 1.0]]), np.array([1, 0, -100])),

        # softmax: stability.
        hidden("softmax_huge_positive", "logits near +1e4: exp overflows unless shifted by the max", "softmax",
               np.array([[big, big - 1.0, big - 3.0], [big, 0.0, -big]]) * rng.choice([1.0, 0.5])),
        hidden("softmax_huge_negative", "every logit of a row near -1e4: each exp underflows to 0 (0 / 0)",
               "softmax", np.array([[-big, -big - 1.0, -big + 2.0], [0.5, -0.5, 0.0]])),
        hidden("softmax_rows_on_different_scales",
               "one row near +1e4, another near -1e4: shift each row by its own max, not the global one",
               "softmax", np.array([[big, big - 2.0, big + 1.0], [-big, -big + 1.0, -big - 1.0]])),
        hidden("softmax_equal_logits", "equal logits: a uniform distribution", "softmax", np.full((2, 4), 7.5)),
        # softmax: shapes and axes.
        hidden("softmax_vector", "a 1-d vector", "softmax", rng.normal(size=5)),
        hidden("softmax_square_matrix",
               "a square matrix: a max or sum without keepdims broadcasts along the wrong axis silently",
               "softmax", rng.normal(size=(4, 4)) * 3),
        hidden("softmax_axis_0", "axis=0 on a 2-d array: columns sum to 1", "softmax",
               rng.normal(size=(3, 5)), axis=0),
        hidden("softmax_middle_axis", "a 3-d array along its middle axis", "softmax",
               rng.normal(size=(2, 3, 4)), axis=1),
        hidden("softmax_negative_axis", "axis=-2 counts from the end", "softmax",
               rng.normal(size=(2, 3, 4)), axis=-2),
        hidden("softmax_axis_of_one", "an axis of length 1: every probability is 1", "softmax",
               rng.normal(size=(3, 1)) * 100),
        hidden("softmax_int_list", "nested lists of ints", "softmax", [[1, 2], [3, 4], [0, 0]]),
        hidden("softmax_empty", "an empty (0, 3) array gives an empty array", "softmax", np.zeros((0, 3))),
        hidden("softmax_axis_out_of_range", "axis out of range raises ValueError", "softmax",
               np.ones((2, 3)), axis=2),
        hidden("softmax_scalar", "a plain number (no axis) raises ValueError", "softmax", 3.0),

        # cross_entropy: stability.
        hidden("ce_huge_logit_wrong_class",
               "a logit of 1e4 on a wrong class: log(softmax) of the label underflows to -inf; the loss is finite",
               "cross_entropy", np.array([[big, 0.0, -big], [0.0, big, 0.0]]), np.array([2, 0])),
        hidden("ce_huge_logit_right_class", "a logit of 1e4 on the label: the loss is 0, no overflow",
               "cross_entropy", np.array([[big, 0.0, -big], [-big, big, 0.0]]), np.array([0, 1])),
        hidden("ce_huge_negative_logits", "every logit near -1e4: exp underflows to 0 without the max shift",
               "cross_entropy", np.array([[-big, -big - 2.0, -big + 1.0]]), np.array([1])),
        # cross_entropy: which rows count.
        hidden("ce_mean_over_rows", "4 rows, none ignored: the loss is the mean, not the sum",
               "cross_entropy", rng.normal(size=(4, 3)), np.array([0, 2, 1, 2])),
        hidden("ce_ignored_rows", "2 of 5 rows ignored (-100): the mean runs over the 3 counted rows",
               "cross_entropy", rng.normal(size=(5, 4)) * 2, np.array([3, -100, 0, -100, 1])),
        hidden("ce_ignored_rows_get_no_gradient", "an ignored row with large logits gets exactly zero gradient",
               "cross_entropy", np.array([[1.0, 2.0, 0.5], [9.0, -4.0, 3.0], [0.0, 0.0, 1.0]]),
               np.array([1, -100, 2])),
        hidden("ce_custom_ignore_index", "ignore_index=-1: rows labelled -1 are ignored, -100 is not special",
               "cross_entropy", rng.normal(size=(4, 3)), np.array([-1, 2, 0, -1]), ignore_index=-1),
        hidden("ce_ignore_index_is_a_class", "ignore_index=1, a valid class: rows labelled 1 are ignored",
               "cross_entropy", rng.normal(size=(5, 3)), np.array([1, 0, 2, 1, 2]), ignore_index=1),
        hidden("ce_all_ignored", "every row ignored: the loss is nan and the gradient all zeros, as in torch",
               "cross_entropy", rng.normal(size=(3, 4)), np.array([-100, -100, -100])),
        hidden("ce_empty_batch", "N = 0: loss nan, gradient of shape (0, C)", "cross_entropy",
               np.zeros((0, 3)), np.zeros(0, dtype=np.int64)),
        hidden("ce_single_class", "C = 1: the loss and gradient are 0", "cross_entropy",
               rng.normal(size=(3, 1)), np.array([0, 0, 0])),
        hidden("ce_single_row", "one row: the gradient is softmax - onehot itself", "cross_entropy",
               np.array([[2.0, -1.0, 0.5, 0.0]]), np.array([3])),
        hidden("ce_lists", "nested lists as logits and labels", "cross_entropy",
               [[1, 2, 3], [3, 2, 1]], [2, 1]),
        hidden("ce_more_rows_than_classes", "N = 6 rows, C = 2 classes", "cross_entropy",
               rng.normal(size=(6, 2)) * 4, np.array([0, 1, 1, 0, -100, 1])),
        # cross_entropy: errors.
        hidden("ce_label_out_of_range", "a label equal to C raises ValueError", "cross_entropy",
               np.zeros((2, 3)), np.array([0, 3])),
        hidden("ce_negative_label", "a negative label other than ignore_index raises ValueError (no wrapping)",
               "cross_entropy", np.zeros((2, 3)), np.array([0, -1])),
        hidden("ce_labels_shape_mismatch", "labels of the wrong length raise ValueError", "cross_entropy",
               np.zeros((3, 2)), np.array([0, 1])),
        hidden("ce_logits_not_2d", "1-d logits raise ValueError", "cross_entropy",
               np.zeros(3), np.array([0])),
    ]
    out += [_random_softmax(seeded, i) for i in range(4)]
    out += [_random_ce(seeded, i) for i in range(4)]
    return out
