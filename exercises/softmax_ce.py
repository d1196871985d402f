"""Softmax and cross-entropy with its gradient, stable for huge logits.

Write it by hand with Python and numpy: cv2, torch, torchvision, scipy and the like are refused.
Every result is compared with rtol=1e-5, atol=1e-6 against the reference.
Check your work with `grade softmax_ce`; stuck? `grade hint softmax_ce`.
"""

import numpy as np


def softmax(x, axis=-1):
    """Softmax along one axis, as torch.softmax(x, dim=axis) computes it.

    x:    an array (or nested lists) of numbers with at least one axis, any shape.
    axis: the axis the probabilities run along (negative counts from the end).

    out = exp(x) / sum(exp(x)) along `axis`: a float array of x's shape whose slices along `axis`
    sum to 1. It must stay exact for logits as large as +-1e4: exp(1e4) overflows to inf, so shift
    each slice by its maximum first (the result is mathematically unchanged). An axis of length 0
    (an empty array) gives an empty array of the same shape.

    Raise ValueError when x has no axis (a plain number) or when `axis` is out of range.

    Example:
        >>> softmax(np.array([[1.0, 2.0, 3.0],
        ...                   [1e4, 0.0, -1e4]]))
        array([[0.09 , 0.245, 0.665],
               [1.   , 0.   , 0.   ]])

        (shown to 3 decimals) The second row would be nan with a naive exp(x) / exp(x).sum().

        >>> softmax([[0.0, 0.0],
        ...          [0.0, np.log(3)]], axis=0)
        array([[0.5 , 0.25],
               [0.5 , 0.75]])
    """
    # TODO: your code here
    raise NotImplementedError


def cross_entropy(logits, labels, ignore_index=-100):
    """Mean cross-entropy of logits against integer labels and its gradient, as
    torch.nn.functional.cross_entropy(logits, labels, ignore_index=ignore_index) and autograd give.

    logits: shape (N, C), one row of unnormalised scores per example.
    labels: shape (N,), integers in [0, C), or equal to ignore_index for rows that do not count.

    Return (loss, dlogits):
      loss    = the mean over the V rows whose label is not ignore_index of -log softmax(logits[i])[labels[i]]
                (a float). With V = 0 (every row ignored, or N = 0) it is nan, as in torch.
      dlogits = d loss / d logits, shape (N, C): (softmax(logits[i]) - onehot(labels[i])) / V for the
                counted rows, exactly 0 for ignored rows (all zeros when V = 0).
    Compute log-softmax as logits - max - log(sum(exp(logits - max))): np.log(softmax(...)) of a
    probability that underflows to 0 gives -inf. The loss must stay finite for logits of +-1e4.

    Raise ValueError when logits is not 2-d, labels does not have shape (N,), or a label that is
    not ignore_index lies outside [0, C).

    Example:
        >>> loss, dlogits = cross_entropy(np.array([[0.0, 0.0],
        ...                                         [0.0, 1e4],
        ...                                         [3.0, 1.0]]), np.array([1, 0, -100]))
        >>> round(loss, 4)
        5000.3466
        >>> dlogits
        array([[ 0.25, -0.25],
               [-0.5 ,  0.5 ],
               [ 0.  ,  0.  ]])

        Two rows count (V = 2): row 0 loses log 2, row 1 loses 1e4 (its label's probability is
        e^-1e4, which underflows to 0), so loss = (0.6931 + 10000) / 2. Row 2 is ignored: no loss,
        no gradient.
    """
    # TODO: your code here
    raise NotImplementedError
