"""Reference: Soft-NMS (Bodla et al. 2017) with re-selection of the best current score each round."""

import numpy as np

METHODS = ("gaussian", "linear")


def _iou_one_to_many(box, boxes):
    """IoU of one (4,) box against (K, 4) boxes; a zero-area union gives 0.0."""
    w = np.clip(np.minimum(box[2], boxes[:, 2]) - np.maximum(box[0], boxes[:, 0]), 0, None)
    h = np.clip(np.minimum(box[3], boxes[:, 3]) - np.maximum(box[1], boxes[:, 1]), 0, None)
    inter = w * h
    union = (box[2] - box[0]) * (box[3] - box[1]) + (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]) - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def soft_nms(boxes, scores, iou_threshold=0.3, sigma=0.5, score_threshold=0.001, method="gaussian"):
    # Validate before looking at the data, so a bad method fails even on empty input.
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}: expected one of {METHODS}")
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    current = np.array(scores, dtype=np.float64).reshape(-1)  # a copy: decays must not touch the input
    # Remaining candidates, kept in ascending index order so that argmax's first-maximum rule breaks
    # ties towards the lower index. A score equal to the threshold stays (drop only when below).
    alive = np.flatnonzero(current >= score_threshold)
    keep, kept_scores = [], []
    while alive.size:
        # Decays reorder the boxes, so the best one must be found afresh every round.
        best = alive[np.argmax(current[alive])]
        keep.append(int(best))
        kept_scores.append(float(current[best]))
        alive = alive[alive != best]
        if not alive.size:
            break
        ious = _iou_one_to_many(boxes[best], boxes[alive])
        if method == "gaussian":
            decay = np.exp(-(ious ** 2) / sigma)
        else:
            # Linear decay only for boxes that overlap more than the threshold (strictly).
            decay = np.where(ious > iou_threshold, 1.0 - ious, 1.0)
        current[alive] *= decay
        alive = alive[current[alive] >= score_threshold]
    return np.asarray(keep, dtype=np.int64), np.asarray(kept_scores, dtype=np.float64)
