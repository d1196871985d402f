"""mean_ap: the reference against pycocotools' COCOeval and hand-computed curves, and the suite against
known mistakes.

COCOeval is built in memory: ground-truth annotation ids start at 1 (0 would be read as "unmatched"),
iscrowd 0, areas w * h. Its parameters stay the defaults (mAP@[.5:.95] over
numpy.linspace(0.5, 0.95, 10), 101 recall thresholds, area range "all" = [0, 1e10]) except maxDets,
raised so that no detection is cut (summarize's headline figure is hard-wired to 100 detections per
image, so the scenes stay below that). Its matching is the contract's: per image and class, detections by
descending score (a stable sort), each to the unmatched ground truth with the highest IoU >= t; its
precision envelope and 101-point sampling are the contract's "coco" method; categories without ground
truths are left out of the mean. "voc" and "voc07" have no such oracle: their cases are worked by hand.
"""

import contextlib
import io
from pathlib import Path

import numpy as np
import pytest
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

from grader import catalog
from grader.grading import compare
from grader.grading.attempt import grade_attempt
from wrong_attempts import graded_wrong

HERE = Path(__file__).parent
ref = catalog.get("mean_ap").reference()
suite = catalog.get("mean_ap").suite()
THRESHOLDS = np.linspace(0.5, 0.95, 10)


def coco_eval(detections, ground_truths):
    """COCOeval on (N, 7) detections and (M, 6) ground truths; returns the evaluated object."""
    dets = np.asarray(detections, dtype=np.float64).reshape(-1, 7)
    gts = np.asarray(ground_truths, dtype=np.float64).reshape(-1, 6)
    images = [{"id": i} for i in sorted({int(v) for v in gts[:, 0]} | {int(v) for v in dets[:, 0]})]
    categories = [{"id": c} for c in sorted({int(v) for v in gts[:, 1]} | {int(v) for v in dets[:, 1]})]
    annotations = [{"id": k + 1, "image_id": int(g[0]), "category_id": int(g[1]), "iscrowd": 0,
                    "bbox": [g[2], g[3], g[4] - g[2], g[5] - g[3]], "area": (g[4] - g[2]) * (g[5] - g[3])}
                   for k, g in enumerate(gts)]
    results = [{"image_id": int(d[0]), "category_id": int(d[1]), "score": float(d[2]),
                "bbox": [d[3], d[4], d[5] - d[3], d[6] - d[4]]} for d in dets]
    with contextlib.redirect_stdout(io.StringIO()):
        coco_gt = COCO()
        coco_gt.dataset = {"images": images, "annotations": annotations, "categories": categories}
        coco_gt.createIndex()
        if results:
            coco_dt = coco_gt.loadRes(results)
        else:  # loadRes cannot take an empty list
            coco_dt = COCO()
            coco_dt.dataset = {"images": images, "annotations": [], "categories": categories}
            coco_dt.createIndex()
        evaluator = COCOeval(coco_gt, coco_dt, "bbox")
        # No cap that bites: summarize's mAP@[.5:.95] (stats[0]) is hard-wired to maxDets=100, and the
        # scenes stay under 100 detections per image; the per-threshold figures use the last entry.
        assert max(np.unique(dets[:, 0], return_counts=True)[1], default=0) < 100
        evaluator.params.maxDets = [1, 10, 100, 1_000_000]
        evaluator.evaluate()
        evaluator.accumulate()
        evaluator.summarize()
    return evaluator


def coco_ap_per_threshold(evaluator):
    """Mean precision over recall thresholds and categories that have ground truths, per IoU threshold."""
    precision = evaluator.eval["precision"][:, :, :, 0, -1]  # T, R, K at area "all", the largest maxDets
    out = []
    for per_t in precision:
        kept = per_t[:, (per_t > -1).all(axis=0)]  # -1 marks a category without ground truths
        out.append(kept.mean())
    return np.array(out)


def random_scene(rng, n_images, n_classes):
    """Ground truths of random classes, detections near some of them (some twice, some of the wrong
    class), and false alarms, including a class with no ground truths at all."""
    gts = []
    for _ in range(int(rng.integers(1, 40))):
        xy = rng.uniform(0, 100, 2)
        gts.append([int(rng.integers(n_images)), int(rng.integers(n_classes)), *xy, *(xy + rng.uniform(4, 40, 2))])
    gts = np.array(gts)
    dets = []
    for g in gts:
        for _ in range(int(rng.integers(0, 3))):
            cls = g[1] if rng.random() < 0.85 else int(rng.integers(n_classes + 1))
            dets.append([g[0], cls, rng.uniform(), *(g[2:] + rng.normal(0, 2.5, 4))])
    for _ in range(int(rng.integers(0, 10))):
        xy = rng.uniform(0, 100, 2)
        dets.append([int(rng.integers(n_images)), int(rng.integers(n_classes + 1)), rng.uniform(),
                     *xy, *(xy + rng.uniform(4, 40, 2))])
    dets = np.array(dets, dtype=np.float64).reshape(-1, 7)
    dets[:, 5:] = np.maximum(dets[:, 5:], dets[:, 3:5])
    return dets, gts


# --- the reference against COCOeval ---------------------------------------------------------------

def test_coco_matches_cocoeval_random():
    rng = np.random.default_rng(21)
    for trial in range(40):
        dets, gts = random_scene(rng, int(rng.integers(1, 6)), int(rng.integers(1, 5)))
        evaluator = coco_eval(dets, gts)
        ours = np.array([ref.mean_average_precision(dets, gts, t, "coco") for t in THRESHOLDS])
        np.testing.assert_allclose(ours, coco_ap_per_threshold(evaluator), rtol=1e-12, atol=1e-12,
                                   err_msg=f"trial {trial}")
        # COCO's headline mAP@[.5:.95] is the mean over the ten thresholds.
        assert ours.mean() == pytest.approx(evaluator.stats[0], rel=1e-12, abs=1e-12)


def _tied_scene(rng):
    """Detections with scores from a handful of values (ties across and within images), and ground
    truths in pairs placed so that a detection between them overlaps both equally (ties in IoU)."""
    gts, dets = [], []
    for image in range(int(rng.integers(1, 4))):
        for _ in range(int(rng.integers(1, 4))):
            x, y = rng.integers(0, 80, 2).astype(float)
            gts += [[image, 0, x, y, x + 10, y + 10], [image, 0, x + 10, y, x + 20, y + 10]]
            for _ in range(int(rng.integers(1, 4))):
                shift = float(rng.choice([5.0, 0.0, 10.0, 2.0]))
                dets.append([image, 0, float(rng.choice([0.3, 0.5, 0.7])), x + shift, y, x + shift + 10, y + 10])
    dets = np.array(dets, dtype=np.float64)
    return dets[rng.permutation(len(dets))], np.array(gts, dtype=np.float64)


def test_ties_follow_cocoeval():
    """Both tie rules against COCOeval: equal scores (by image id, then input order) and equal IoUs
    (the later ground truth). The scenes are full of both, and the first-wins, input-order rules give
    another figure on many of them, so this test tells the two apart."""
    rng = np.random.default_rng(5)
    differs = 0
    for trial in range(40):
        dets, gts = _tied_scene(rng)
        for t in (0.3, 0.5):
            evaluator = coco_eval(dets, gts)
            evaluator.params.iouThrs = np.array([t])
            with contextlib.redirect_stdout(io.StringIO()):
                evaluator.evaluate()
                evaluator.accumulate()
            expected = coco_ap_per_threshold(evaluator)[0]
            assert ref.mean_average_precision(dets, gts, t, "coco") == pytest.approx(expected, rel=1e-12, abs=1e-12), trial
            differs += not np.isclose(_first_wins_map(dets, gts, t), expected, rtol=1e-9, atol=1e-12)
    assert differs >= 10, "the scenes must hold ties that change the figure"


def _first_wins_map(dets, gts, t):
    """The other tie rules (stable sort on score alone, first ground truth on equal IoU): only to show
    that the scenes above depend on the rules."""
    order = np.argsort(-dets[:, 2], kind="stable")
    matched = np.zeros(len(gts), dtype=bool)
    tp = []
    for det in dets[order]:
        cand = np.flatnonzero((gts[:, 0] == det[0]) & ~matched)
        ious = np.array([_box_iou(det[3:], g[2:]) for g in gts[cand]])
        if cand.size and ious.max() >= t:
            matched[cand[int(np.argmax(ious))]] = True
            tp.append(1.0)
        else:
            tp.append(0.0)
    cum = np.cumsum(tp)
    return ref.average_precision(cum / len(gts), cum / np.arange(1, len(tp) + 1), "coco")


def _box_iou(a, b):
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - w * h
    return w * h / union if union > 0 else 0.0


def test_coco_matches_cocoeval_on_the_suite_cases():
    """Every mAP case of the suite, whatever its own method, scored with "coco" agrees with COCOeval at
    its own threshold: the named matching cases get an oracle too."""
    checked = 0
    for case in suite.cases(np.random.default_rng(0)):
        if case.func != "mean_average_precision" or case.name in ("map_no_ground_truths", "map_unknown_method"):
            continue
        dets, gts = case.args[0], case.args[1]
        t = case.args[2] if len(case.args) > 2 else 0.5
        evaluator = coco_eval(dets, gts)
        evaluator.params.iouThrs = np.array([t])
        with contextlib.redirect_stdout(io.StringIO()):
            evaluator.evaluate()
            evaluator.accumulate()
        assert ref.mean_average_precision(dets, gts, t, "coco") == pytest.approx(
            coco_ap_per_threshold(evaluator)[0], rel=1e-12, abs=1e-12), case.name
        checked += 1
    assert checked >= 20


# --- average_precision by hand --------------------------------------------------------------------

def test_docstring_curve_by_hand():
    r, p = [0.5, 0.5, 1.0], [1.0, 0.5, 2 / 3]
    # voc: envelope [1, 2/3, 2/3]; recall 0 -> 0.5 at 1.0 and 0.5 -> 1.0 at 2/3.
    assert ref.average_precision(r, p, "voc") == pytest.approx(0.5 + 0.5 * 2 / 3, rel=1e-15)
    # voc07: t = 0 .. 0.5 (6 thresholds) -> 1.0, t = 0.6 .. 1.0 (5) -> 2/3.
    assert ref.average_precision(r, p, "voc07") == pytest.approx((6 + 5 * 2 / 3) / 11, rel=1e-15)
    # coco: t = 0.00 .. 0.50 (51 thresholds) -> 1.0, 0.51 .. 1.00 (50) -> 2/3.
    assert ref.average_precision(r, p, "coco") == pytest.approx((51 + 50 * 2 / 3) / 101, rel=1e-15)
    assert ref.average_precision(r, p) == ref.average_precision(r, p, "voc")


def test_envelope_curve_by_hand():
    # TP FP TP TP FP against 4 objects: recall 1/4 1/4 2/4 3/4 3/4, precision 1 1/2 2/3 3/4 3/5.
    r, p = [0.25, 0.25, 0.5, 0.75, 0.75], [1.0, 0.5, 2 / 3, 0.75, 0.6]
    # voc: envelope 1, 3/4, 3/4, 3/4, 3/5: 0.25 * 1 + 0.25 * 0.75 + 0.25 * 0.75, and recall 0.75 -> 1 at 0.
    assert ref.average_precision(r, p, "voc") == pytest.approx(0.625, rel=1e-15)
    # voc07: t = 0, .1, .2 -> 1; t = .3 .. .7 (5) -> 0.75; t = .8, .9, 1 -> 0.
    assert ref.average_precision(r, p, "voc07") == pytest.approx((3 + 5 * 0.75) / 11, rel=1e-15)
    # coco: t = 0.00 .. 0.25 (26) -> 1; 0.26 .. 0.75 (50) -> 0.75; above -> 0.
    assert ref.average_precision(r, p, "coco") == pytest.approx((26 + 50 * 0.75) / 101, rel=1e-15)
    # Without the envelope voc would be 0.25 + 0.25 * 2/3 + 0.25 * 0.75: the case tells them apart.
    assert abs(0.625 - (0.25 + 0.25 * 2 / 3 + 0.25 * 0.75)) > 0.01


def test_edges_of_the_curve_by_hand():
    # Recall exactly on voc07 thresholds 0.2 and 0.5 counts: t = 0, .1, .2 -> 1; .3, .4, .5 -> 0.5.
    assert ref.average_precision([0.2, 0.5], [1.0, 0.5], "voc07") == pytest.approx(4.5 / 11, rel=1e-15)
    # Recall stops at 0.4: voc 0.1 * 1 + 0.3 * 0.8; voc07 t = 0, .1 -> 1, t = .2, .3, .4 -> 0.8.
    assert ref.average_precision([0.1, 0.4], [1.0, 0.8], "voc") == pytest.approx(0.34, rel=1e-14)
    assert ref.average_precision([0.1, 0.4], [1.0, 0.8], "voc07") == pytest.approx(4.4 / 11, rel=1e-14)
    # Repeated recall: only the steps 0 -> 0.5 (at 1.0) and 0.5 -> 1.0 (at 0.5) add area.
    assert ref.average_precision([0.5, 0.5, 0.5, 1.0], [1.0, 0.5, 1 / 3, 0.5], "voc") == pytest.approx(0.75)
    # A perfect detector scores 1 everywhere; an empty curve 0.
    for method in ("voc", "voc07", "coco"):
        assert ref.average_precision([0.5, 1.0], [1.0, 1.0], method) == pytest.approx(1.0, rel=1e-15)
        assert ref.average_precision([], [], method) == 0.0
        assert ref.average_precision(np.array([0.5, 1.0]), np.array([1.0, 1.0]), method) == pytest.approx(1.0)
    for method in ("area", "VOC", "", None):
        with pytest.raises(ValueError):
            ref.average_precision([0.5], [1.0], method)


# --- mean_average_precision by hand ----------------------------------------------------------------

A, B, C = [0, 0, 10, 10], [20, 0, 30, 10], [40, 0, 50, 10]
FAR = [50, 50, 60, 60]


def det(image, cls, score, box):
    return [image, cls, score, *box]


def gt(image, cls, box):
    return [image, cls, *box]


@pytest.mark.parametrize("name,dets,gts,thr,expected", [
    # The docstring: TP, FP (IoU 81/119 with an already matched object), TP: the curve above, voc 5/6.
    ("docstring", [det(0, 0, .9, [0, 0, 10, 10]), det(0, 0, .8, [1, 1, 11, 11]), det(0, 0, .7, [20, 20, 30, 30])],
     [gt(0, 0, [0, 0, 10, 10]), gt(0, 0, [20, 20, 30, 30])], 0.5, 5 / 6),
    # A duplicate of A (IoU 0.9) between the two TPs: TP FP TP, 5/6 (not 1.0, and recall never passes 1).
    ("duplicates", [det(0, 0, .9, A), det(0, 0, .8, [0, 0, 10, 9]), det(0, 0, .7, B)],
     [gt(0, 0, A), gt(0, 0, B)], 0.5, 5 / 6),
    # Class 1's first detection sits on class 0's object: class 0 TP -> 1; class 1 FP, TP -> 0.5 * 0.5.
    ("class_respected", [det(0, 1, .9, A), det(0, 0, .8, A), det(0, 1, .7, B)],
     [gt(0, 0, A), gt(0, 1, B)], 0.5, (1 + 0.5) / 2),
    # The top detection is on image 1 where nothing is at A: FP, TP, TP -> 0.5 * 2/3 + 0.5 * 2/3.
    ("image_respected", [det(1, 0, .9, A), det(0, 0, .8, A), det(1, 0, .7, B)],
     [gt(0, 0, A), gt(1, 0, B)], 0.5, 2 / 3),
    # IoU 50/100 and 50/100, exactly 0.5: both TPs, AP 1.
    ("iou_at_threshold", [det(0, 0, .9, [0, 0, 10, 5]), det(0, 0, .8, [20, 0, 25, 10])],
     [gt(0, 0, A), gt(0, 0, B)], 0.5, 1.0),
    # Detection 1 overlaps A with IoU 60/140 and the second object with 80/120: it takes the second. Detection
    # 2 overlaps the second object (taken) and A with IoU 30/170 < 0.4: FP. TP FP -> 0.5.
    ("highest_iou", [det(0, 0, .9, [4, 0, 14, 10]), det(0, 0, .8, [7, 0, 17, 10])],
     [gt(0, 0, A), gt(0, 0, [6, 0, 16, 10])], 0.4, 0.5),
    # Detection 2's best object (A, IoU 80/120) is taken; the best unmatched one has IoU 70/130 >= 0.5: TP.
    ("best_unmatched", [det(0, 0, .9, A), det(0, 0, .8, [2, 0, 12, 10])],
     [gt(0, 0, A), gt(0, 0, [5, 0, 15, 10])], 0.5, 1.0),
    # Given in ascending score order; ranked: TP (0.9), TP (0.6), FP (0.3) -> 1.
    ("rank_by_score", [det(0, 0, .3, FAR), det(0, 0, .6, A), det(0, 0, .9, B)],
     [gt(0, 0, A), gt(0, 0, B)], 0.5, 1.0),
    # Equal scores keep input order: FP then TP -> recall 0, 1; precision 0, 0.5 -> 0.5.
    ("tied_scores", [det(0, 0, .5, FAR), det(0, 0, .5, A)], [gt(0, 0, A)], 0.5, 0.5),
    # TP FP TP TP against 3: envelope 1, 3/4, 3/4, 3/4 -> 1/3 + 1/3 * 3/4 + 1/3 * 3/4.
    ("envelope", [det(0, 0, .9, A), det(0, 0, .8, FAR), det(0, 0, .7, B), det(0, 0, .6, C)],
     [gt(0, 0, A), gt(0, 0, B), gt(0, 0, C)], 0.5, 1 / 3 + 2 / 3 * 0.75),
    # Class 1 has an object and no detections: AP 0, so the mean is (1 + 0) / 2.
    ("class_without_detections", [det(0, 0, .9, A)], [gt(0, 0, A), gt(0, 1, B)], 0.5, 0.5),
    # Class 5 has no objects: its (higher-scored) detection is ignored.
    ("unknown_class", [det(0, 5, .95, FAR), det(0, 0, .8, A)], [gt(0, 0, A)], 0.5, 1.0),
    ("no_detections", np.zeros((0, 7)), [gt(0, 0, A), gt(0, 3, [5, 5, 8, 8])], 0.5, 0.0),
    # Class 7: TP (image 4), FP (image 3, far), TP (image 3) -> 5/6; class 2: nothing detected -> 0.
    ("integer_lists", [[3, 7, 1, 0, 0, 4, 4], [3, 7, 2, 10, 10, 14, 14], [4, 7, 3, 0, 0, 4, 4]],
     [[3, 7, 0, 0, 4, 4], [4, 7, 0, 0, 4, 4], [4, 2, 1, 1, 3, 3]], 0.5, 5 / 12),
])
def test_map_by_hand(name, dets, gts, thr, expected):
    assert ref.mean_average_precision(dets, gts, thr, "voc") == pytest.approx(expected, rel=1e-14, abs=1e-15)


def test_map_methods_and_errors_by_hand():
    dets = [det(0, 0, .9, [0, 0, 10, 10]), det(0, 0, .8, [1, 1, 11, 11]), det(0, 0, .7, [20, 20, 30, 30])]
    gts = [gt(0, 0, [0, 0, 10, 10]), gt(0, 0, [20, 20, 30, 30])]
    assert ref.mean_average_precision(dets, gts, 0.5, "voc07") == pytest.approx((6 + 5 * 2 / 3) / 11, rel=1e-15)
    assert ref.mean_average_precision(dets, gts) == pytest.approx(5 / 6, rel=1e-15)
    # IoU 75/100 at threshold 0.75 (exact in binary, and numpy.linspace(0.5, 0.95, 10)[5] is exactly 0.75).
    assert THRESHOLDS[5] == 0.75
    assert ref.mean_average_precision([det(0, 0, .9, [0, 0, 10, 7.5])], [gt(0, 0, A)], 0.75, "coco") == 1.0
    with pytest.raises(ValueError):
        ref.mean_average_precision(dets, np.zeros((0, 6)))
    with pytest.raises(ValueError):
        ref.mean_average_precision([], [])
    with pytest.raises(ValueError):
        ref.mean_average_precision(dets, gts, 0.5, "area")


def test_map_does_not_modify_its_input():
    dets = np.array([det(0, 0, .3, FAR), det(0, 0, .9, A)], dtype=np.float64)
    before = dets.copy()
    ref.mean_average_precision(dets, np.array([gt(0, 0, A)], dtype=np.float64))
    np.testing.assert_array_equal(dets, before)


# The docstring's worked examples are checked against the reference for every exercise in
# tests/test_catalog.py.


# --- the suite's checker ---------------------------------------------------------------------------

def test_checker_never_raises_on_odd_values():
    odd = [None, "x", [], [1.0, 2.0], np.zeros(3), np.array([[0.5, 0.5]]), float("nan"), True,
           compare.Unsupported("generator"), (0.5,), (), 1.5, -0.2, [[0.5, 0.5]]]
    for check in suite.CHECKS.values():
        assert check(0.5, 0.5) is None and check(0.5, np.float64(0.5)) is None and check(0.5, [0.5]) is None
        for value in odd:
            message = check(0.5, value)
            assert isinstance(message, (str, compare.Problem)) and str(message), value


def test_checker_points_at_impossible_values():
    assert "already-matched" in suite.check_ap(0.8, 1.5)
    assert "below 0" in suite.check_ap(0.8, -0.1)
    assert "NaN" in suite.check_ap(0.8, float("nan"))


# --- grading ---------------------------------------------------------------------------------------

def graded(mistake):
    return graded_wrong("mean_ap", mistake)


def test_reference_passes():
    result = grade_attempt("mean_ap", catalog.get("mean_ap").solution_path)
    assert result.passed, [(c.name, c.status, c.message) for c in result.cases if not c.passed]
    assert max(c.seconds for c in result.cases) < 1.0


def test_wrong_attempts_get_useful_public_messages():
    docstring = {c.name: c.message for c in graded("duplicates_as_tp").cases}["docstring_map"]
    assert "above 1" in docstring and "already-matched" in docstring
