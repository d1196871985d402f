"""Hidden suite for iou and pairwise_iou: degenerate boxes, '+1 pixel' areas, shapes of empty inputs."""

import numpy as np

from grader.grading import generators
from grader.grading import compare
from grader.grading.suite import hidden, public

_NO_OVERLAP = compare.safe("a positive IoU for boxes that do not overlap: clamp the overlap's width and its "
                           "height at 0 separately (two negative sides multiply into a positive area)")


def _overlap_hint(check):
    """The checker, but a positive IoU where the expected one is 0 gets a sentence on clamping."""

    def checked(expected, actual):
        problem = check(expected, actual)
        act = compare.numeric_array(actual if not isinstance(actual, (int, float)) else [actual])
        exp = np.asarray(expected, dtype=np.float64)
        if problem is None or problem.kind != compare.VALUE or act is None or act.size != exp.size:
            return problem
        if np.any((exp.reshape(-1) == 0) & (act.reshape(-1).astype(np.float64) > 1e-9)):
            return _NO_OVERLAP
        return problem

    return checked


CHECKS = {"iou": _overlap_hint(compare.scalar), "pairwise_iou": _overlap_hint(compare.float_array)}


def random_boxes(rng, n):
    """Boxes on both sides of the origin, degenerate ones (a zero side) included."""
    return generators.random_boxes(rng, n, low=-50.0, high=50.0, min_side=0.0, max_side=25.0)


def cases(rng):
    fixed = generators.named_rng()
    out = [
        public("docstring_iou", "the iou example in the docstring", "iou", [0, 0, 10, 10], [5, 0, 15, 10]),
        public("docstring_pairwise", "the pairwise_iou example in the docstring", "pairwise_iou",
               [[0, 0, 10, 10], [0, 0, 20, 20]], [[0, 0, 10, 10], [10, 10, 20, 20], [30, 30, 40, 40]]),
        hidden("identical", "identical boxes: IoU 1", "iou", [2.5, 3.0, 7.5, 9.0], [2.5, 3.0, 7.5, 9.0]),
        # Apart on both axes, with a positive union: an unclamped width times an unclamped height is
        # positive here, so only clamping each side at 0 gives 0 (a zero-union guard does not help).
        hidden("disjoint", "disjoint boxes: IoU 0 (clamp the width and the height of the overlap at 0)",
               "iou", [0, 0, 10, 10], [12, 11, 20, 30]),
        hidden("disjoint_one_axis", "boxes that overlap on x but not on y (negative height must clamp)", "iou",
               [0, 0, 10, 10], [2, 15, 8, 25]),
        hidden("touching", "boxes that touch along an edge: IoU 0", "iou", [0, 0, 10, 10], [10, 0, 20, 10]),
        hidden("contained", "a box inside another: IoU is the area ratio", "iou", [0, 0, 20, 20], [5, 5, 10, 10]),
        hidden("zero_area_box", "a zero-area box against a normal one", "iou", [5, 5, 5, 5], [0, 0, 10, 10]),
        hidden("both_degenerate", "two zero-area boxes: union 0, IoU 0.0 (no division by zero)", "iou",
               [3, 3, 3, 3], [3, 3, 3, 3]),
        hidden("integer_tuples", "integer coordinates given as tuples", "iou", (0, 0, 3, 3), (1, 1, 4, 4)),
        hidden("no_plus_one", "small boxes where a '+1 pixel' area would change the result", "iou",
               np.array([0.0, 0.0, 2.0, 2.0]), np.array([1.0, 1.0, 3.0, 3.0])),
        hidden("negative_coordinates", "boxes at negative coordinates", "iou",
               [-10.5, -4.0, -2.0, 3.0], [-6.0, -8.0, 1.0, 0.5]),
        # Areas below 1: a guard such as "union > 1" or a pixel-style rounding shows here.
        hidden("small_boxes", "boxes smaller than one unit (IoU 1/3)", "iou", [0, 0, 0.5, 0.5], [0.25, 0, 0.75, 0.5]),
        hidden("pairwise_small_boxes", "boxes smaller than one unit in a matrix", "pairwise_iou",
               [[0, 0, 0.5, 0.5], [0.1, 0.1, 0.3, 0.2]], [[0.25, 0, 0.75, 0.5], [0, 0, 0.2, 0.2]]),
        hidden("pairwise_empty_a", "no boxes on the left: an array of shape (0, M)", "pairwise_iou",
               np.zeros((0, 4)), np.array([[0, 0, 1, 1], [1, 1, 2, 2]], dtype=float)),
        hidden("pairwise_empty_b", "no boxes on the right: an array of shape (N, 0)", "pairwise_iou",
               np.array([[0, 0, 1, 1], [1, 1, 2, 2], [0, 0, 2, 2]], dtype=float), np.zeros((0, 4))),
        hidden("pairwise_both_empty", "no boxes on either side: shape (0, 0)", "pairwise_iou",
               np.zeros((0, 4)), np.zeros((0, 4))),
        hidden("pairwise_not_square", "N != M: rows follow boxes_a, columns boxes_b", "pairwise_iou",
               random_boxes(fixed, 3), random_boxes(fixed, 5)),
        hidden("pairwise_disjoint", "disjoint boxes in a matrix: clamp the overlap's width and height at 0",
               "pairwise_iou", [[0, 0, 10, 10], [50, 50, 60, 60]], [[12, 11, 20, 30], [40, 40, 48, 49], [55, 52, 58, 58]]),
        hidden("pairwise_degenerate", "degenerate boxes in a matrix (IoU 0, never NaN)", "pairwise_iou",
               np.array([[1, 1, 1, 1], [0, 0, 4, 4]], dtype=float), np.array([[1, 1, 1, 1], [2, 2, 2, 6]], dtype=float)),
        hidden("pairwise_integer_lists", "integer coordinates given as lists", "pairwise_iou",
               [[0, 0, 3, 3], [1, 1, 5, 5]], [[1, 1, 4, 4]]),
    ]
    for i in range(4):
        a, b = random_boxes(rng, 2)
        out.append(hidden(f"random_pair_{i}", "random overlapping boxes", "iou", a, b))
    out.append(hidden("pairwise_random", "random boxes, 60 x 40", "pairwise_iou",
                      random_boxes(rng, 60), random_boxes(rng, 40)))
    return out
