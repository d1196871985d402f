"""im2col and col2im: convolution as one matrix product, with PyTorch unfold / fold semantics.

Write it by hand with Python and numpy: cv2, torch, torchvision, scipy and the like are refused.
Loops over the kernel taps (or even over every output element) are a fine answer: the tests are small.
Results are float arrays compared with rtol=1e-5, atol=1e-6.
Check your work with `grade im2col`; stuck? `grade hint im2col`.

Common to both functions:
    kernel_size, stride, padding, dilation: each an int (the same for height and width) or an
    (h, w) pair, height first. Padding adds `ph` rows of zeros above and below and `pw` columns
    left and right; with dilation (dh, dw) the kernel taps are dh rows / dw columns apart.
    For an (H, W) image the number of window positions is
        OH = (H + 2*ph - dh*(KH-1) - 1) // sh + 1,   OW likewise with W, KW,   L = OH * OW,
    and ValueError is raised when OH or OW is below 1 (the dilated kernel does not fit).
"""

import numpy as np


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    """Every window of the zero-padded input as one column, as torch.nn.functional.unfold does.

    x: input of shape (N, C, H, W), an array or nested lists of ints or floats.
    Returns a float array of shape (N, C*KH*KW, L) with

        out[n, c*KH*KW + a*KW + b, i*OW + j] = xpad[n, c, i*sh + a*dh, j*sw + b*dw]

    Rows run over the channel first, then the kernel row a, then the kernel column b; columns run
    over the window positions row by row. So a convolution is one matrix product:
        weight.reshape(O, -1) @ im2col(x, (KH, KW), ...)  has shape (N, O, L); reshape it to (N, O, OH, OW).

    Example:
        >>> x = np.array([[[[1, 2, 3],
        ...                 [4, 5, 6],
        ...                 [7, 8, 9]]]])          # (1, 1, 3, 3)
        >>> im2col(x, 2)                            # 4 windows of 2x2, one per column
        array([[[1., 2., 4., 5.],
                [2., 3., 5., 6.],
                [4., 5., 7., 8.],
                [5., 6., 8., 9.]]])

        Column 0 is the top-left window [[1, 2], [4, 5]] read row by row.

        >>> im2col(np.arange(8).reshape(1, 2, 2, 2), (1, 2))   # 2 channels, a 1x2 kernel
        array([[[0., 2.],
                [1., 3.],
                [4., 6.],
                [5., 7.]]])

        Rows 0-1 are channel 0's two taps, rows 2-3 channel 1's: channel first.
    """
    # TODO: your code here
    raise NotImplementedError


def col2im(cols, output_size, kernel_size, stride=1, padding=0, dilation=1):
    """Put columns back into an image, as torch.nn.functional.fold does: the adjoint of im2col.

    cols: shape (N, C*KH*KW, L), laid out as im2col lays it out.
    output_size: (H, W) of the image (an int means H = W), before padding.
    Returns a float array of shape (N, C, H, W). Each value cols[n, c*KH*KW + a*KW + b, i*OW + j]
    is ADDED to xpad[n, c, i*sh + a*dh, j*sw + b*dw] (a pixel covered by several windows gets the
    sum of their values, one covered by none stays 0), and the padding is then cut off. So
    col2im(im2col(x)) is x times the number of windows covering each pixel, not x.

    Raise ValueError when cols.shape[1] is not a multiple of KH*KW, or when L is not the OH * OW
    that output_size, kernel_size, stride, padding and dilation give.

    Example:
        >>> col2im(np.ones((1, 4, 4)), (3, 3), 2)  # how many 2x2 windows cover each pixel
        array([[[[1., 2., 1.],
                 [2., 4., 2.],
                 [1., 2., 1.]]]])
    """
    # TODO: your code here
    raise NotImplementedError
