"""Erosion, dilation, opening and closing of a greyscale image, as OpenCV computes them
(cv2.erode, cv2.dilate and cv2.morphologyEx with MORPH_OPEN / MORPH_CLOSE, default anchor and border).

Write it by hand with Python and numpy: cv2, torch, torchvision, scipy and the like are refused.
Check your work with `grade morphology`; stuck? `grade hint morphology`.

Common to the four functions:
    image: an (H, W) numpy array of dtype uint8, float32 or float64 (a nested list is read with
        np.asarray: Python floats give float64; Python ints give int64, which raises).
    kernel: a (kh, kw) array or nested list of 0s and 1s (ints or bools), of any size: odd or even,
        square or not, even larger than the image. Only its 1 entries (nonzero entries) take part;
        its 0 entries are not part of the shape.
    Anchor: the kernel's entry (kh // 2, kw // 2) lies on the output pixel. For a 1 entry (i, j) the
    pixel read for out[y, x] is image[y + i - kh // 2, x + j - kw // 2], for erosion AND for
    dilation: the kernel is never flipped (OpenCV differs here from the textbook's reflected
    structuring element, which only matters for a kernel that is not symmetric).
    Border: a pixel outside the image never wins. Erosion reads it as the dtype's largest value (255
    for uint8, np.finfo(dtype).max for floats), dilation as its smallest (0 for uint8,
    -np.finfo(dtype).max for floats): never 0 for floats, and not +-inf either, because where all the
    1s of the kernel fall outside the image (an off-centre kernel, or one larger than the image) that
    value is the result, as in OpenCV.
    iterations: a non-negative int; n applies the operation n times in a row (the second pass reads
        the first pass's output), and 0 returns a copy of the image.
    The result is a new array of the image's shape and dtype (uint8 in, uint8 out; float32 in,
    float32 out): no clipping to 0..255, no rounding, no conversion. Min and max do no arithmetic,
    so results are compared exactly, dtype included.
    Raise ValueError when the image is not 2-d or not uint8 / float32 / float64, when the kernel is
    not 2-d or has no 1 in it, or when iterations is negative.
"""

import numpy as np


def erode(image, kernel, iterations=1):
    """Erosion: out[y, x] = the min of image[y + i - kh // 2, x + j - kw // 2] over the kernel's 1
    entries (i, j), pixels outside the image counting as the dtype's largest value.

    Example:
        >>> image = np.array([[7, 7, 7, 7, 7],
        ...                   [7, 7, 2, 7, 7],
        ...                   [7, 7, 7, 7, 7]], dtype=np.uint8)
        >>> erode(image, np.ones((3, 3)))
        array([[7, 2, 2, 2, 7],
               [7, 2, 2, 2, 7],
               [7, 2, 2, 2, 7]], dtype=uint8)

        The 2 spreads to its 3 x 3 neighbourhood. The first and last columns stay 7: what lies left
        or right of the image counts as 255, never as 0.

        >>> erode(image, np.ones((2, 2)))
        array([[7, 7, 7, 7, 7],
               [7, 7, 2, 2, 7],
               [7, 7, 2, 2, 7]], dtype=uint8)

        An even kernel: the anchor is (1, 1), so out[y, x] reads rows y - 1, y and columns x - 1, x,
        and the 2 at (1, 2) reaches (1, 2), (1, 3), (2, 2) and (2, 3).

        >>> erode(image, [[1, 1, 1]], iterations=2)
        array([[7, 7, 7, 7, 7],
               [2, 2, 2, 2, 2],
               [7, 7, 7, 7, 7]], dtype=uint8)

        One pass gives the row 7 2 2 2 7, the second pass erodes that row again.
    """
    # TODO: your code here
    raise NotImplementedError


def dilate(image, kernel, iterations=1):
    """Dilation: out[y, x] = the max of image[y + i - kh // 2, x + j - kw // 2] over the kernel's 1
    entries (i, j) (the kernel as given, not flipped), pixels outside the image counting as the
    dtype's smallest value.

    Example:
        >>> image = np.array([[-1.0, -5.0, -3.0, -4.0]])
        >>> dilate(image, [[1, 1, 0]])
        array([[-1., -1., -3., -3.]])

        kh, kw = 1, 3, so the anchor is (0, 1): the 1s at (0, 0) and (0, 1) read columns x - 1 and x,
        and out[0, x] = max(image[0, x - 1], image[0, x]). At x = 0 the column left of the image
        counts as -np.finfo(float64).max, so the result is -1, not 0. A flipped kernel [[0, 1, 1]]
        would read columns x and x + 1 and give -1, -3, -3, -4.
    """
    # TODO: your code here
    raise NotImplementedError


def opening(image, kernel, iterations=1):
    """Opening: erode `iterations` times, then dilate `iterations` times, with the same kernel
    (cv2.morphologyEx(image, cv2.MORPH_OPEN, kernel, iterations=n)). Not (erode, dilate) repeated n
    times: with iterations=2 it is erode, erode, dilate, dilate.

    Example:
        >>> image = np.array([[9, 0, 0, 0, 0, 0],
        ...                   [0, 0, 0, 0, 0, 0],
        ...                   [0, 0, 8, 8, 8, 0],
        ...                   [0, 0, 8, 8, 8, 0],
        ...                   [5, 0, 8, 8, 8, 0]], dtype=np.uint8)
        >>> opening(image, np.ones((3, 3)))
        array([[0, 0, 0, 0, 0, 0],
               [0, 0, 0, 0, 0, 0],
               [0, 0, 8, 8, 8, 0],
               [0, 0, 8, 8, 8, 0],
               [0, 0, 8, 8, 8, 0]], dtype=uint8)

        The bright specks smaller than the kernel (the 9 and the 5) are removed, the 3 x 3 block,
        which the kernel fits into, is kept.
    """
    # TODO: your code here
    raise NotImplementedError


def closing(image, kernel, iterations=1):
    """Closing: dilate `iterations` times, then erode `iterations` times, with the same kernel
    (cv2.morphologyEx(image, cv2.MORPH_CLOSE, kernel, iterations=n)).

    Example:
        >>> image = np.array([[8, 8, 8, 8, 8, 8],
        ...                   [8, 8, 8, 0, 0, 0],
        ...                   [8, 0, 8, 0, 0, 0],
        ...                   [8, 8, 8, 0, 0, 0],
        ...                   [8, 8, 8, 8, 8, 8]], dtype=np.uint8)
        >>> closing(image, np.ones((3, 3)))
        array([[8, 8, 8, 8, 8, 8],
               [8, 8, 8, 0, 0, 0],
               [8, 8, 8, 0, 0, 0],
               [8, 8, 8, 0, 0, 0],
               [8, 8, 8, 8, 8, 8]], dtype=uint8)

        The dark hole at (2, 1) is filled, the 3 x 3 dark block, which the kernel fits into, is kept.
        Along the border the 8s stay 8: the erosion reads the pixels outside as 255.
    """
    # TODO: your code here
    raise NotImplementedError
