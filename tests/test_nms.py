"""solutions/nms.py against OpenCV's NMS and a brute force; the subtly wrong attempts fail where they should."""

from pathlib import Path

import cv2
import numpy as np
import pytest

from grader import catalog
from grader.grading.attempt import grade_attempt

reference = catalog.get("nms").reference()
WRONG = Path(__file__).parent / "fixtures" / "wrong" / "nms"


def brute_force_nms(boxes, scores, threshold):
    """Independent of the reference: pure Python, the textbook loop over a score-sorted list."""
    def iou(a, b):
        w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
        h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
        union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - w * h
        return w * h / union if union > 0 else 0.0
    remaining = sorted(range(len(scores)), key=lambda i: -scores[i])
    keep = []
    while remaining:
        best = remaining.pop(0)
        keep.append(best)
        remaining = [i for i in remaining if iou(boxes[best], boxes[i]) <= threshold]
    return keep


def random_case(rng, n):
    xy = rng.uniform(0, 100, size=(n, 2))
    wh = rng.uniform(1, 40, size=(n, 2))
    return np.hstack([xy, xy + wh]), rng.uniform(0.01, 1.0, n)


@pytest.mark.parametrize("seed", range(20))
def test_matches_opencv_nmsboxes(seed):
    rng = np.random.default_rng(seed)
    boxes, scores = random_case(rng, int(rng.integers(1, 80)))
    threshold = float(rng.uniform(0.05, 0.9))
    xywh = [[x1, y1, x2 - x1, y2 - y1] for x1, y1, x2, y2 in boxes.tolist()]
    expected = np.asarray(cv2.dnn.NMSBoxes(xywh, scores.tolist(), 0.0, threshold), dtype=np.int64).reshape(-1)
    np.testing.assert_array_equal(reference.nms(boxes, scores, threshold), expected)


@pytest.mark.parametrize("seed", range(20))
def test_matches_brute_force(seed):
    rng = np.random.default_rng(100 + seed)
    boxes, scores = random_case(rng, int(rng.integers(0, 60)))
    # Rounded scores make ties likely: both sides must break them by the lower index.
    scores = np.round(scores, 1)
    threshold = float(rng.choice([0.0, 0.3, 0.5, 1.0]))
    assert reference.nms(boxes, scores, threshold).tolist() == brute_force_nms(boxes.tolist(), scores.tolist(), threshold)


def test_hand_derived_cases():
    # IoU([0,0,10,10], [0,0,10,20]) = 100 / 200 = 0.5: equal to the threshold, so both are kept.
    assert reference.nms([[0, 0, 10, 10], [0, 0, 10, 20]], [0.6, 0.9], 0.5).tolist() == [1, 0]
    # Chain: A-B IoU 50/150, B-C IoU 50/150, A-C 0. B is suppressed by A, so C survives.
    chain = [[0, 0, 10, 10], [5, 0, 15, 10], [10, 0, 20, 10]]
    assert reference.nms(chain, [0.9, 0.8, 0.7], 0.3).tolist() == [0, 2]
    empty = reference.nms(np.zeros((0, 4)), np.zeros(0), 0.5)
    assert empty.shape == (0,) and empty.dtype.kind == "i"


def test_public_failure_shows_call_expected_actual_and_difference():
    result = grade_attempt("nms", WRONG / "ge_threshold.py")
    case = next(c for c in result.cases if c.name == "docstring_at_threshold")
    assert case.call == "nms([[0, 0, 10, 10], [0, 0, 10, 20]], [0.6, 0.9], 0.5)"
    assert case.expected == "array([1, 0], dtype=int64)" and case.actual == "array([1], dtype=int64)"
    assert case.message == "expected 2 indices, got 1: missing 0"
