"""Reference: scaled dot-product attention with torch.nn.functional.scaled_dot_product_attention semantics."""

import numpy as np


def scaled_dot_product_attention(q, k, v, mask=None, causal=False):
    q = np.asarray(q, dtype=np.float64)
    k = np.asarray(k, dtype=np.float64)
    v = np.asarray(v, dtype=np.float64)
    if q.ndim < 2 or k.ndim < 2 or v.ndim < 2:
        raise ValueError("q, k and v need at least two axes: (..., L, E), (..., S, E), (..., S, Ev)")
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(f"q and k must share their last axis E, got {q.shape[-1]} and {k.shape[-1]}")
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(f"k and v must hold the same number of keys S, got {k.shape[-2]} and {v.shape[-2]}")
    if mask is not None and causal:
        raise ValueError("pass either mask or causal=True, not both (as torch does)")

    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])      # (..., L, S)
    length, keys = scores.shape[-2:]
    if causal:
        # Top-left aligned, as torch: query i may attend to keys 0..i, its own position included.
        allowed = np.tril(np.ones((length, keys), dtype=bool))
    elif mask is not None:
        allowed = np.asarray(mask, dtype=bool)
    else:
        allowed = np.ones((length, keys), dtype=bool)
    try:
        allowed = np.broadcast_to(allowed, scores.shape)
    except ValueError:
        raise ValueError(f"mask of shape {np.shape(mask)} does not broadcast to the scores' {scores.shape}") from None

    scores = np.where(allowed, scores, -np.inf)
    # Stable softmax over the keys: subtracting the row's maximum keeps exp in (0, 1]. A row with
    # no allowed key has maximum -inf; shifting it by 0 instead leaves exp(-inf) = 0 everywhere,
    # and the row gets zero weights and a zero output, as torch gives.
    top = scores.max(axis=-1, keepdims=True)
    e = np.exp(scores - np.where(np.isfinite(top), top, 0.0))
    total = e.sum(axis=-1, keepdims=True)
    weights = np.divide(e, total, out=np.zeros_like(e), where=total > 0)
    return weights @ v, weights
