"""Inverted dropout, with the mask drawn in a fixed way so that answers can be checked.

Write it by hand with Python and numpy: cv2, torch, torchvision, scipy and the like are refused.
Every result is compared with rtol=1e-5, atol=1e-6 against the reference; masks exactly.
Check your work with `grade dropout`; stuck? `grade hint dropout`.
"""

import numpy as np


def dropout(x, p, training, seed):
    """Inverted dropout, the way torch.nn.functional.dropout(x, p, training) scales it.

    x:        an array (or nested lists) of numbers, any shape.
    p:        the probability of dropping each element, in [0, 1].
    training: True or False.
    seed:     an int. The grader cannot hand your code a random generator, so you make it: the
              mask MUST be drawn as
                  rng = np.random.default_rng(seed)
                  u = rng.random(x.shape)          # ONE call, nothing drawn before it
                  mask = u >= p                    # keep where u >= p (an equal draw is kept)
              Any other draw (np.random.rand, rng.binomial, u < 1 - p) drops other elements.

    Return (y, mask), y a float array and mask a boolean array, both of x's shape:
    - training=True: y = x * mask / (1 - p): kept elements are scaled up by 1 / (1 - p) so that the
      expected value of y is x; dropped ones are 0. With p = 1 every element is dropped: y is all
      zeros (not 0 * inf = nan) and mask all False. With p = 0, y = x.
    - training=False: dropout is the identity: y = x, unscaled, and mask is all True; nothing is
      drawn.
    Raise ValueError when p is outside [0, 1] (in training or not).

    Example:
        >>> x = np.array([[1.0, 2.0, 3.0],
        ...               [4.0, 5.0, 6.0]])
        >>> np.random.default_rng(0).random((2, 3))
        array([[0.637, 0.27 , 0.041],
               [0.017, 0.813, 0.913]])
        >>> y, mask = dropout(x, 0.5, True, 0)
        >>> y
        array([[ 2.,  0.,  0.],
               [ 0., 10., 12.]])
        >>> mask
        array([[ True, False, False],
               [False,  True,  True]])

        (draws shown to 3 decimals) The draws >= 0.5 are kept and doubled (1 / (1 - 0.5) = 2).

        >>> dropout(x, 0.5, False, 0)[0]
        array([[1., 2., 3.],
               [4., 5., 6.]])
    """
    # TODO: your code here
    raise NotImplementedError


def dropout_backward(dy, mask, p):
    """The gradient of dropout in training with respect to x, as autograd computes it.

    dy:   d loss / d y, any shape.
    mask: the boolean mask dropout returned (True = kept), of dy's shape.
    p:    the probability dropout used.

    Return dx = dy * mask / (1 - p), a float array of dy's shape: the same scaling as the forward
    pass, so a dropped element gets 0. With p = 1 dx is all zeros (no nan). Raise ValueError when
    p is outside [0, 1] or mask's shape differs from dy's.

    Example:
        >>> dropout_backward(np.ones((2, 3)), np.array([[True, False, True],
        ...                                             [False, True, True]]), 0.75)
        array([[4., 0., 4.],
               [0., 4., 4.]])
    """
    # TODO: your code here
    raise NotImplementedError
