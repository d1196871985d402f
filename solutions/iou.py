"""Reference: IoU of axis-aligned boxes in continuous (x1, y1, x2, y2) coordinates."""

import numpy as np


def iou(box_a, box_b):
    return float(pairwise_iou(np.reshape(box_a, (1, 4)), np.reshape(box_b, (1, 4)))[0, 0])


def pairwise_iou(boxes_a, boxes_b):
    a = np.asarray(boxes_a, dtype=np.float64).reshape(-1, 4)
    b = np.asarray(boxes_b, dtype=np.float64).reshape(-1, 4)
    # Broadcast (N, 1) against (1, M): every pair at once, and empty inputs fall out as (0, M) / (N, 0).
    w = np.clip(np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0]), 0, None)
    h = np.clip(np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1]), 0, None)
    inter = w * h
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a[:, None] + area_b[None, :] - inter
    # A union of zero area (two degenerate boxes) has IoU 0 by the contract, not NaN.
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
