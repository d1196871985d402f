"""Hidden suite for soft_nms: re-selection after each decay, both decay rules at their edges, the
score threshold at its edge, ties, and the scores returned."""

import numpy as np

from grader.grading import compare
from grader.grading.suite import hidden, public
from grader.grading.generators import random_boxes
def check_selection(expected, actual):
    """A pair (indices, scores): the indices exactly, in selection order, then the scores at selection."""
    if isinstance(actual, np.ndarray):
        return (f"returned one array of shape {actual.shape}; return a pair (indices, scores), "
                "e.g. a tuple of two arrays")
    if not isinstance(actual, (tuple, list)) or len(actual) != 2:
        what = f"a sequence of length {len(actual)}" if isinstance(actual, (tuple, list)) else repr(actual)[:80]
        return f"returned {what}; return a pair (indices, scores)"
    exp_idx = np.asarray(expected[0], dtype=np.int64).reshape(-1)
    exp_scores = np.asarray(expected[1], dtype=np.float64).reshape(-1)
    act_idx, act_scores = actual
    problem = compare.indices(exp_idx, act_idx)
    if problem:
        try:
            act = np.asarray(act_idx).reshape(-1)
        except (ValueError, TypeError):  # ragged lists and the like: compare.indices has said why
            act = None
        if (act is not None and act.size == exp_idx.size and act.dtype.kind in "iu"
                and sorted(act.tolist()) == sorted(exp_idx.tolist())):
            return compare.safe("the right boxes in the wrong order: after each decay, select the remaining box "
                                "with the highest current score (equal scores: the lower index); decays of the "
                                "wrong size reorder them too", compare.ORDER)
        if (act is not None and act.dtype.kind in "iu" and act.size > exp_idx.size
                and set(exp_idx.tolist()) <= set(act.tolist())):
            return compare.safe("selected more boxes than expected: a box whose score is below score_threshold "
                                "is dropped, before the first selection as well as after each decay", compare.COUNT)
        return problem.prefixed("indices: ")
    problem = compare.float_array(exp_scores, act_scores)
    if problem is None:
        return None
    hint = ""
    if problem.kind == compare.VALUE:  # same shape, numbers: say which way they are off
        act = np.asarray(act_scores, dtype=np.float64).reshape(-1)
        if np.any(act > exp_scores * (1 + 1e-6) + 1e-9):
            hint = " (some are higher than expected: return each box's score after the decays it received)"
        else:
            hint = " (some are lower than expected: check which boxes get decayed, and by how much)"
    # The hints name no data, so the sentence is as safe to show as the problem it quotes.
    return problem.explained(f"the indices are right but the scores differ: {problem}{hint}")


CHECKS = {"soft_nms": check_selection}


def cases(rng):
    def boxes(*rows):
        return np.array(rows, dtype=np.float64)

    def scores(*values):
        return np.array(values, dtype=np.float64)

    out = [
        public("docstring_linear", "the first example in the docstring (linear)", "soft_nms",
               [[0, 0, 10, 10], [0, 0, 10, 5], [20, 20, 30, 30]], [0.9, 0.8, 0.5],
               iou_threshold=0.3, method="linear"),
        public("docstring_gaussian", "the second example in the docstring (gaussian, defaults)", "soft_nms",
               [[0, 0, 10, 10], [0, 0, 10, 5]], [0.9, 0.8]),
        hidden("reselect_gaussian",
               "a decayed box falls behind boxes that started lower: re-select the best current score each round",
               "soft_nms", boxes([0, 0, 10, 10], [0, 0, 10, 8], [30, 0, 40, 10], [33, 0, 43, 10]),
               scores(0.9, 0.85, 0.6, 0.5), method="gaussian"),
        hidden("reselect_linear",
               "linear decay reorders the boxes: re-select the best current score each round",
               "soft_nms", boxes([0, 0, 10, 10], [0, 0, 10, 6], [50, 50, 60, 60], [52, 50, 62, 60]),
               scores(0.9, 0.8, 0.5, 0.45), iou_threshold=0.3, method="linear"),
        hidden("linear_iou_at_threshold", "linear: an IoU exactly at iou_threshold is not decayed (> not >=)",
               "soft_nms", boxes([0, 0, 10, 10], [0, 0, 10, 5], [0, 0, 10, 6], [40, 40, 50, 50]),
               scores(0.9, 0.8, 0.55, 0.6), iou_threshold=0.5, method="linear"),
        hidden("linear_below_threshold", "linear: boxes overlapping at or below iou_threshold keep their score",
               "soft_nms", boxes([0, 0, 10, 10], [0, 0, 10, 5], [0, 5, 10, 10], [0, 0, 10, 2.5]),
               scores(0.9, 0.8, 0.7, 0.6), iou_threshold=0.7, method="linear"),
        # The sigma cases keep the input order, so that they fail only on the decay formula.
        hidden("gaussian_sigma_1", "gaussian with sigma = 1: the decay is exp(-iou**2 / sigma)", "soft_nms",
               boxes([0, 0, 10, 10], [0, 0, 10, 5], [0, 5, 10, 10], [2, 2, 12, 12]),
               scores(0.9, 0.8, 0.7, 0.6), sigma=1.0, method="gaussian"),
        hidden("gaussian_sigma_0_2", "gaussian with sigma = 0.2: the decay is exp(-iou**2 / sigma)", "soft_nms",
               boxes([0, 0, 10, 10], [0, 0, 10, 5], [0, 5, 10, 10], [2, 2, 12, 12]),
               scores(0.9, 0.8, 0.7, 0.6), sigma=0.2, method="gaussian"),
        hidden("gaussian_ignores_iou_threshold",
               "gaussian decays every overlapping box, whatever iou_threshold", "soft_nms",
               boxes([0, 0, 10, 10], [0, 0, 10, 5], [5, 5, 15, 15]), scores(0.9, 0.8, 0.4),
               iou_threshold=0.9, sigma=0.5, method="gaussian"),
        hidden("score_threshold_up_front",
               "scores below score_threshold are dropped before starting; a score equal to it stays", "soft_nms",
               boxes([0, 0, 1, 1], [2, 2, 3, 3], [4, 4, 5, 5], [6, 6, 7, 7]), scores(0.9, 0.25, 0.2, 0.3),
               score_threshold=0.25, method="gaussian"),
        # Nothing reaches the threshold: an attempt that only drops after decaying still selects box 0.
        hidden("all_below_threshold", "every score below score_threshold: nothing is selected, ([], [])",
               "soft_nms", boxes([0, 0, 10, 10], [20, 0, 30, 10]), scores(0.05, 0.04), score_threshold=0.1),
        hidden("single_below_threshold", "a single box below the default score_threshold: nothing is selected",
               "soft_nms", boxes([3, 4, 8, 9.5]), scores(0.0005)),
        hidden("score_threshold_after_decay",
               "a box decayed below score_threshold is dropped; one decayed to exactly it stays", "soft_nms",
               boxes([0, 0, 10, 10], [0, 0, 10, 5], [0, 5, 10, 10]), scores(0.9, 0.5, 0.4),
               iou_threshold=0.3, score_threshold=0.25, method="linear"),
        hidden("score_threshold_zero", "score_threshold 0: a score decayed to exactly 0 is still selected",
               "soft_nms", boxes([0, 0, 10, 10], [0, 0, 10, 10], [20, 20, 30, 30]), scores(0.9, 0.05, 0.1),
               iou_threshold=0.5, score_threshold=0.0, method="linear"),
        hidden("decayed_scores_returned",
               "the scores returned are the decayed ones at selection, not the input scores", "soft_nms",
               boxes([0, 0, 10, 10], [0, 0, 10, 5], [0, 5, 10, 10]), scores(0.95, 0.9, 0.85),
               iou_threshold=0.3, method="linear"),
        hidden("tied_scores", "equal scores: the lower index is selected first", "soft_nms",
               boxes([0, 0, 1, 1], [2, 2, 3, 3], [4, 4, 5, 5], [6, 6, 7, 7]), scores(0.5, 0.9, 0.5, 0.5)),
        hidden("tie_after_decay", "two boxes decayed to the same score: the lower index is selected first",
               "soft_nms", boxes([5, 0, 15, 10], [10, 0, 20, 10], [15, 0, 25, 10], [40, 0, 50, 10]),
               scores(0.6, 0.9, 0.6, 0.6)),
        hidden("small_boxes", "boxes smaller than one unit still decay each other", "soft_nms",
               boxes([0, 0, 0.5, 0.5], [0.05, 0, 0.55, 0.5], [0, 0.1, 0.5, 0.6]), scores(0.9, 0.8, 0.7)),
        hidden("no_overlap", "no boxes overlap: scores unchanged, in descending score order", "soft_nms",
               boxes([0, 0, 10, 10], [20, 0, 30, 10], [0, 20, 10, 30]), scores(0.3, 0.9, 0.6)),
        hidden("empty", "no boxes at all: two empty sequences", "soft_nms", np.zeros((0, 4)), np.zeros(0)),
        hidden("empty_linear", "no boxes at all, linear method", "soft_nms", np.zeros((0, 4)), np.zeros(0),
               method="linear"),
        hidden("unknown_method", "an unknown method raises ValueError", "soft_nms",
               boxes([0, 0, 10, 10], [1, 1, 11, 11]), scores(0.9, 0.8), method="hard"),
        hidden("single", "a single box", "soft_nms", boxes([3, 4, 8, 9.5]), scores(0.3)),
        hidden("identical_linear", "identical boxes, linear: IoU 1 takes the score to 0, below the threshold",
               "soft_nms", boxes([0, 0, 10, 10], [0, 0, 10, 10], [0, 0, 10, 10]), scores(0.5, 0.9, 0.7),
               method="linear"),
        hidden("identical_gaussian", "identical boxes, gaussian: decayed again by every selection",
               "soft_nms", boxes([0, 0, 10, 10], [0, 0, 10, 10], [0, 0, 10, 10]), scores(0.5, 0.9, 0.7)),
        hidden("zero_area", "zero-area boxes (IoU 0 with anything): no decay", "soft_nms",
               boxes([5, 5, 5, 5], [5, 5, 5, 5], [0, 0, 10, 10]), scores(0.9, 0.8, 0.7), method="linear",
               iou_threshold=0.0),
        hidden("zero_area_gaussian", "identical zero-area boxes, gaussian: IoU 0 (not 0 / 0), no decay",
               "soft_nms", boxes([5, 5, 5, 5], [5, 5, 5, 5], [0, 0, 10, 10]), scores(0.9, 0.8, 0.7)),
        hidden("integer_lists", "integer boxes and scores given as Python lists", "soft_nms",
               [[0, 0, 10, 10], [0, 0, 10, 5], [20, 20, 30, 30]], [3, 2, 1], score_threshold=0.5),
    ]
    for i in range(4):
        n = int(rng.integers(5, 60))
        out.append(hidden(f"random_gaussian_{i}", "random overlapping boxes, gaussian with various sigmas",
                          "soft_nms", random_boxes(rng, n), rng.uniform(0.01, 1.0, n),
                          sigma=float(rng.choice([0.1, 0.3, 0.5, 1.0, 2.0])),
                          score_threshold=float(rng.choice([0.001, 0.01, 0.1])), method="gaussian"))
    for i in range(4):
        n = int(rng.integers(5, 60))
        out.append(hidden(f"random_linear_{i}", "random overlapping boxes, linear with various thresholds",
                          "soft_nms", random_boxes(rng, n), rng.uniform(0.01, 1.0, n),
                          iou_threshold=float(rng.choice([0.1, 0.3, 0.5, 0.7])),
                          score_threshold=float(rng.choice([0.001, 0.01, 0.1])), method="linear"))
    n = 400
    out.append(hidden("many_boxes", "400 random boxes", "soft_nms",
                      random_boxes(rng, n, high=300.0, max_side=50.0), rng.uniform(0.0, 1.0, n), sigma=0.5))
    return out
