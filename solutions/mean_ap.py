"""Reference: average precision (VOC all-point, VOC2007 11-point, COCO 101-point) and mAP."""

import numpy as np

METHODS = ("voc", "voc07", "coco")


def _check_method(method):
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}: expected one of {METHODS}")


def average_precision(recall, precision, method="voc"):
    _check_method(method)
    recall = np.asarray(recall, dtype=np.float64).reshape(-1)
    precision = np.asarray(precision, dtype=np.float64).reshape(-1)
    if recall.shape != precision.shape:
        raise ValueError(f"recall and precision differ in length: {recall.size} and {precision.size}")
    if method == "voc":
        mrec = np.concatenate(([0.0], recall, [1.0]))
        mpre = np.concatenate(([0.0], precision, [0.0]))
        # The envelope: precision at recall r becomes the best precision at any recall >= r.
        mpre = np.maximum.accumulate(mpre[::-1])[::-1]
        # Area under the step curve, one rectangle per point where recall moves.
        steps = np.flatnonzero(mrec[1:] != mrec[:-1])
        return float(np.sum((mrec[steps + 1] - mrec[steps]) * mpre[steps + 1]))
    # i / 10, not np.arange(0, 1.1, 0.1), whose 0.30000000000000004 would miss a recall of exactly 0.3.
    # COCO uses numpy.linspace itself, so its thresholds are taken exactly as it builds them.
    thresholds = [i / 10 for i in range(11)] if method == "voc07" else np.linspace(0.0, 1.0, 101)
    total = 0.0
    for t in thresholds:
        reached = recall >= t
        # Best precision anywhere at recall >= t: the envelope, sampled at t.
        total += float(precision[reached].max()) if reached.any() else 0.0
    return total / len(thresholds)


def _iou_one_to_many(box, boxes):
    w = np.clip(np.minimum(box[2], boxes[:, 2]) - np.maximum(box[0], boxes[:, 0]), 0, None)
    h = np.clip(np.minimum(box[3], boxes[:, 3]) - np.maximum(box[1], boxes[:, 1]), 0, None)
    inter = w * h
    union = (box[2] - box[0]) * (box[3] - box[1]) + (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]) - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def _class_ap(dets, gts, iou_threshold, method):
    """AP of one class: dets (D, 7) and gts (G, 6) already restricted to it, G >= 1."""
    # As pycocotools: descending score, equal scores by image id, then input order (lexsort's last
    # key is the primary one). Ties decide where a detection stands on the curve.
    dets = dets[np.lexsort((np.arange(len(dets)), dets[:, 0], -dets[:, 2]))]
    matched = np.zeros(len(gts), dtype=bool)
    tp = np.zeros(len(dets))
    for k, det in enumerate(dets):
        # A ground truth already claimed by a higher-scoring detection cannot be claimed again:
        # a duplicate detection of one object is a false positive.
        candidates = np.flatnonzero((gts[:, 0] == det[0]) & ~matched)
        if not candidates.size:
            continue
        ious = _iou_one_to_many(det[3:7], gts[candidates, 2:6])
        # Among equal IoUs the later ground truth wins, as in pycocotools (it keeps a match on >=).
        best = len(ious) - 1 - int(np.argmax(ious[::-1]))
        if ious[best] >= iou_threshold:
            tp[k] = 1.0
            matched[candidates[best]] = True
    cum_tp = np.cumsum(tp)
    cum_fp = np.cumsum(1.0 - tp)
    recall = cum_tp / len(gts)
    precision = cum_tp / (cum_tp + cum_fp)  # never 0 / 0: row k has k + 1 detections
    # No detections gives empty curves, and every method scores those 0.
    return average_precision(recall, precision, method)


def mean_average_precision(detections, ground_truths, iou_threshold=0.5, method="voc"):
    _check_method(method)
    dets = np.asarray(detections, dtype=np.float64).reshape(-1, 7)
    gts = np.asarray(ground_truths, dtype=np.float64).reshape(-1, 6)
    if not len(gts):
        raise ValueError("no ground truths: mAP is undefined")
    # Only classes with ground truths count; detections of any other class are ignored.
    aps = [_class_ap(dets[dets[:, 1] == c], gts[gts[:, 1] == c], iou_threshold, method)
           for c in np.unique(gts[:, 1])]
    return float(np.mean(aps))
