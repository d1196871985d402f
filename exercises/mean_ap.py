"""Average precision (AP) and mean average precision (mAP) of an object detector.

Boxes are (x1, y1, x2, y2) in continuous coordinates, x1 <= x2 and y1 <= y2. Area is
(x2 - x1) * (y2 - y1): no "+1 pixel". Inputs may be lists or numpy arrays. The IoU of two boxes whose
union has zero area is 0.0.

Floating results are compared with rtol=1e-5, atol=1e-6 (so float32 arithmetic passes).

Write it by hand with Python and numpy: cv2, torch, pycocotools and the like are refused.
Check your work with `grade mean_ap`; stuck? `grade hint mean_ap`.
"""

import numpy as np


def average_precision(recall, precision, method="voc"):
    """Area under a precision-recall curve, as a float.

    `recall` is non-decreasing; `precision` has the same length (one point per detection).

    method="voc" (VOC2010 and later, all points): put a point (recall 0, precision 0) in front and
        (recall 1, precision 0) at the end; make precision non-increasing from the right (the
        "envelope": each precision becomes the largest precision at its recall or any later one);
        then sum (r[i+1] - r[i]) * p[i+1] over the points where recall changes.
    method="voc07" (VOC2007, 11 points): the mean, over the thresholds t = i / 10 for
        i = 0, 1, ..., 10, of the largest precision at recall >= t (0 when no recall reaches t).
    method="coco" (101 points): the same over the thresholds numpy.linspace(0, 1, 101).
    Any other method raises ValueError.

    Example:
        >>> average_precision([0.5, 0.5, 1.0], [1.0, 0.5, 2 / 3], "voc")
        0.8333333333333333

        Envelope of the precisions: [1.0, 2/3, 2/3]. Recall moves 0 -> 0.5 (at precision 1.0) and
        0.5 -> 1.0 (at precision 2/3): 0.5 * 1.0 + 0.5 * 2/3 = 0.8333.

        >>> average_precision([0.5, 0.5, 1.0], [1.0, 0.5, 2 / 3], "voc07")
        0.8484848484848484

        t = 0.0 ... 0.5 (6 thresholds) reach precision 1.0; t = 0.6 ... 1.0 (5) only 2/3:
        (6 * 1.0 + 5 * 2/3) / 11.
    """
    # TODO: your code here
    raise NotImplementedError


def mean_average_precision(detections, ground_truths, iou_threshold=0.5, method="voc"):
    """Mean over classes of the AP of one class's detections, as a float.

    `detections` is (N, 7), rows [image_id, class_id, score, x1, y1, x2, y2];
    `ground_truths` is (M, 6), rows [image_id, class_id, x1, y1, x2, y2].

    For each class that has ground truths:
      - take that class's detections by descending score; equal scores are ordered by image id,
        then by input order (as pycocotools does);
      - match each detection to the not-yet-matched ground truth of the same image and class with
        which it has the highest IoU (equal IoUs: the later ground truth in input order wins, as in
        pycocotools); it is a true positive when that IoU is >= `iou_threshold`
        (and the ground truth is then matched), otherwise a false positive. So a second detection
        of an already-matched object is a false positive;
      - recall = cumulative TP / number of ground truths of the class,
        precision = cumulative TP / (cumulative TP + cumulative FP), one point per detection;
      - AP = average_precision(recall, precision, method).
    The result is the mean of these APs. A class with ground truths but no detections has AP 0;
    detections of a class without ground truths are ignored. No ground truths at all raises
    ValueError, and so does an unknown method. (COCO's mAP@[.5:.95] is the mean of this with
    method="coco" over iou_threshold in numpy.linspace(0.5, 0.95, 10).)

    Example:
        >>> ground_truths = [[0, 0, 0, 0, 10, 10],
        ...                  [0, 0, 20, 20, 30, 30]]
        >>> detections = [[0, 0, 0.9, 0, 0, 10, 10],
        ...               [0, 0, 0.8, 1, 1, 11, 11],
        ...               [0, 0, 0.7, 20, 20, 30, 30]]
        >>> mean_average_precision(detections, ground_truths, 0.5, "voc")
        0.8333333333333333

        The first detection matches the first object (IoU 1): TP. The second overlaps the same
        object (IoU 81 / 119 = 0.68) but it is already matched: FP. The third matches the second
        object: TP. Recall [0.5, 0.5, 1.0], precision [1.0, 0.5, 2/3]: the curve of the first
        average_precision example.

        >>> ground_truths = [[0, 0, 0, 0, 10, 10], [0, 0, 10, 0, 20, 10]]
        >>> detections = [[0, 0, 0.9, 5, 0, 15, 10], [0, 0, 0.8, 10, 0, 20, 10]]
        >>> mean_average_precision(detections, ground_truths, 0.3, "voc")
        0.5

        A tie: the first detection overlaps both objects equally (IoU 50 / 150 = 0.33), so it takes
        the later one, the second object. The second detection's own object is then taken (and its
        IoU with the first object is 0): FP. Recall [0.5, 0.5], precision [1.0, 0.5]: AP 0.5. Had
        the first detection taken the first object, both would be TPs and the AP 1.0.
    """
    # TODO: your code here
    raise NotImplementedError
