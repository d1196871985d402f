"""Transposed 2-d convolution with PyTorch conv_transpose2d semantics.

Write it by hand with Python and numpy: cv2, torch, torchvision, scipy and the like are refused.
A loop over every input pixel and kernel tap is a fine answer: the tests are small enough for it.
Results are float arrays compared with rtol=1e-5, atol=1e-6.
Check your work with `grade conv_transpose2d`; stuck? `grade hint conv_transpose2d`.
"""

import numpy as np


def conv_transpose2d(x, weight, bias=None, stride=1, padding=0, output_padding=0, dilation=1, groups=1):
    """Transposed convolution as torch.nn.functional.conv_transpose2d computes it.

    x:        input of shape (N, C_in, H, W).
    weight:   kernels of shape (C_in, C_out // groups, KH, KW): input channel FIRST, the transpose of
              conv2d's (C_out, C_in // groups, KH, KW) layout.
    bias:     None, or C_out numbers added to output channel o (once per output pixel).
    stride, padding, output_padding, dilation: each an int (the same for height and width) or an
              (h, w) pair, height first.
    groups:   input channels and output channels are each split into `groups` equal, consecutive
              blocks; input block g feeds only output block g. C_out = weight.shape[1] * groups.
    Inputs may be numpy arrays or nested lists, ints or floats.

    It is the gradient of conv2d with respect to conv2d's input: every input pixel SCATTERS a copy
    of its kernel, scaled by its value, into the output; overlapping copies add up. The kernel is
    not flipped. With Cg = C_in // groups and input channel c in group g = c // Cg, for every
    o < C_out // groups, a < KH, b < KW:

        full[n, g * (C_out // groups) + o, i*sh + a*dh, j*sw + b*dw] += x[n, c, i, j] * weight[c, o, a, b]

    `full` has (H-1)*sh + dh*(KH-1) + 1 rows (W likewise). Then `padding` crops ph rows from the top
    AND the bottom (pw columns left and right), and `output_padding` adds oph rows at the bottom only
    (opw columns at the right only), which hold only what lands there (zeros plus the bias). So

        OH = (H - 1)*sh - 2*ph + dh*(KH - 1) + oph + 1     and OW likewise,

    and the output has shape (N, C_out, OH, OW). Return it as a float array.

    Raise ValueError when output_padding is not smaller than max(stride, dilation) on its axis (each
    axis checked on its own: oph < max(sh, dh) and opw < max(sw, dw)), when weight.shape[0] != C_in,
    when C_in is not divisible by groups, or when OH or OW is below 1.

    Example:
        >>> x = np.array([[[[1, 2],
        ...                 [3, 4]]]])                 # (1, 1, 2, 2)
        >>> conv_transpose2d(x, np.array([[[[1, 2],
        ...                                  [0, 0]]]]))  # each pixel adds [[v, 2v], [0, 0]] at its place
        array([[[[ 1.,  4.,  4.],
                 [ 3., 10.,  8.],
                 [ 0.,  0.,  0.]]]])

        out[0, 0, 0, 1] = 1*2 (from x[0, 0]'s tap (0, 1)) + 2*1 (from x[0, 1]'s tap (0, 0)) = 4.

        >>> conv_transpose2d(x, np.ones((1, 1, 1, 1)), stride=2, output_padding=1)
        array([[[[1., 0., 2., 0.],
                 [0., 0., 0., 0.],
                 [3., 0., 4., 0.],
                 [0., 0., 0., 0.]]]])

        Stride 2 puts the pixels 2 apart; OH = (2 - 1)*2 + 0 + 1 + 1 = 4: the last row and column are
        the output padding.

        >>> out = conv_transpose2d([[[[1]], [[10]]]], np.arange(6).reshape(2, 3, 1, 1))
        >>> out.shape                                  # weight (C_in=2, C_out=3, 1, 1)
        (1, 3, 1, 1)
        >>> out.ravel()                                # out[o] = 1 * weight[0, o] + 10 * weight[1, o]
        array([30., 41., 52.])
    """
    # TODO: your code here
    raise NotImplementedError
