"""Soft-NMS (Bodla et al. 2017, "Improving Object Detection With One Line of Code").

Hard NMS deletes every box that overlaps a better one too much. Soft-NMS only lowers its score,
more the more it overlaps, so a second object hidden behind the first can still come out.

Boxes are float arrays of shape (N, 4) in (x1, y1, x2, y2) continuous coordinates, x1 <= x2 and
y1 <= y2. Area is (x2 - x1) * (y2 - y1): no "+1 pixel". Inputs may be lists or numpy arrays. The IoU
of two boxes whose union has zero area is 0.0. Equal scores: the lower index comes first.

Indices are compared exactly, in order; scores with rtol=1e-5, atol=1e-6 (so float32 arithmetic
passes). An empty result may be [] or any numpy array of size 0.

Write it by hand with Python and numpy: cv2, torch, torchvision, scipy and the like are refused.
Check your work with `grade soft_nms`; stuck? `grade hint soft_nms`.
"""

import numpy as np


def soft_nms(boxes, scores, iou_threshold=0.3, sigma=0.5, score_threshold=0.001, method="gaussian"):
    """Soft-NMS: returns `(indices, scores)`.

    1. Drop every box whose score is below `score_threshold` (a score equal to it stays).
    2. Repeat while boxes remain:
       - select the remaining box with the highest *current* score (equal scores: the lower
         index); record its index and its current score; remove it from the remaining boxes;
       - decay the score of every remaining box by its IoU with the selected one:
           method="gaussian": score *= exp(-iou**2 / sigma)      (every remaining box)
           method="linear":   score *= 1 - iou                   (only when iou > iou_threshold)
       - drop the remaining boxes whose score is now below `score_threshold`.
    Scores change as you go, so the order is NOT fixed by the input scores: a box can fall behind
    one that started lower. `iou_threshold` is used by "linear" only, `sigma` by "gaussian" only.

    Returns a pair `(indices, scores)`: the selected indices (integers) in selection order, and each
    one's score at the moment it was selected (floats, after the decays it received), as numpy
    arrays or lists of the same length. Empty input gives two empty sequences. Any other `method`
    raises ValueError.

    Example:
        >>> boxes = [[0, 0, 10, 10], [0, 0, 10, 5], [20, 20, 30, 30]]
        >>> soft_nms(boxes, [0.9, 0.8, 0.5], iou_threshold=0.3, method="linear")
        (array([0, 2, 1]), array([0.9, 0.5, 0.4]))

        Box 0 is selected first. Box 1 overlaps it with IoU 50 / 100 = 0.5 > 0.3, so its score
        becomes 0.8 * (1 - 0.5) = 0.4; box 2 overlaps nothing and keeps 0.5. Now box 2 is the best,
        so it comes before box 1.

        >>> soft_nms([[0, 0, 10, 10], [0, 0, 10, 5]], [0.9, 0.8])
        (array([0, 1]), array([0.9       , 0.48522453]))

        Gaussian with sigma 0.5: box 1 becomes 0.8 * exp(-0.5**2 / 0.5) = 0.8 * exp(-0.5).
    """
    # TODO: your code here
    raise NotImplementedError
