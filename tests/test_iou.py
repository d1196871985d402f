"""solutions/iou.py against pycocotools' IoU and a brute force."""

import numpy as np
import pytest
from pycocotools import mask as coco_mask

from grader import catalog

reference = catalog.get("iou").reference()


def random_boxes(rng, n):
    xy = rng.uniform(-50, 50, size=(n, 2))
    wh = rng.uniform(0.5, 30, size=(n, 2))
    return np.hstack([xy, xy + wh])


def to_xywh(boxes):
    return [[x1, y1, x2 - x1, y2 - y1] for x1, y1, x2, y2 in np.asarray(boxes).tolist()]


@pytest.mark.parametrize("seed", range(10))
def test_pairwise_matches_pycocotools(seed):
    rng = np.random.default_rng(seed)
    a, b = random_boxes(rng, int(rng.integers(1, 30))), random_boxes(rng, int(rng.integers(1, 30)))
    expected = coco_mask.iou(to_xywh(a), to_xywh(b), [0] * len(b))
    np.testing.assert_allclose(reference.pairwise_iou(a, b), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", range(10))
def test_iou_matches_pycocotools(seed):
    rng = np.random.default_rng(50 + seed)
    a, b = random_boxes(rng, 2)
    expected = coco_mask.iou(to_xywh([a]), to_xywh([b]), [0])[0, 0]
    assert reference.iou(a.tolist(), tuple(b)) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_hand_derived_values():
    assert reference.iou([0, 0, 10, 10], [5, 0, 15, 10]) == pytest.approx(50 / 150)
    assert reference.iou([0, 0, 2, 2], [1, 1, 3, 3]) == pytest.approx(1 / 7)  # "+1 pixel" would give 4/14
    assert reference.iou([0, 0, 10, 10], [10, 0, 20, 10]) == 0.0  # touching
    assert reference.iou([0, 0, 20, 20], [5, 5, 10, 10]) == pytest.approx(25 / 400)  # contained
    assert reference.iou([3, 3, 3, 3], [3, 3, 3, 3]) == 0.0  # union of zero area
    assert isinstance(reference.iou([0, 0, 1, 1], [0, 0, 1, 1]), float)


def test_empty_shapes():
    assert reference.pairwise_iou(np.zeros((0, 4)), np.ones((3, 4))).shape == (0, 3)
    assert reference.pairwise_iou(np.ones((2, 4)), np.zeros((0, 4))).shape == (2, 0)
    assert reference.pairwise_iou(np.zeros((0, 4)), np.zeros((0, 4))).shape == (0, 0)
