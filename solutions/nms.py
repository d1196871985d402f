"""Reference: greedy hard NMS with torchvision.ops.nms semantics."""

import numpy as np


def nms(boxes, scores, iou_threshold):
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    scores = np.asarray(scores, dtype=np.float64).reshape(-1)
    if len(boxes) == 0:
        return np.zeros(0, dtype=np.int64)
    x1, y1, x2, y2 = boxes.T
    areas = (x2 - x1) * (y2 - y1)
    # Stable sort on the negated scores: equal scores keep the lower index first.
    order = np.argsort(-scores, kind="stable")
    suppressed = np.zeros(len(boxes), dtype=bool)
    keep = []
    for i in order:
        if suppressed[i]:
            continue
        keep.append(i)
        # Only kept boxes suppress: a box suppressed earlier never reaches this line.
        # np.maximum(., 0), not np.clip: the same values (NaN stays NaN), at a third of the cost.
        w = np.maximum(np.minimum(x2[i], x2) - np.maximum(x1[i], x1), 0.0)
        h = np.maximum(np.minimum(y2[i], y2) - np.maximum(y1[i], y1), 0.0)
        inter = w * h
        union = areas[i] + areas - inter
        iou = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
        suppressed |= iou > iou_threshold
    return np.asarray(keep, dtype=np.int64)
