"""One hidden suite per exercise, named after it (see grader.engine.suite for what a suite defines)."""

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
