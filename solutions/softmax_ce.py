"""Reference: a numerically stable softmax and cross-entropy with its gradient (torch semantics), in numpy."""

import numbers

import numpy as np


def softmax(x, axis=-1):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        raise ValueError("x must have at least one axis")
    if not isinstance(axis, numbers.Integral) or isinstance(axis, bool) or not -x.ndim <= axis < x.ndim:
        raise ValueError(f"axis {axis!r} is out of range for an array of {x.ndim} axes")
    if x.size == 0:
        return x.copy()
    # Shifting by the max changes nothing mathematically and keeps every exp in (0, 1]: no overflow.
    shifted = x - x.max(axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=axis, keepdims=True)


def cross_entropy(logits, labels, ignore_index=-100):
    logits = np.asarray(logits, dtype=np.float64)
    labels = np.asarray(labels)
    if logits.ndim != 2:
        raise ValueError(f"logits must have shape (N, C), got {logits.shape}")
    n, c = logits.shape
    if labels.shape != (n,):
        raise ValueError(f"labels must have shape ({n},), got {labels.shape}")
    if n and labels.dtype.kind not in "iu":
        raise ValueError(f"labels must be integers, got dtype {labels.dtype}")
    labels = labels.astype(np.int64)
    valid = labels != ignore_index
    if np.any((labels[valid] < 0) | (labels[valid] >= c)):
        raise ValueError(f"labels must lie in [0, {c}) or equal ignore_index={ignore_index}")

    dlogits = np.zeros_like(logits)
    count = int(valid.sum())
    if count == 0:
        # torch: 0 / 0, a NaN loss, and no row receives a gradient.
        return float("nan"), dlogits
    z = logits[valid]
    rows = np.arange(count)
    # log-softmax through log-sum-exp: finite even where softmax itself underflows to 0.
    shifted = z - z.max(axis=1, keepdims=True)
    log_sum = np.log(np.exp(shifted).sum(axis=1))
    log_p = shifted[rows, labels[valid]] - log_sum
    loss = float(-log_p.sum() / count)
    grad = np.exp(shifted - log_sum[:, None])
    grad[rows, labels[valid]] -= 1.0
    dlogits[valid] = grad / count
    return loss, dlogits
