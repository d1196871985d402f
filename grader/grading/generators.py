"""The data generators suites share: random boxes, small exact integers, size arguments, and the
generator of the named cases' data (the same at every seed)."""

import numpy as np


def random_boxes(rng, n, *, low=0.0, high=100.0, min_side=1.0, max_side=30.0):
    """``n`` random (x1, y1, x2, y2) boxes with top-left corners in [low, high) and sides in
    [min_side, max_side): the box suites draw their random cases from this one generator."""
    xy = rng.uniform(low, high, size=(n, 2))
    wh = rng.uniform(min_side, max_side, size=(n, 2))
    return np.hstack([xy, xy + wh])


def named_rng():
    """The generator of the named cases' data. It is the same at every seed, so what a named case
    catches never depends on the seed: only the random cases (and the large ones) vary with it."""
    return np.random.default_rng(20240610)


def small_ints(rng, *shape, bound=4):
    """Integers in [-bound, bound] as floats: sums of them are exact, so a misplaced or missing term shows
    up as a clear difference."""
    return rng.integers(-bound, bound + 1, size=shape).astype(np.float64)


def int_or_pair(rng, low, high):
    """An int or an (h, w) pair in [low, high], so that both spellings of a size argument get exercised."""
    if rng.random() < 0.5:
        return int(rng.integers(low, high + 1))
    return (int(rng.integers(low, high + 1)), int(rng.integers(low, high + 1)))


def as_pair(value):
    return (value, value) if isinstance(value, int) else tuple(value)


