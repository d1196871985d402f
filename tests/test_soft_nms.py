"""soft_nms: the reference against OpenCV's softNMSBoxes and hand-derived cases, and the suite against
known mistakes.

How cv2.dnn.softNMSBoxes (OpenCV 5.0) lines up with the contract, each checked in
test_opencv_conventions below:
- it takes integer (x, y, w, h) rects (float rects are refused), so boxes are converted from integer
  (x1, y1, x2, y2); its IoU uses w * h areas (no "+1 pixel"), as the contract does;
- its gaussian decay is exp(-iou**2 / sigma), the contract's sigma convention (not 2 * sigma**2);
- linear decays when iou > nms_threshold, and selection stops at a best score below score_threshold,
  which drops exactly the boxes the contract drops (a score equal to it stays);
- equal scores: the lower index is selected first;
- two differences to bridge: it computes IoU as 1 - float32(1 - iou), which can round an IoU equal to
  the threshold to just above it (0.1 at threshold 0.1 is decayed), so random linear cases with an IoU
  within 1e-6 of the threshold are skipped and the at-threshold rule is pinned by hand instead; and it
  gives two zero-area boxes an IoU of 1 where the contract says 0, so zero-area boxes are not sent to it;
- it works in float32, so scores agree to about 1e-6 relative.
"""

import math
from pathlib import Path

import cv2
import numpy as np
import pytest

from grader import catalog
from grader.grading import compare
from grader.grading.attempt import grade_attempt
from wrong_attempts import graded_wrong

HERE = Path(__file__).parent
ref = catalog.get("soft_nms").reference()
suite = catalog.get("soft_nms").suite()

CV_METHOD = {"linear": cv2.dnn.SoftNMSMethod_SOFTNMS_LINEAR, "gaussian": cv2.dnn.SoftNMSMethod_SOFTNMS_GAUSSIAN}


def opencv_soft_nms(boxes, scores, iou_threshold=0.3, sigma=0.5, score_threshold=0.001, method="gaussian"):
    """cv2.dnn.softNMSBoxes on integer (x1, y1, x2, y2) boxes, in the reference's argument order."""
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    assert np.all(boxes == np.round(boxes)), "OpenCV only takes integer rects"
    xywh = [[int(x1), int(y1), int(x2 - x1), int(y2 - y1)] for x1, y1, x2, y2 in boxes]
    scores = [float(s) for s in np.asarray(scores, dtype=np.float64).reshape(-1)]
    out_scores, out_indices = cv2.dnn.softNMSBoxes(xywh, scores, score_threshold, iou_threshold, 0, sigma,
                                                   CV_METHOD[method])
    return (np.asarray(out_indices, dtype=np.int64).reshape(-1),
            np.asarray(out_scores, dtype=np.float64).reshape(-1))


def pairwise_iou(boxes):
    b = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    w = np.clip(np.minimum(b[:, None, 2], b[None, :, 2]) - np.maximum(b[:, None, 0], b[None, :, 0]), 0, None)
    h = np.clip(np.minimum(b[:, None, 3], b[None, :, 3]) - np.maximum(b[:, None, 1], b[None, :, 1]), 0, None)
    area = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area[:, None] + area[None, :] - w * h
    return np.divide(w * h, union, out=np.zeros_like(union), where=union > 0)


def assert_same(actual, expected, rtol=1e-12, what=""):
    np.testing.assert_array_equal(np.asarray(actual[0]), np.asarray(expected[0]), err_msg=f"indices {what}")
    assert np.asarray(actual[0]).dtype.kind in "iu"
    np.testing.assert_allclose(actual[1], expected[1], rtol=rtol, atol=1e-12, err_msg=f"scores {what}")


# --- what OpenCV does ------------------------------------------------------------------------------

def test_opencv_conventions():
    # xywh (0, 0, 10, 10) and (5, 0, 10, 10): intersection 5 x 10 = 50, union 150, IoU 1/3
    # (with "+1 pixel" it would be 66 / 176 = 0.375): linear, threshold 0.3 -> 0.8 * 2/3.
    scores, idx = cv2.dnn.softNMSBoxes([[0, 0, 10, 10], [5, 0, 10, 10]], [0.9, 0.8], 0.001, 0.3, 0, 0.5,
                                       CV_METHOD["linear"])
    assert list(idx) == [0, 1] and scores[1] == pytest.approx(0.8 * 2 / 3, rel=1e-6)
    # gaussian, sigma 2: exp(-iou**2 / sigma), not exp(-iou**2 / (2 sigma**2)).
    scores, _ = cv2.dnn.softNMSBoxes([[0, 0, 10, 10], [5, 0, 10, 10]], [0.9, 0.8], 0.001, 0.3, 0, 2.0,
                                     CV_METHOD["gaussian"])
    assert scores[1] == pytest.approx(0.8 * math.exp(-(1 / 9) / 2.0), rel=1e-6)
    # IoU exactly 0.5 at threshold 0.5 is not decayed; exactly 0.1 at 0.1 is (float32 rounding).
    scores, _ = cv2.dnn.softNMSBoxes([[0, 0, 10, 10], [0, 0, 10, 5]], [0.9, 0.8], 0.001, 0.5, 0, 0.5,
                                     CV_METHOD["linear"])
    assert scores[1] == pytest.approx(0.8, rel=1e-7)
    scores, _ = cv2.dnn.softNMSBoxes([[0, 0, 10, 10], [0, 0, 10, 1]], [0.9, 0.8], 0.001, 0.1, 0, 0.5,
                                     CV_METHOD["linear"])
    assert scores[1] == pytest.approx(0.72, rel=1e-6)
    # Two zero-area rects: OpenCV says IoU 1 (box 1 decays to 0 and goes); the contract says 0.
    _, idx = cv2.dnn.softNMSBoxes([[5, 5, 0, 0], [5, 5, 0, 0]], [0.9, 0.8], 0.001, 0.0, 0, 0.5,
                                  CV_METHOD["linear"])
    assert list(idx) == [0]
    # Float rects are refused.
    with pytest.raises(TypeError):
        cv2.dnn.softNMSBoxes([[0.0, 0.0, 10.5, 10.0]], [0.5], 0.001, 0.3)


# --- the reference against OpenCV ------------------------------------------------------------------

@pytest.mark.parametrize("method", ["linear", "gaussian"])
def test_matches_opencv_random(method):
    rng = np.random.default_rng(11 if method == "linear" else 12)
    checked = 0
    for trial in range(250):
        n = int(rng.integers(1, 40))
        xy = rng.integers(0, 60, (n, 2))
        boxes = np.hstack([xy, xy + rng.integers(1, 30, (n, 2))]).astype(np.float64)
        # float32-representable scores, so OpenCV sees the same inputs.
        scores = rng.uniform(0.01, 1.0, n).astype(np.float32).astype(np.float64)
        iou_threshold = float(rng.choice([0.0, 0.1, 0.3, 0.5, 0.7]))
        sigma = float(rng.choice([0.1, 0.3, 0.5, 1.0, 2.0]))
        score_threshold = float(rng.choice([0.0, 0.001, 0.05, 0.2]))
        if method == "linear" and np.any(np.abs(pairwise_iou(boxes) - iou_threshold) < 1e-6):
            continue  # OpenCV's float32 IoU can land on either side of an exact tie (see the module doc)
        args = (boxes, scores, iou_threshold, sigma, score_threshold, method)
        assert_same(ref.soft_nms(*args), opencv_soft_nms(*args), rtol=1e-5,
                    what=f"trial {trial}: thr {iou_threshold} sigma {sigma} score_thr {score_threshold}")
        checked += 1
    assert checked > 200


def test_suite_cases_agree_with_opencv():
    """Every named case OpenCV can take (integer boxes, or boxes that become integers when scaled by 4,
    which leaves every IoU unchanged) gets the same answer from OpenCV as from the reference."""
    checked = set()
    for case in suite.cases(np.random.default_rng(0)):
        kwargs = dict(case.kwargs)
        if case.name.startswith(("random", "many")) or kwargs.get("method", "gaussian") not in CV_METHOD:
            continue
        boxes = np.asarray(case.args[0], dtype=np.float64).reshape(-1, 4) * 4
        if not np.all(boxes == np.round(boxes)) or np.any((boxes[:, 2] == boxes[:, 0]) | (boxes[:, 3] == boxes[:, 1])):
            continue  # not integer, or zero-area boxes (where OpenCV's IoU convention differs)
        expected = opencv_soft_nms(boxes, case.args[1], **kwargs)
        assert_same(ref.soft_nms(*case.args, **kwargs), expected, rtol=1e-6, what=case.name)
        checked.add(case.name)
    assert {"docstring_linear", "docstring_gaussian", "reselect_gaussian", "reselect_linear",
            "linear_iou_at_threshold", "linear_below_threshold", "gaussian_sigma_1", "gaussian_sigma_0_2",
            "score_threshold_up_front", "score_threshold_after_decay", "score_threshold_zero",
            "decayed_scores_returned", "tied_scores", "tie_after_decay", "no_overlap", "empty",
            "single", "identical_linear", "identical_gaussian", "integer_lists"} <= checked


# --- the reference against hand-derived values ----------------------------------------------------

def test_docstring_examples_by_hand():
    # IoU(box 0, box 1) = 50 / 100 = 0.5 > 0.3: 0.8 -> 0.8 * 0.5 = 0.4; box 2 overlaps nothing (0.5).
    boxes = [[0, 0, 10, 10], [0, 0, 10, 5], [20, 20, 30, 30]]
    assert_same(ref.soft_nms(boxes, [0.9, 0.8, 0.5], iou_threshold=0.3, method="linear"),
                ([0, 2, 1], [0.9, 0.5, 0.4]))
    # Gaussian, sigma 0.5: 0.8 * exp(-0.25 / 0.5).
    assert_same(ref.soft_nms(boxes[:2], [0.9, 0.8]), ([0, 1], [0.9, 0.8 * math.exp(-0.5)]))
    np.testing.assert_allclose(0.8 * math.exp(-0.5), 0.48522453, rtol=1e-8)  # the docstring's figure


def test_reselection_by_hand():
    # Box 1 overlaps box 0 with IoU 80 / 100 = 0.8: 0.85 * exp(-0.64 / 0.5) = 0.236 falls below boxes 2
    # (0.6, untouched) and 3; box 3 overlaps box 2 with IoU 70 / 130: 0.5 * exp(-(7/13)**2 / 0.5) = 0.280.
    # Boxes 0/1 and 2/3 never overlap each other, so the order is 0, 2, 3, 1.
    boxes = [[0, 0, 10, 10], [0, 0, 10, 8], [30, 0, 40, 10], [33, 0, 43, 10]]
    s1 = 0.85 * math.exp(-0.64 / 0.5)
    s3 = 0.5 * math.exp(-(7 / 13) ** 2 / 0.5)
    assert_same(ref.soft_nms(boxes, [0.9, 0.85, 0.6, 0.5]), ([0, 2, 3, 1], [0.9, 0.6, s3, s1]))


def test_linear_threshold_is_strict_by_hand():
    # Box 1: IoU 50/100 = 0.5, not above 0.5: keeps 0.8. Box 2: IoU 60/100 = 0.6: 0.55 * 0.4 = 0.22; then
    # box 1 is selected and box 2 overlaps it with IoU 50/60: 0.22 * (1 - 5/6). Box 3 is far away.
    boxes = [[0, 0, 10, 10], [0, 0, 10, 5], [0, 0, 10, 6], [40, 40, 50, 50]]
    assert_same(ref.soft_nms(boxes, [0.9, 0.8, 0.55, 0.6], iou_threshold=0.5, method="linear"),
                ([0, 1, 3, 2], [0.9, 0.8, 0.6, 0.22 * (1 - 5 / 6)]), rtol=1e-12)


@pytest.mark.parametrize("sigma", [0.2, 0.5, 1.0, 3.0])
def test_gaussian_sigma_by_hand(sigma):
    # IoU 0.5 for every sigma: 0.8 * exp(-0.25 / sigma); iou_threshold plays no part in gaussian.
    out = ref.soft_nms([[0, 0, 10, 10], [0, 0, 10, 5]], [0.9, 0.8], iou_threshold=0.9, sigma=sigma)
    assert_same(out, ([0, 1], [0.9, 0.8 * math.exp(-0.25 / sigma)]))


def test_score_threshold_by_hand():
    # Up front: 0.2 < 0.25 goes, 0.25 stays. After decay: 0.5 * (1 - 0.5) = 0.25 stays (exact in binary),
    # 0.4 * (1 - 0.5) = 0.2 goes.
    disjoint = [[0, 0, 1, 1], [2, 2, 3, 3], [4, 4, 5, 5], [6, 6, 7, 7]]
    assert_same(ref.soft_nms(disjoint, [0.9, 0.25, 0.2, 0.3], score_threshold=0.25), ([0, 3, 1], [0.9, 0.3, 0.25]))
    halves = [[0, 0, 10, 10], [0, 0, 10, 5], [0, 5, 10, 10]]
    assert_same(ref.soft_nms(halves, [0.9, 0.5, 0.4], iou_threshold=0.3, score_threshold=0.25, method="linear"),
                ([0, 1], [0.9, 0.25]))


def test_ties_by_hand():
    # Boxes 0 and 2 sit symmetrically around box 1 (IoU 50/150 each), so they decay to exactly the same
    # score; box 3 is untouched at 0.6 and goes first, then the lower index of the tied pair.
    boxes = [[5, 0, 15, 10], [10, 0, 20, 10], [15, 0, 25, 10], [40, 0, 50, 10]]
    tied = 0.6 * math.exp(-(1 / 3) ** 2 / 0.5)
    assert_same(ref.soft_nms(boxes, [0.6, 0.9, 0.6, 0.6]), ([1, 3, 0, 2], [0.9, 0.6, tied, tied]))
    assert_same(ref.soft_nms([[0, 0, 1, 1], [2, 2, 3, 3], [4, 4, 5, 5]], [0.5, 0.5, 0.5]), ([0, 1, 2], [0.5] * 3))


def test_edge_inputs():
    idx, scores = ref.soft_nms(np.zeros((0, 4)), np.zeros(0))
    assert idx.shape == (0,) and idx.dtype.kind == "i" and scores.shape == (0,)
    idx, scores = ref.soft_nms([], [], method="linear")
    assert idx.size == 0 and scores.size == 0
    for method in ("hard", "Gaussian", "", None):
        with pytest.raises(ValueError):
            ref.soft_nms([[0, 0, 1, 1]], [0.5], method=method)
    with pytest.raises(ValueError):
        ref.soft_nms(np.zeros((0, 4)), np.zeros(0), method="hard")
    # Zero-area boxes have IoU 0 with everything: nothing decays.
    assert_same(ref.soft_nms([[5, 5, 5, 5], [5, 5, 5, 5], [0, 0, 10, 10]], [0.9, 0.8, 0.7], iou_threshold=0.0,
                             method="linear"), ([0, 1, 2], [0.9, 0.8, 0.7]))


def test_input_is_not_modified():
    boxes = np.array([[0, 0, 10, 10], [0, 0, 10, 5]], dtype=np.float64)
    scores = np.array([0.9, 0.8])
    ref.soft_nms(boxes, scores)
    np.testing.assert_array_equal(scores, [0.9, 0.8])


# The docstring's worked examples are checked against the reference for every exercise in
# tests/test_catalog.py.


# --- the suite's checker ---------------------------------------------------------------------------

def test_checker_never_raises_on_odd_values():
    expected = (np.array([0, 2, 1]), np.array([0.9, 0.5, 0.4]))
    assert suite.check_selection(expected, ([0, 2, 1], [0.9, 0.5, 0.4])) is None
    assert suite.check_selection(expected, (np.array([0, 2, 1]), np.array([0.9, 0.5, 0.4]))) is None
    odd = [None, "x", 3.5, [], [[0, 2, 1]], np.zeros((2, 3)), (None, None), ("a", "b"), ([0, 2], [0.9]),
           ([0.0, 2.0, 1.0], [0.9, 0.5, 0.4]), ([0, 2, 1], None), ([0, 2, 1], [0.9, 0.5]), ([[0, 2, 1]], [1, 2, 3]),
           (compare.Unsupported("generator"), [0.9]), ([0, 2, 1], compare.Unsupported("map")),
           ([0, 2, 1], [np.nan] * 3), ([0, 1, 2, 3], [1.0] * 4), (1, 2), [1, 2, 3], ([[0, 2], [1]], [0.9] * 3),
           ([0, 2, 1], [[0.9, 0.5], [0.4]]), ([0, 2, 1], [True, False, True]), ((0, 2, 1), (0.9, 0.5, 0.4, 0.1))]
    for value in odd:
        message = suite.check_selection(expected, value)
        assert isinstance(message, (str, compare.Problem)) and str(message), value


def test_checker_names_the_mistake():
    expected = (np.array([0, 2, 1]), np.array([0.9, 0.5, 0.4]))
    assert "wrong order" in suite.check_selection(expected, ([0, 1, 2], [0.9, 0.8, 0.5]))
    assert "highest current score" in suite.check_selection(expected, ([0, 1, 2], [0.9, 0.8, 0.5]))
    assert "after the decays" in suite.check_selection(expected, ([0, 2, 1], [0.9, 0.5, 0.8]))
    assert "lower than expected" in suite.check_selection(expected, ([0, 2, 1], [0.9, 0.5, 0.2]))
    assert "pair" in suite.check_selection(expected, np.array([[0, 2, 1], [0.9, 0.5, 0.4]]))
    assert "integers" in suite.check_selection(expected, ([0.0, 2.0, 1.0], [0.9, 0.5, 0.4]))


# --- grading ---------------------------------------------------------------------------------------

def graded(mistake):
    return graded_wrong("soft_nms", mistake)


def test_reference_and_loop_attempt_pass():
    for attempt in (catalog.get("soft_nms").solution_path, HERE / "fixtures" / "slow" / "soft_nms_loops.py"):
        result = grade_attempt("soft_nms", attempt)
        assert result.passed, [(c.name, c.status, c.message) for c in result.cases if not c.passed]
        # The pure-Python loop answer keeps a 3x margin under the 3 s limit on every case.
        assert max(c.seconds for c in result.cases) < 1.0


def test_wrong_attempts_get_useful_public_messages():
    sort_once = {c.name: c.message for c in graded("sort_once").cases}
    assert "wrong order" in sort_once["docstring_linear"] and "highest current score" in sort_once["docstring_linear"]
    input_scores = {c.name: c.message for c in graded("input_scores").cases}
    assert "after the decays" in input_scores["docstring_linear"]
    assert "after the decays" in input_scores["docstring_gaussian"]
