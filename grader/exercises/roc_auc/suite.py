"""Hidden suite for roc_auc: ties (across and within classes, all scores equal, the top score tied),
input order, class balance, the curve's two ends and its orientation, the label and input checks, and
n = 100,000 for each function (O(n log n) against the O(n^2) pair count or threshold sweep).

The checkers know the classic mistakes: the wrong answer is recomputed in the grader from the case's
arguments (never by running the attempt twice) and named in words that hidden cases may show.
"""

from dataclasses import replace

import numpy as np

from grader.grading import compare
from grader.grading.suite import hidden, public
from grader.grading.generators import named_rng
from grader.grading.compare import tuple_of
from grader.grading.suite import diagnosing
# --- checkers ---------------------------------------------------------------------------------------

def check_thresholds(expected, actual):
    """Floats within tolerance, and inf exactly where inf is expected: a tolerance of rtol * inf would
    let any number stand for it (and inf - inf is nan, so the infs are matched apart)."""
    exp = np.asarray(expected, dtype=np.float64)
    act = compare.numeric_array(actual)
    if act is None or act.shape != exp.shape:
        return compare.float_array(expected, actual)  # not an array of the right length: say so
    act = act.astype(np.float64)
    inf = np.isposinf(exp)
    if np.array_equal(inf, np.isposinf(act)):
        return compare.float_array(np.where(inf, 0.0, exp), np.where(inf, 0.0, act))
    if exp.size > 1 and np.allclose(act[:-1], exp[1:], rtol=compare.RTOL, atol=compare.ATOL):
        return compare.safe("shifted by one point: thresholds[i] is the threshold at which point i is "
                            "reached, so thresholds[0] is inf and thresholds[1] the highest score")
    if np.isfinite(act[0]):
        return compare.safe("the first threshold must be inf (no sample scores above it, so the curve starts "
                            "at (0, 0)), not max(score) + 1 or any other number")
    return compare.safe("inf is the first threshold, and only the first: the others are the distinct scores, "
                        "highest first")


_check_curve = tuple_of(("fpr", compare.float_array), ("tpr", compare.float_array),
                        ("thresholds", check_thresholds))


def check_curve(expected, actual):
    """The three arrays; a wrong curve of the right form gets a data-free word on its shape."""
    return _shape_hint(expected, actual, _check_curve(expected, actual))


def _shape_hint(expected, actual, problem):
    """What is wrong with the form of the curve, in words free of data, when ``problem`` is not."""
    if problem is None or problem.safe:
        return problem
    parts = [compare.numeric_array(a) for a in actual]
    if any(p is None or p.ndim != 1 for p in parts) or len({p.size for p in parts}) != 1:
        return problem
    fpr, tpr, thr = (p.astype(np.float64) for p in parts)
    size = len(expected[0])
    if fpr.size and (np.any(np.diff(fpr) < 0) or np.any(np.diff(tpr) < 0)):
        return compare.safe("fpr and tpr must never decrease along the curve: lower the threshold from the "
                            "highest score to the lowest (and keep each label with its score when sorting)")
    if fpr.size > size:
        return compare.safe("more points than distinct scores + 1: samples with equal scores are let in by "
                            "one threshold, so they make one step of the curve, not one point each")
    if fpr.size and (fpr[0] != 0 or tpr[0] != 0) and fpr.size == size - 1:
        return compare.safe("one point short: the curve starts at (0, 0), with threshold inf, before the "
                            "highest score is let in")
    if fpr.size and (not np.isclose(fpr[-1], 1) or not np.isclose(tpr[-1], 1)):
        return compare.safe("the curve must end at (1, 1): at the lowest score every sample is predicted "
                            "positive (fpr = FP / negatives, tpr = TP / positives)")
    if fpr.size > 2 and np.any(np.diff(thr[1:]) > 0):
        return compare.safe("the thresholds must fall from inf through the distinct scores, highest first: sort "
                            "the scores in decreasing order")
    if fpr.size < size:
        return compare.safe("fewer points than distinct scores + 1: one point per distinct score, none "
                            "dropped (not even where three points lie on a line: drop_intermediate=False)")
    return problem


CHECKS = {"roc_curve": check_curve, "roc_auc": compare.scalar}


# --- classic mistakes, recomputed for the checkers' messages -----------------------------------------

def _counts(y_true, y_score, sort_labels=True):
    """Cumulative TP and FP at each distinct score, highest first, and the distinct scores; with
    ``sort_labels=False`` the labels are left in input order (the scores sorted without them)."""
    y, s = np.asarray(y_true) == 1, np.asarray(y_score, dtype=np.float64)
    order = np.argsort(-s, kind="stable")
    s, y = s[order], y[order] if sort_labels else y
    last = np.flatnonzero(np.r_[s[1:] != s[:-1], True])
    tps = np.cumsum(y)[last].astype(np.float64)
    return tps, (last + 1) - tps, s[last]


_LABELS_LEFT = ("the labels were not reordered with the scores: sort the (score, label) pairs together, so that "
                "each sample keeps its own label")


def _curve_mistakes(y_true, y_score):
    tps, fps, scores = _counts(y_true, y_score)
    p, n = tps[-1], fps[-1]
    fpr, tpr, thr = np.r_[0, fps / n], np.r_[0, tps / p], np.r_[np.inf, scores]
    if fps.size > 2:  # sklearn's default drop_intermediate=True: only the corners of the curve are kept
        corner = np.r_[True, np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), True]
        yield ((np.r_[0, fps[corner] / n], np.r_[0, tps[corner] / p], np.r_[np.inf, scores[corner]]),
               "points on a straight line were dropped (scikit-learn's default drop_intermediate=True): the "
               "contract keeps one point per distinct score")
    yield ((tpr, fpr, thr), "fpr and tpr are swapped: return (fpr, tpr, thresholds), fpr = FP / negatives first")
    yield ((fpr[::-1], tpr[::-1], thr[::-1]), "the curve is reversed: it runs from threshold inf at (0, 0) "
           "to the lowest score at (1, 1)")
    unsorted_tps, unsorted_fps, _ = _counts(y_true, y_score, sort_labels=False)
    yield ((np.r_[0, unsorted_fps / n], np.r_[0, unsorted_tps / p], thr), _LABELS_LEFT)
    yield ((np.r_[0, fps / p], np.r_[0, tps / n], thr), "the denominators are swapped: fpr = FP / negatives, "
           "tpr = TP / positives")
    yield ((np.r_[0, fps / (p + n)], np.r_[0, tps / (p + n)], thr), "fpr and tpr were divided by the number of "
           "samples: fpr = FP / negatives, tpr = TP / positives")


def _area(fpr, tpr):
    return float(np.sum(np.diff(fpr) * (np.asarray(tpr[1:]) + tpr[:-1])) / 2)


def _auc_mistakes(y_true, y_score):
    tps, fps, _ = _counts(y_true, y_score)
    fpr, tpr = np.r_[0, fps / fps[-1]], np.r_[0, tps / tps[-1]]
    yield (float(np.sum(np.diff(fpr) * tpr[1:])),
           "a tie between a positive and a negative counted as a win (>= in the pair count, or a rectangle under "
           "the top of each step): it counts one half, the trapezoid's area")
    yield (float(np.sum(np.diff(fpr) * tpr[:-1])),
           "a tie between a positive and a negative counted as a loss (> in the pair count, or a rectangle under "
           "the bottom of each step): it counts one half, the trapezoid's area")
    yield (1.0 - _area(fpr, tpr), "the area is 1 - AUC: sort by score from the highest, and mind the argument "
           "order of np.trapezoid(y, x): np.trapezoid(tpr, fpr)")
    y, s = np.asarray(y_true) == 1, np.asarray(y_score, dtype=np.float64)
    ranks = np.empty(s.size)
    ranks[np.argsort(s, kind="stable")] = np.arange(1, s.size + 1)
    p, n = float(y.sum()), float((~y).sum())
    ordinal = (ranks[y].sum() - p * (p + 1) / 2) / (p * n)
    yield (ordinal, "tied scores were ordered by input position (ranks 1..n without averaging, or one curve point "
           "per sample): tied samples share the mean of their ranks, or one step of the curve")
    # One point per sample in input order among ties, as a stable descending sort leaves them.
    order = np.argsort(-s, kind="stable")
    per_sample = _area(np.r_[0, np.cumsum(~y[order]) / n], np.r_[0, np.cumsum(y[order]) / p])
    yield (per_sample, "one curve point per sample: samples with equal scores make one step of the curve "
           "(a diagonal when it holds positives and negatives), not one point each")
    unsorted_tps, unsorted_fps, _ = _counts(y_true, y_score, sort_labels=False)
    yield (_area(np.r_[0, unsorted_fps / n], np.r_[0, unsorted_tps / p]), _LABELS_LEFT)
    total = p + n
    yield (_area(np.r_[0, fps / total], np.r_[0, tps / total]), "fpr and tpr were divided by the number of "
           "samples: fpr = FP / negatives, tpr = TP / positives")


# --- cases ------------------------------------------------------------------------------------------

def _labels(rng, n, positives=None):
    """n labels with both classes present."""
    positives = int(rng.integers(1, n)) if positives is None else positives
    y = np.zeros(n, dtype=np.int64)
    y[rng.permutation(n)[:positives]] = 1
    return y


def _scores(rng, y, ties):
    """Scores that lean towards the positives; with ties, on a grid of a few values."""
    s = rng.normal(size=y.size) + float(rng.uniform(0, 2)) * y
    return np.round(s * 2) / 4 if ties else s


def _both(name, category, *args, **kwargs):
    """The same input for both functions: a curve case and an AUC case."""
    return [hidden(f"curve_{name}", category, "roc_curve", *args, **kwargs),
            hidden(f"auc_{name}", category, "roc_auc", *args, **kwargs)]


def cases(rng):
    named = named_rng()  # the named cases' data is the same at every seed
    y20 = _labels(named, 20, 9)
    grid20 = named.integers(0, 5, size=20) / 4
    y12 = _labels(named, 12, 5)
    s12 = np.round(named.normal(size=12) + y12, 6)
    y10 = _labels(named, 10, 3)
    s10 = np.round(named.normal(size=10) + y10, 6)
    asc = np.sort(np.round(named.normal(size=8), 6))
    y_asc = np.array([0, 0, 1, 0, 1, 0, 1, 1])

    curve = [
        public("docstring_curve", "the first roc_curve example in the docstring", "roc_curve",
               [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]),
        public("docstring_curve_ties", "the second roc_curve example: a positive and a negative tied",
               "roc_curve", [0, 1, 0, 1], [0.2, 0.6, 0.6, 0.9]),
        *_both("ties_across_classes", "20 scores on 5 values, ties holding positives and negatives", y20, grid20),
        hidden("curve_ties_within_class", "ties only between samples of the same class", "roc_curve",
               [1, 1, 0, 0, 1, 0], [0.9, 0.9, 0.3, 0.3, 0.6, 0.1]),
        *_both("all_tied", "every score equal: one step from (0, 0) to (1, 1)", [0, 1, 1, 0, 1], [0.5] * 5),
        *_both("top_score_tied", "the highest score held by a positive and a negative: the first step is diagonal",
               [1, 0, 0, 1, 1, 0], [0.7, 0.9, 0.2, 0.9, 0.4, 0.1]),
        *_both("unsorted", "12 distinct scores in no particular order", y12, s12),
        hidden("curve_ascending_input", "scores given in ascending order", "roc_curve", y_asc, asc),
        hidden("curve_collinear", "three positives, then three negatives: points on straight lines are kept",
               "roc_curve", [0, 0, 0, 1, 1, 1], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
        *_both("imbalanced", "3 positives among 10: fpr over the negatives, tpr over the positives", y10, s10),
        hidden("curve_one_positive", "a single positive among 6 samples", "roc_curve",
               [0, 0, 1, 0, 0, 0], [0.3, 0.1, 0.5, 0.8, 0.2, 0.4]),
        *_both("integer_scores", "integer scores, some negative, one tie", [1, 0, 0, 1, 0], [-3, 5, 0, -3, 2]),
        *_both("bool_labels", "labels given as bools", [True, False, True, True, False, False],
               [0.8, 0.35, 0.2, 0.75, 0.6, 0.1]),
        hidden("curve_float_labels", "labels given as a float array of 0.0 and 1.0", "roc_curve",
               np.array([1.0, 0.0, 1.0, 0.0]), np.array([0.5, 0.25, 0.125, 0.75])),
        *(replace(case, keeps_inputs=True) for case in _both(
            "numpy_input", "numpy arrays, which must be left as they were", y12.copy(), s12.copy())),
        hidden("curve_float32_scores", "float32 scores", "roc_curve", y10, s10.astype(np.float32)),
        *_both("close_scores", "scores 1e-9 apart are different scores, not a tie", [1, 0, 1, 0],
               [0.5 + 1e-9, 0.5, 0.3 + 1e-9, 0.3]),
        *_both("two_samples", "one positive and one negative", [0, 1], [0.3, 0.7]),
        *_both("perfect", "every positive scored above every negative", [1, 1, 0, 0, 1, 0],
               [0.9, 0.8, 0.3, 0.2, 0.7, 0.6]),
        *_both("inverted", "every positive scored below every negative", [1, 1, 0, 0, 1, 0],
               [0.1, 0.2, 0.7, 0.8, 0.3, 0.6]),
        # Input checks: the reference raises ValueError, so must the attempt.
        *_both("empty", "empty input raises ValueError", [], []),
        *_both("length_mismatch", "y_true and y_score of different lengths raise ValueError", [0, 1, 1],
               [0.2, 0.4]),
        *_both("only_positives", "only one class present (all 1) raises ValueError", [1, 1, 1], [0.2, 0.5, 0.9]),
        *_both("only_negatives", "only one class present (all 0) raises ValueError", [0, 0], [0.2, 0.5]),
        *_both("labels_not_binary", "a label of 2 raises ValueError", [0, 1, 2, 1], [0.1, 0.4, 0.6, 0.8]),
        *_both("labels_minus_one", "labels -1 / 1 raise ValueError (only 0/1 or bools)", [-1, 1, -1, 1],
               [0.1, 0.4, 0.35, 0.8]),
        *_both("nan_score", "a nan score raises ValueError", [0, 1, 0, 1], [0.1, float("nan"), 0.3, 0.8]),
        *_both("inf_score", "an infinite score raises ValueError", [0, 1, 0, 1], [0.1, float("inf"), 0.3, 0.8]),
        *_both("score_matrix", "scores of shape (n, 2), as predict_proba returns them, raise ValueError",
               [0, 1, 1], [[0.8, 0.2], [0.3, 0.7], [0.4, 0.6]]),
    ]
    auc = [c for c in curve if c.func == "roc_auc"]
    curve = [c for c in curve if c.func == "roc_curve"]
    for i, ties in enumerate((False, False, True, True)):
        y = _labels(rng, int(rng.integers(2, 60)))
        curve.append(hidden(f"random_curve_{i}", "random labels and scores" + (" on a grid (ties)" if ties else ""),
                            "roc_curve", y, _scores(rng, y, ties)))
    auc = [
        public("docstring_auc", "the first roc_auc example in the docstring", "roc_auc",
               [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]),
        public("docstring_auc_ties", "the second roc_auc example: a tie between a positive and a negative",
               "roc_auc", [0, 1, 0, 1], [0.2, 0.6, 0.6, 0.9]),
        *auc,
    ]
    for i, ties in enumerate((False, False, True, True)):
        y = _labels(rng, int(rng.integers(2, 200)))
        auc.append(hidden(f"random_auc_{i}", "random labels and scores" + (" on a grid (ties)" if ties else ""),
                          "roc_auc", y, _scores(rng, y, ties)))

    # n = 100,000 for each function, the same at every seed. One sort is ~0.1 s even with a Python loop
    # after it. The AUC's scores have 5 decimals (ties, but ~95,000 distinct scores): counting the
    # pairs is 2.5e9 comparisons. The curve's have 2 decimals, ~1,000 distinct scores, so that its reply
    # stays small (3 lists of 10^5 Python floats take ~1 s to send): a Python sweep over the thresholds,
    # each counting every sample, is 1e8 steps.
    y_big = (named.random(100_000) < 0.5).astype(np.int64)
    s_big = named.normal(size=100_000) + y_big
    # 1.5 s each: a one-sort answer with a Python loop takes ~0.25 s, the sweep ~3.3 s, which the
    # default 3 s let pass on a fast machine (CI's, once).
    large_curve = replace(hidden("large_curve", "n = 100,000 samples on about 1,000 distinct scores",
                                 "roc_curve", y_big, np.round(s_big, 2)), complexity="O(n log n)", timeout=1.5)
    large_auc = replace(hidden("large_auc", "n = 100,000 samples, some tied", "roc_auc", y_big, np.round(s_big, 5)),
                        complexity="O(n log n)", timeout=1.5)

    # The two large cases apart, so that an answer slow at both does not meet two time-outs in a row.
    # Every kind of problem is explained: several of these mistakes change the number of curve points.
    return ([diagnosing(c, _check_curve, _curve_mistakes, kinds=None, otherwise=_shape_hint)
             for c in [*curve, large_curve]]
            + [diagnosing(c, compare.scalar, _auc_mistakes, kinds=None) for c in [*auc, large_auc]])
