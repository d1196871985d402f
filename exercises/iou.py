"""Intersection over union (IoU) of axis-aligned boxes.

Boxes are (x1, y1, x2, y2) in continuous coordinates, x1 <= x2 and y1 <= y2. Area is
(x2 - x1) * (y2 - y1): no "+1 pixel". Inputs may be lists, tuples or numpy arrays. The IoU of two
boxes whose union has zero area is 0.0.

Floating results are compared with rtol=1e-5, atol=1e-6 (so float32 arithmetic passes). An empty
result may be [] or any numpy array of size 0.

Write it by hand with Python and numpy: cv2, torch, torchvision, scipy and the like are refused.
Check your work with `grade iou`; stuck? `grade hint iou`.
"""

import numpy as np


def iou(box_a, box_b):
    """IoU of two boxes, as a float.

    Example:
        >>> iou([0, 0, 10, 10], [5, 0, 15, 10])
        0.3333333333333333

        The intersection is 5 x 10 = 50, the union 100 + 100 - 50 = 150.
    """
    # TODO: your code here
    raise NotImplementedError


def pairwise_iou(boxes_a, boxes_b):
    """IoU of every box in `boxes_a` (N, 4) with every box in `boxes_b` (M, 4): an (N, M) array.

    Empty inputs give an empty result: an array of shape (0, M) or (N, 0), [] or any array of size 0.

    Example:
        >>> pairwise_iou([[0, 0, 10, 10], [0, 0, 20, 20]], [[0, 0, 10, 10], [10, 10, 20, 20], [30, 30, 40, 40]])
        array([[1.  , 0.  , 0.  ],
               [0.25, 0.25, 0.  ]])
    """
    # TODO: your code here
    raise NotImplementedError
