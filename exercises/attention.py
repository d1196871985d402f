"""Scaled dot-product attention, as torch.nn.functional.scaled_dot_product_attention computes it.

Write it by hand with Python and numpy: cv2, torch, torchvision, scipy and the like are refused.
Results are float arrays compared with rtol=1e-5, atol=1e-6.
Check your work with `grade attention`; stuck? `grade hint attention`.
"""

import numpy as np


def scaled_dot_product_attention(q, k, v, mask=None, causal=False):
    """Attention of L queries over S keys, returning the output and the attention weights.

    q: queries (..., L, E);  k: keys (..., S, E);  v: values (..., S, Ev). The leading axes "..."
       (batch, heads, ...: any number, possibly none) are the same for q, k and v.
    mask: None, or a boolean array that broadcasts to (..., L, S): True means query i MAY attend to
       key j, False that it may not (e.g. shape (L, S) for every batch, or (B, 1, S) to hide padded keys).
    causal: if True, query i may attend only to keys j <= i (its own position included; with L != S
       the rule is still j <= i, counted from the first query and key, as torch does).
    Inputs may be numpy arrays or nested lists.

        scores  = q @ k^T / sqrt(E)              (..., L, S)   E is the last axis of q and k
        weights = softmax(scores) over the keys  (..., L, S)   each row sums to 1 over allowed keys,
                  0 on keys that are not allowed
        out     = weights @ v                    (..., L, Ev)

    Return the pair (out, weights) as float arrays.

    The softmax must be numerically stable: scores may reach 2e4 in magnitude, so exp of a
    raw score overflows (or underflows to 0/0). A query with no allowed key at all (its mask row is
    all False) gets all-zero weights and an all-zero output row, never NaN: that is what torch
    returns for such a row.

    Raise ValueError when q and k differ in E, when k and v differ in S, when the mask does not
    broadcast to (..., L, S), or when both a mask and causal=True are given (torch refuses that too).

    Example:
        >>> q = np.array([[2.0, 0, 0, 0]])             # L = 1, E = 4: scores are divided by 2
        >>> k = np.array([[2.0, 0, 0, 0], [0, 0, 0, 0]])
        >>> v = np.array([[1.0, 0], [0, 1]])
        >>> out, weights = scaled_dot_product_attention(q, k, v)
        >>> weights.round(3)                           # softmax([4 / 2, 0])
        array([[0.881, 0.119]])
        >>> out.round(3)
        array([[0.881, 0.119]])

        >>> out, weights = scaled_dot_product_attention(np.zeros((3, 2)), np.zeros((3, 2)),
        ...                                             [[3.0], [6.0], [9.0]], causal=True)
        >>> weights.round(3)                           # equal scores: uniform over keys 0..i
        array([[1.   , 0.   , 0.   ],
               [0.5  , 0.5  , 0.   ],
               [0.333, 0.333, 0.333]])
        >>> out
        array([[3. ],
               [4.5],
               [6. ]])

        >>> mask = np.array([[True, False],
        ...                  [False, False]])         # query 1 may attend to nothing
        >>> out, weights = scaled_dot_product_attention(np.ones((2, 2)), np.ones((2, 2)),
        ...                                             [[1.0, 2.0], [3.0, 4.0]], mask=mask)
        >>> weights
        array([[1., 0.],
               [0., 0.]])
        >>> out
        array([[1., 2.],
               [0., 0.]])
    """
    # TODO: your code here
    raise NotImplementedError
