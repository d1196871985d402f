"""Hidden suite for nms: each named case aims at one mistake people make when writing NMS by hand."""

from dataclasses import replace

import numpy as np

from grader.grading import compare
from grader.grading.suite import hidden, public
from grader.grading.generators import random_boxes
CHECKS = {"nms": compare.indices}


def tie_check(scores):
    """compare.indices, and when different boxes were kept that only swap places with boxes of the
    same score, a sentence about the tie rule (it names no data)."""
    scores = np.asarray(scores, dtype=np.float64)

    def check(expected, actual):
        problem = compare.indices(expected, actual)
        act = compare.numeric_array(actual)
        if problem is None or problem.kind == compare.ORDER or act is None or act.dtype.kind not in "iu":
            return problem
        act = act.reshape(-1)
        exp = np.asarray(expected, dtype=np.int64).reshape(-1)
        if (act.size == exp.size and np.all((act >= 0) & (act < scores.size))
                and np.array_equal(scores[act], scores[exp])):
            return compare.safe("kept a box with the same score as the expected one but a higher index: among "
                                "equal scores visit the lower index first (a stable sort on -scores; "
                                "argsort(scores)[::-1] reverses ties)", compare.ORDER)
        return problem

    return check


def _tie_case(name, category, boxes, scores, threshold):
    return replace(hidden(name, category, "nms", boxes, scores, threshold), check=tie_check(scores))


def cases(rng):
    square = [0, 0, 10, 10]
    out = [
        public("docstring_example", "the first example in the docstring", "nms",
               [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], [0.9, 0.8, 0.7], 0.5),
        public("docstring_at_threshold", "the second example in the docstring: IoU equal to the threshold",
               "nms", [[0, 0, 10, 10], [0, 0, 10, 20]], [0.6, 0.9], 0.5),
        hidden("empty", "no boxes at all: an empty int array", "nms",
               np.zeros((0, 4)), np.zeros(0), 0.5),
        hidden("single", "a single box", "nms", np.array([[3.0, 4.0, 8.0, 9.5]]), np.array([0.3]), 0.5),
        hidden("identical_boxes", "identical boxes: only the best-scoring one survives", "nms",
               np.array([square, square, square], dtype=float), np.array([0.5, 0.9, 0.7]), 0.5),
        hidden("disjoint", "disjoint boxes: all kept, in descending score order", "nms",
               np.array([[0, 0, 1, 1], [2, 2, 3, 3], [4, 4, 5, 5], [6, 6, 7, 7]], dtype=float),
               np.array([0.2, 0.9, 0.5, 0.7]), 0.3),
        hidden("touching_threshold_0", "boxes that only touch along an edge (IoU 0) with threshold 0", "nms",
               np.array([[0, 0, 10, 10], [10, 0, 20, 10], [0, 10, 10, 20]], dtype=float),
               np.array([0.9, 0.8, 0.7]), 0.0),
        hidden("contained", "a box inside another (IoU = area ratio 0.25)", "nms",
               np.array([[0, 0, 20, 20], [5, 5, 15, 15]], dtype=float), np.array([0.9, 0.8]), 0.2),
        hidden("zero_area", "zero-area boxes (their IoU with anything is 0)", "nms",
               np.array([[5, 5, 5, 5], [5, 5, 5, 5], [0, 0, 10, 10], [3, 3, 3, 8]], dtype=float),
               np.array([0.9, 0.8, 0.7, 0.6]), 0.0),
        hidden("integer_input", "integer boxes and scores given as Python lists", "nms",
               [[0, 0, 10, 10], [0, 0, 10, 20], [0, 0, 10, 12], [50, 50, 60, 60]], [3, 9, 5, 1], 0.5),
        hidden("iou_at_threshold", "IoU exactly at the threshold: not suppressed (> not >=)", "nms",
               np.array([[0, 0, 10, 10], [0, 0, 10, 20], [0, 0, 20, 10]], dtype=np.int64),
               np.array([0.9, 0.8, 0.7]), 0.5),
        hidden("no_plus_one", "small boxes where a '+1 pixel' area changes the decision", "nms",
               np.array([[0, 0, 2, 2], [1, 1, 3, 3]], dtype=float), np.array([0.9, 0.8]), 0.2),
        hidden("small_boxes", "boxes smaller than one unit: IoU 0.82 suppresses", "nms",
               np.array([[0, 0, 0.5, 0.5], [0.05, 0, 0.55, 0.5], [2, 2, 2.4, 2.4]]), np.array([0.9, 0.8, 0.7]), 0.5),
        hidden("chain_suppressed_box_suppresses_nothing",
               "a chain A-B-C: C survives because B, which overlaps it, was suppressed by A", "nms",
               np.array([[0, 0, 10, 10], [5, 0, 15, 10], [10, 0, 20, 10]], dtype=float),
               np.array([0.9, 0.8, 0.7]), 0.3),
        hidden("visit_by_score", "boxes given in ascending score order: visit by score, not by input order",
               "nms", np.array([[0, 0, 10, 10], [1, 0, 11, 10], [2, 0, 12, 10], [30, 30, 40, 40]], dtype=float),
               np.array([0.1, 0.2, 0.9, 0.3]), 0.5),
        hidden("suppression_after_the_first", "the best box overlaps nothing; the next two overlap each other: "
               "every kept box suppresses, not only the first", "nms",
               np.array([[50, 50, 60, 60], [0, 0, 10, 10], [1, 0, 11, 10]], dtype=float),
               np.array([0.9, 0.8, 0.7]), 0.5),
        hidden("result_in_score_order", "kept indices returned in descending score order, not sorted by index",
               "nms", np.array([[0, 0, 1, 1], [5, 5, 6, 6], [10, 10, 11, 11]], dtype=float),
               np.array([0.1, 0.9, 0.5]), 0.5),
        _tie_case("tied_scores", "tied scores: the lower index is visited first",
                  np.array([[0, 0, 10, 10], [1, 1, 11, 11], [2, 2, 12, 12], [40, 0, 50, 10]], dtype=float),
                  np.array([0.5, 0.5, 0.8, 0.5]), 0.3),
        # Two pairs of tied, overlapping boxes and nothing else: whichever box of a pair is visited first
        # survives, so reversing ties (argsort(scores)[::-1]) keeps [1, 3] instead of [0, 2].
        _tie_case("tied_pairs", "two pairs of overlapping boxes with tied scores: the lower index survives",
                  [[0, 0, 10, 10], [1, 1, 11, 11], [40, 0, 50, 10], [41, 0, 51, 10]], [0.5, 0.5, 0.4, 0.4], 0.5),
        _tie_case("all_tied", "every score equal: visit in index order",
                  np.array([[0, 0, 10, 10], [2, 0, 12, 10], [4, 0, 14, 10], [6, 0, 16, 10], [30, 0, 40, 10]],
                           dtype=float), np.full(5, 0.7), 0.4),
        hidden("threshold_0", "threshold 0: any overlap at all suppresses", "nms",
               np.array([[0, 0, 10, 10], [9.9, 9.9, 20, 20], [30, 30, 40, 40]], dtype=float),
               np.array([0.7, 0.9, 0.8]), 0.0),
        hidden("threshold_1", "threshold 1: nothing is suppressed, not even identical boxes", "nms",
               np.array([[0, 0, 10, 10], [0, 0, 10, 10], [1, 1, 9, 9]], dtype=float),
               np.array([0.7, 0.9, 0.8]), 1.0),
    ]
    for i in range(6):
        n = int(rng.integers(5, 60))
        out.append(hidden(f"random_{i}", "random overlapping boxes", "nms",
                          random_boxes(rng, n), rng.uniform(0.01, 1.0, n), float(rng.choice([0.3, 0.5, 0.7]))))
    big = random_boxes(rng, 1000, high=600.0, max_side=60.0)
    out.append(replace(hidden("many_boxes", "about 1,000 random boxes", "nms",
                              big, rng.uniform(0.0, 1.0, 1000), 0.5), timeout=15.0, complexity="O(n^2)"))
    return out
