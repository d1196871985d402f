"""Hidden suite for mean_ap: the three interpolations and the envelope, then matching (duplicates, class,
image, IoU at the threshold, best unmatched ground truth), ranking, and the classes that count."""

import numpy as np

from grader.grading import compare
from grader.grading.suite import hidden, public


def check_ap(expected, actual):
    """One number within tolerance; an AP outside [0, 1] gets a pointer to where such values come from."""
    if isinstance(actual, tuple):  # the one decoded type compare.scalar would raise on
        return f"returned a tuple of length {len(actual)}, expected a single number"
    problem = compare.scalar(expected, actual)
    if problem is None or problem.kind != compare.VALUE:
        return problem
    value = float(np.asarray(actual, dtype=float).reshape(-1)[0])
    # These sentences name no data, so hidden cases show them too.
    if value > 1.0 + 1e-9:
        return compare.safe("returned an AP above 1: recall went past 1 (is a second detection of an "
                            "already-matched object counted as a true positive?)")
    if value < -1e-9:
        return compare.safe("returned an AP below 0, which is impossible (check the recall steps and precisions)")
    if value != value:
        return compare.safe("returned NaN: a division by zero (a class without detections should score 0)",
                            compare.NAN)
    return problem


CHECKS = {"average_precision": check_ap, "mean_average_precision": check_ap}

#: A class with this many ground truths never has a recall k / n that lands exactly on an 11- or
#: 101-point threshold other than 0 and 1 (n is 1 or a prime other than 2 and 5), so random cases
#: never hinge on how the learner builds the threshold list (i / 10 versus numpy.arange's
#: 0.30000000000000004, numpy.linspace versus i / 100). The named cases test recall on a threshold.
GT_COUNTS = (1, 3, 7, 11, 13)


def random_curve(rng, n_gt, n_det):
    """A precision-recall curve as a detector would make it: a random run of TPs and FPs."""
    tp = np.zeros(n_det)
    tp[rng.choice(n_det, size=int(rng.integers(1, min(n_gt, n_det) + 1)), replace=False)] = 1
    cum_tp = np.cumsum(tp)
    return cum_tp / n_gt, cum_tp / np.arange(1, n_det + 1)


def random_scene(rng, n_images, n_classes, extent=100.0, gt_counts=GT_COUNTS):
    """Ground truths per class and noisy detections of them, plus false alarms and stray classes."""
    gts = []
    for c in range(n_classes):
        for _ in range(int(rng.choice(gt_counts))):
            xy = rng.uniform(0, extent, 2)
            wh = rng.uniform(10, 40, 2)
            gts.append([int(rng.integers(n_images)), c, *xy, *(xy + wh)])
    gts = np.array(gts, dtype=np.float64)
    dets = []
    for g in gts:
        for _ in range(int(rng.integers(0, 3))):  # missed, found, or found twice
            box = g[2:] + rng.normal(0, 2, 4)
            cls = g[1] if rng.random() < 0.9 else int(rng.integers(n_classes + 1))
            dets.append([g[0], cls, rng.uniform(), *box])
    for _ in range(int(rng.integers(0, n_images + 2))):  # false alarms, some of a class with no objects
        xy = rng.uniform(0, extent, 2)
        wh = rng.uniform(5, 30, 2)
        dets.append([int(rng.integers(n_images)), int(rng.integers(n_classes + 1)), rng.uniform(), *xy, *(xy + wh)])
    dets = np.array(dets, dtype=np.float64).reshape(-1, 7)
    dets[:, 5:7] = np.maximum(dets[:, 5:7], dets[:, 3:5])
    return dets[rng.permutation(len(dets))], gts


def cases(rng):
    curve_r = [0.5, 0.5, 1.0]
    curve_p = [1.0, 0.5, 2 / 3]
    # TP, FP, TP, TP, FP against 4 objects: precision rises after the FP, so the envelope matters.
    env_r = [0.25, 0.25, 0.5, 0.75, 0.75]
    env_p = [1.0, 0.5, 2 / 3, 0.75, 0.6]
    doc_gts = [[0, 0, 0, 0, 10, 10], [0, 0, 20, 20, 30, 30]]
    doc_dets = [[0, 0, 0.9, 0, 0, 10, 10], [0, 0, 0.8, 1, 1, 11, 11], [0, 0, 0.7, 20, 20, 30, 30]]

    def arr(rows, width):
        return np.array(rows, dtype=np.float64).reshape(-1, width)

    out = [
        public("docstring_ap_voc", "the first average_precision example in the docstring", "average_precision",
               curve_r, curve_p, "voc"),
        public("docstring_ap_voc07", "the second average_precision example in the docstring",
               "average_precision", curve_r, curve_p, "voc07"),
        public("docstring_map", "the mean_average_precision example in the docstring", "mean_average_precision",
               doc_dets, doc_gts, 0.5, "voc"),
        public("docstring_map_tie", "the second mean_average_precision example: a tie in IoU", "mean_average_precision",
               [[0, 0, 0.9, 5, 0, 15, 10], [0, 0, 0.8, 10, 0, 20, 10]],
               [[0, 0, 0, 0, 10, 10], [0, 0, 10, 0, 20, 10]], 0.3, "voc"),
        # average_precision
        hidden("ap_voc_envelope", "voc: precision made non-increasing from the right before summing",
               "average_precision", env_r, env_p, "voc"),
        hidden("ap_voc07_envelope", "voc07: the largest precision at recall >= t, over 11 thresholds",
               "average_precision", env_r, env_p, "voc07"),
        hidden("ap_coco", "coco: the largest precision at recall >= t, over 101 thresholds",
               "average_precision", env_r, env_p, "coco"),
        hidden("ap_coco_docstring_curve", "coco: 101 thresholds from numpy.linspace(0, 1, 101)",
               "average_precision", curve_r, curve_p, "coco"),
        hidden("ap_voc07_recall_on_threshold", "voc07: a recall exactly equal to a threshold t counts (>=)",
               "average_precision", [0.2, 0.5], [1.0, 0.5], "voc07"),
        hidden("ap_recall_below_one", "recall never reaches 1: the rest of the curve counts as precision 0",
               "average_precision", [0.1, 0.4], [1.0, 0.8], "voc"),
        hidden("ap_recall_below_one_voc07", "voc07 when recall never reaches 1: thresholds above it give 0",
               "average_precision", [0.1, 0.4], [1.0, 0.8], "voc07"),
        hidden("ap_repeated_recall", "voc: repeated recall values add no area (sum only where recall changes)",
               "average_precision", [0.5, 0.5, 0.5, 1.0], [1.0, 0.5, 1 / 3, 0.5], "voc"),
        hidden("ap_numpy_input", "recall and precision given as numpy arrays", "average_precision",
               np.array(env_r), np.array(env_p), "voc"),
        hidden("ap_empty", "an empty curve (no detections): AP 0", "average_precision", [], [], "voc"),
        hidden("ap_empty_coco", "an empty curve with coco: AP 0", "average_precision", [], [], "coco"),
        hidden("ap_unknown_method", "an unknown method raises ValueError", "average_precision",
               curve_r, curve_p, "area"),
        # mean_average_precision: matching
        hidden("map_duplicate_detections", "a second detection of an already-matched object is a false positive",
               "mean_average_precision",
               arr([[0, 0, 0.9, 0, 0, 10, 10], [0, 0, 0.8, 0, 0, 10, 9], [0, 0, 0.7, 20, 0, 30, 10]], 7),
               arr([[0, 0, 0, 0, 10, 10], [0, 0, 20, 0, 30, 10]], 6), 0.5, "voc"),
        hidden("map_class_respected", "a detection only matches ground truths of its own class",
               "mean_average_precision",
               arr([[0, 1, 0.9, 0, 0, 10, 10], [0, 0, 0.8, 0, 0, 10, 10], [0, 1, 0.7, 20, 0, 30, 10]], 7),
               arr([[0, 0, 0, 0, 10, 10], [0, 1, 20, 0, 30, 10]], 6), 0.5, "voc"),
        hidden("map_image_respected", "a detection only matches ground truths of its own image",
               "mean_average_precision",
               arr([[1, 0, 0.9, 0, 0, 10, 10], [0, 0, 0.8, 0, 0, 10, 10], [1, 0, 0.7, 20, 0, 30, 10]], 7),
               arr([[0, 0, 0, 0, 10, 10], [1, 0, 20, 0, 30, 10]], 6), 0.5, "voc"),
        hidden("map_iou_at_threshold", "IoU exactly at iou_threshold is a true positive (>= not >)",
               "mean_average_precision",
               arr([[0, 0, 0.9, 0, 0, 10, 5], [0, 0, 0.8, 20, 0, 25, 10]], 7),
               arr([[0, 0, 0, 0, 10, 10], [0, 0, 20, 0, 30, 10]], 6), 0.5, "voc"),
        hidden("map_iou_at_threshold_075", "IoU exactly 0.75 at iou_threshold 0.75 is a true positive (coco)",
               "mean_average_precision", arr([[0, 0, 0.9, 0, 0, 10, 7.5]], 7), arr([[0, 0, 0, 0, 10, 10]], 6),
               0.75, "coco"),
        hidden("map_highest_iou_match", "a detection matches the ground truth it overlaps most, not the first one",
               "mean_average_precision",
               arr([[0, 0, 0.9, 4, 0, 14, 10], [0, 0, 0.8, 7, 0, 17, 10]], 7),
               arr([[0, 0, 0, 0, 10, 10], [0, 0, 6, 0, 16, 10]], 6), 0.4, "voc"),
        hidden("map_best_unmatched", "when the best ground truth is taken, match the best *unmatched* one",
               "mean_average_precision",
               arr([[0, 0, 0.9, 0, 0, 10, 10], [0, 0, 0.8, 2, 0, 12, 10]], 7),
               arr([[0, 0, 0, 0, 10, 10], [0, 0, 5, 0, 15, 10]], 6), 0.5, "voc"),
        hidden("map_small_boxes", "boxes smaller than one unit: IoU from the true areas, no pixel rounding",
               "mean_average_precision",
               arr([[0, 0, 0.9, 0, 0, 0.5, 0.5], [0, 0, 0.8, 0.3, 0, 0.8, 0.5], [0, 0, 0.7, 0.6, 0, 1.1, 0.5]], 7),
               arr([[0, 0, 0, 0, 0.5, 0.5], [0, 0, 0.6, 0, 1.1, 0.5]], 6), 0.5, "voc"),
        # ranking and the curve
        hidden("map_rank_by_score", "detections given in ascending score order: rank them by descending score",
               "mean_average_precision",
               arr([[0, 0, 0.3, 50, 50, 60, 60], [0, 0, 0.6, 0, 0, 10, 10], [0, 0, 0.9, 20, 0, 30, 10]], 7),
               arr([[0, 0, 0, 0, 10, 10], [0, 0, 20, 0, 30, 10]], 6), 0.5, "voc"),
        hidden("map_tied_scores", "equal scores keep their input order (a stable sort)", "mean_average_precision",
               arr([[0, 0, 0.5, 50, 50, 60, 60], [0, 0, 0.5, 0, 0, 10, 10]], 7), arr([[0, 0, 0, 0, 10, 10]], 6),
               0.5, "voc"),
        # The two tie rules of pycocotools, each where the other choice changes the AP.
        hidden("map_iou_tie_later_gt", "equal IoU with two unmatched ground truths: the later one is matched",
               "mean_average_precision",
               arr([[0, 0, 0.9, 5, 0, 15, 10], [0, 0, 0.8, 10, 0, 20, 10], [0, 0, 0.7, 40, 0, 50, 10]], 7),
               arr([[0, 0, 0, 0, 10, 10], [0, 0, 10, 0, 20, 10], [0, 0, 40, 0, 50, 10]], 6), 0.3, "voc"),
        hidden("map_score_tie_image_order", "equal scores across images: the lower image id ranks first",
               "mean_average_precision",
               arr([[1, 0, 0.5, 0, 0, 10, 10], [0, 0, 0.5, 50, 50, 60, 60]], 7), arr([[1, 0, 0, 0, 10, 10]], 6),
               0.5, "voc"),
        hidden("map_score_tie_image_then_input", "equal scores: by image id, then input order within an image",
               "mean_average_precision",
               arr([[2, 0, 0.6, 0, 0, 10, 10], [0, 0, 0.6, 70, 70, 80, 80], [2, 0, 0.6, 30, 30, 40, 40],
                    [0, 0, 0.6, 0, 0, 10, 10]], 7),
               arr([[2, 0, 0, 0, 10, 10], [0, 0, 0, 0, 10, 10], [0, 0, 90, 90, 99, 99]], 6), 0.5, "voc"),
        hidden("map_precision_envelope", "a false positive between true positives: use the precision envelope",
               "mean_average_precision",
               arr([[0, 0, 0.9, 0, 0, 10, 10], [0, 0, 0.8, 50, 50, 60, 60], [0, 0, 0.7, 20, 0, 30, 10],
                    [0, 0, 0.6, 40, 0, 50, 10]], 7),
               arr([[0, 0, 0, 0, 10, 10], [0, 0, 20, 0, 30, 10], [0, 0, 40, 0, 50, 10]], 6), 0.5, "voc"),
        hidden("map_voc07", "mAP with method voc07", "mean_average_precision", doc_dets, doc_gts, 0.5, "voc07"),
        hidden("map_coco", "mAP with method coco", "mean_average_precision", doc_dets, doc_gts, 0.5, "coco"),
        # which classes count
        hidden("map_class_without_detections", "a class with ground truths but no detections scores AP 0",
               "mean_average_precision", arr([[0, 0, 0.9, 0, 0, 10, 10]], 7),
               arr([[0, 0, 0, 0, 10, 10], [0, 1, 20, 0, 30, 10]], 6), 0.5, "voc"),
        hidden("map_detections_of_unknown_class", "detections of a class without ground truths are ignored",
               "mean_average_precision", arr([[0, 5, 0.95, 50, 50, 60, 60], [0, 0, 0.8, 0, 0, 10, 10]], 7),
               arr([[0, 0, 0, 0, 10, 10]], 6), 0.5, "voc"),
        hidden("map_no_detections", "no detections at all: mAP 0", "mean_average_precision", np.zeros((0, 7)),
               arr([[0, 0, 0, 0, 10, 10], [0, 3, 5, 5, 8, 8]], 6), 0.5, "voc"),
        hidden("map_no_ground_truths", "no ground truths at all raises ValueError", "mean_average_precision",
               arr([[0, 0, 0.9, 0, 0, 10, 10]], 7), np.zeros((0, 6)), 0.5, "voc"),
        hidden("map_unknown_method", "an unknown method raises ValueError", "mean_average_precision",
               doc_dets, doc_gts, 0.5, "area"),
        hidden("map_integer_lists", "integer ids and boxes given as Python lists, default arguments",
               "mean_average_precision", [[3, 7, 1, 0, 0, 4, 4], [3, 7, 2, 10, 10, 14, 14], [4, 7, 3, 0, 0, 4, 4]],
               [[3, 7, 0, 0, 4, 4], [4, 7, 0, 0, 4, 4], [4, 2, 1, 1, 3, 3]]),
    ]
    for i, method in enumerate(("voc", "voc07", "coco", "voc", "coco")):
        n_gt = int(rng.choice(GT_COUNTS[1:]))
        recall, precision = random_curve(rng, n_gt, int(rng.integers(1, 30)))
        out.append(hidden(f"ap_random_{i}", f"a random detector's curve, method {method}", "average_precision",
                          recall, precision, method))
    for i, (method, thr) in enumerate((("voc", 0.5), ("voc07", 0.5), ("coco", 0.5), ("coco", 0.75),
                                       ("voc", 0.3), ("coco", 0.8))):
        dets, gts = random_scene(rng, int(rng.integers(1, 6)), int(rng.integers(1, 5)))
        out.append(hidden(f"map_random_{i}", f"random images and classes, {method} at IoU {thr}",
                          "mean_average_precision", dets, gts, thr, method))
    dets, gts = random_scene(rng, 40, 6, extent=200.0, gt_counts=(37, 41, 43, 47, 53))
    out.append(hidden("map_many", "a few hundred detections of a few hundred objects in 40 images",
                      "mean_average_precision", dets, gts, 0.5, "coco"))
    return out
