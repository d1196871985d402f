"""2-d max and average pooling, forward and backward.

Write it by hand with Python and numpy: cv2, torch, torchvision, scipy and the like are refused.
Every result is compared with rtol=1e-5, atol=1e-6 against the reference.
Check your work with `grade pooling`; stuck? `grade hint pooling`.

Common to the four functions:
    x has shape (N, C, H, W); each (image, channel) plane is pooled on its own.
    kernel_size, stride, padding: each an int (the same for height and width) or an (h, w) pair.
    stride=None means stride = kernel_size. Padding adds ph rows above and below and pw columns left
    and right. The output has shape (N, C, OH, OW) with
        OH = (H + 2*ph - kh) // sh + 1   and   OW = (W + 2*pw - kw) // sw + 1   (no ceil mode).
    Raise ValueError when x is not 4-d, kernel_size or stride is below 1, padding is negative or more
    than half the kernel (2*ph > kh or 2*pw > kw, as torch refuses), or OH or OW is below 1.
    Results are float arrays.
"""

import numpy as np


def max_pool2d(x, kernel_size, stride=None, padding=0):
    """Max pooling, as torch.nn.functional.max_pool2d computes it.

    out[n, c, i, j] = the max of x over the window of rows i*sh - ph ... i*sh - ph + kh - 1 and
    columns j*sw - pw ... j*sw - pw + kw - 1. Padding never wins a max: it counts as -inf, not 0, so
    an all-negative window next to the border still gives its (negative) max.

    Example:
        >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
        >>> max_pool2d(x, 2)
        array([[[[ 5.,  7.],
                 [13., 15.]]]])
        >>> max_pool2d(np.array([[[[-1.0, -2.0],
        ...                        [-3.0, -4.0]]]]), 2, stride=1, padding=1)
        array([[[[-1., -1., -2.],
                 [-1., -1., -2.],
                 [-3., -3., -4.]]]])

        The top-left window holds three padded cells and x[0, 0, 0, 0] = -1: the max is -1, not 0.
    """
    # TODO: your code here
    raise NotImplementedError


def avg_pool2d(x, kernel_size, stride=None, padding=0):
    """Average pooling, as torch.nn.functional.avg_pool2d computes it with count_include_pad=True.

    out[n, c, i, j] = the sum of the window (padded cells are 0) divided by kh * kw, the whole
    window's size, padded cells included.

    Example:
        >>> avg_pool2d(np.arange(16.0).reshape(1, 1, 4, 4), 2)
        array([[[[ 2.5,  4.5],
                 [10.5, 12.5]]]])
        >>> avg_pool2d(np.array([[[[-1.0, -2.0],
        ...                        [-3.0, -4.0]]]]), 2, stride=1, padding=1)
        array([[[[-0.25, -0.75, -0.5 ],
                 [-1.  , -2.5 , -1.5 ],
                 [-0.75, -1.75, -1.  ]]]])

        The top-left window holds -1 and three padded zeros: -1 / 4 = -0.25.
    """
    # TODO: your code here
    raise NotImplementedError


def max_pool2d_backward(dy, x, kernel_size, stride=None, padding=0):
    """The gradient of max_pool2d with respect to x, as autograd computes it on the CPU.

    dy has the output's shape (N, C, OH, OW). Each dy[n, c, i, j] goes to ONE element of x: the
    position of its window's max. When several elements tie for the max, it goes to the FIRST of them
    in row-major order within the window (scan rows top to bottom, each left to right; a later
    equal value does not replace it), as torch's CPU kernel does. Overlapping windows (stride <
    kernel) can pick the same element: their gradients add up. Nothing goes to padding. Return dx of
    x's shape. Raise ValueError when dy's shape is not the output's.

    Example:
        >>> x = np.array([[[[1.0, 5.0, 5.0],
        ...                 [5.0, 2.0, 5.0],
        ...                 [0.0, 5.0, 1.0]]]])
        >>> max_pool2d_backward(np.ones((1, 1, 2, 2)), x, 2, stride=1)
        array([[[[0., 2., 0.],
                 [1., 0., 1.],
                 [0., 0., 0.]]]])

        Every 2x2 window's max is a tied 5. The two top windows both pick x[0, 0, 0, 1] (first in
        row-major order), the bottom-left one x[0, 0, 1, 0], the bottom-right one x[0, 0, 1, 2].
    """
    # TODO: your code here
    raise NotImplementedError


def avg_pool2d_backward(dy, x_shape, kernel_size, stride=None, padding=0):
    """The gradient of avg_pool2d (count_include_pad=True) with respect to x, as autograd computes it.

    x_shape is the input's shape (N, C, H, W) (the values of x do not matter); dy has the output's
    shape. Each dy[n, c, i, j] is spread evenly, dy / (kh * kw), over its window's cells; the
    shares that fall on padding are dropped, and overlapping windows add up. Return dx of shape
    x_shape. Raise ValueError when dy's shape is not the output's or x_shape is not 4 ints.

    Example:
        >>> avg_pool2d_backward(np.ones((1, 1, 2, 2)), (1, 1, 3, 3), 2, stride=1)
        array([[[[0.25, 0.5 , 0.25],
                 [0.5 , 1.  , 0.5 ],
                 [0.25, 0.5 , 0.25]]]])

        The centre lies in all four windows (4 * 1/4); a corner in one.
    """
    # TODO: your code here
    raise NotImplementedError
