"""Reference: inverted dropout with a mask drawn the contract's way, and its gradient, in numpy."""

import numbers

import numpy as np


def _check_p(p):
    if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be a probability in [0, 1], got {p!r}")
    return float(p)


def dropout(x, p, training, seed):
    x = np.asarray(x, dtype=np.float64)
    p = _check_p(p)
    if not training:
        # Inverted dropout scales at training time, so evaluation is the identity and drops nothing.
        return x.copy(), np.ones(x.shape, dtype=bool)
    rng = np.random.default_rng(seed)
    mask = rng.random(x.shape) >= p
    if p == 1.0:
        return np.zeros(x.shape), mask  # everything dropped; 1 / (1 - p) would be 0 * inf = nan
    return np.where(mask, x / (1.0 - p), 0.0), mask


def dropout_backward(dy, mask, p):
    dy = np.asarray(dy, dtype=np.float64)
    mask = np.asarray(mask)
    p = _check_p(p)
    if mask.shape != dy.shape:
        raise ValueError(f"mask must have dy's shape {dy.shape}, got {mask.shape}")
    if p == 1.0:
        return np.zeros(dy.shape)
    return np.where(mask.astype(bool), dy / (1.0 - p), 0.0)
