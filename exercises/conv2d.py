"""Naive 2-d convolution with PyTorch conv2d semantics.

Floating results are compared with rtol=1e-5, atol=1e-6 (so float32 arithmetic passes).

Write it by hand with Python and numpy: cv2, torch, torchvision, scipy and the like are refused.
A straightforward loop over every output element is a fine answer: the tests are small enough for it.
Check your work with `grade conv2d`; stuck? `grade hint conv2d`.
"""

import numpy as np


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-d convolution as torch.nn.functional.conv2d computes it.

    x:        input of shape (N, C, H, W) (batch, channels, height, width).
    weight:   kernels of shape (O, C // groups, KH, KW).
    bias:     None, or O numbers added to output channel o.
    stride, padding, dilation: each an int (the same for height and width) or an (h, w) pair.
    groups:   the input channels and the output channels are each split into `groups` equal,
              consecutive blocks; output block g sees only input block g. groups=1 is an ordinary
              convolution; groups=C with O=C is a depthwise convolution.
    Inputs may be numpy arrays or nested lists, ints or floats.

    Deep-learning "convolution" is cross-correlation: the kernel is NOT flipped. Padding adds
    `ph` rows of zeros above and below and `pw` columns of zeros left and right. With dilation
    (dh, dw) the kernel taps are dh rows / dw columns apart. For output channel o in group
    g = o // (O // groups), with Cg = C // groups:

        out[n, o, i, j] = bias[o] + sum over c < Cg, a < KH, b < KW of
            weight[o, c, a, b] * xpad[n, g * Cg + c, i * sh + a * dh, j * sw + b * dw]

    The output has shape (N, O, OH, OW) with
        OH = (H + 2*ph - dh*(KH-1) - 1) // sh + 1   and   OW likewise with w, KW.
    Return it as a float array (or nested lists of that shape).

    Raise ValueError when C or O is not divisible by groups, when weight.shape[1] != C // groups,
    or when OH or OW is below 1 (the dilated kernel does not fit the padded input).

    Example:
        >>> x = np.array([[[[1, 2, 3],
        ...                 [4, 5, 6],
        ...                 [7, 8, 9]]]])            # shape (1, 1, 3, 3)
        >>> conv2d(x, np.array([[[[1, 2],
        ...                        [0, 0]]]]))       # shape (1, 1, 2, 2)
        array([[[[ 5.,  8.],
                 [14., 17.]]]])

        Not flipped: out[0, 0, 0, 0] = 1*1 + 2*2 = 5 and out[0, 0, 1, 1] = 1*5 + 2*6 = 17.

        >>> conv2d(x, np.ones((1, 1, 2, 2)), bias=[10], stride=2, padding=1)
        array([[[[11., 15.],
                 [21., 38.]]]])

        The padded input is 5x5; OH = OW = (3 + 2 - 1 - 1) // 2 + 1 = 2. The top-left window holds
        0, 0, 0, 1 (sum 1, plus bias 10 = 11); the bottom-right one holds 5, 6, 8, 9 (28 + 10 = 38).
    """
    # TODO: your code here
    raise NotImplementedError
