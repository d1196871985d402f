"""Gaussian kernel and Gaussian blur, with OpenCV's conventions.

Images are numpy arrays (or nested lists) of shape (H, W) for grey or (H, W, C) for colour, of any
numeric dtype. Results are float64 arrays: never round or cast back to the input's dtype.

Floating results are compared with rtol=1e-5, atol=1e-6 (so float32 arithmetic passes), and a
blurred image must come back as float64: another dtype fails.

Write it by hand with Python and numpy: cv2, torch, torchvision, scipy and the like are refused.
Check your work with `grade gaussian`; stuck? `grade hint gaussian`.
"""

import numpy as np


def gaussian_kernel(ksize, sigma=0.0):
    """A (ksize, ksize) Gaussian kernel as a float64 array that sums to 1.

    Entry (i, j) is proportional to exp(-(x**2 + y**2) / (2 * sigma**2)), where x = j - ksize // 2
    and y = i - ksize // 2 are the offsets from the centre; divide by the sum of all entries so that
    the kernel sums to exactly 1 (not by the continuous 2 * pi * sigma**2).

    `sigma <= 0` (zero or negative) means "choose it from ksize", as OpenCV does:
        sigma = 0.3 * ((ksize - 1) * 0.5 - 1) + 0.8
    `ksize` is an int or a numpy integer, positive and odd (1, 3, 5, ...); anything else raises
    ValueError.

    Example:
        >>> gaussian_kernel(3)            # sigma = 0.3 * ((3 - 1) * 0.5 - 1) + 0.8 = 0.8
        array([[0.0571, 0.1248, 0.0571],
               [0.1248, 0.2725, 0.1248],
               [0.0571, 0.1248, 0.0571]])  (shown to 4 decimals)

        In 1-d: exp(-1 / (2 * 0.8**2)) = 0.4578, so [0.4578, 1, 0.4578] / 1.9157 = [0.2390, 0.5220,
        0.2390]; the 2-d kernel is the outer product of that with itself.
    """
    # TODO: your code here
    raise NotImplementedError


def gaussian_blur(image, ksize, sigma=0.0):
    """Blur `image` with gaussian_kernel(ksize, sigma); a float64 array of the image's shape.

    `ksize` and `sigma` follow the rules of gaussian_kernel (ValueError for a bad ksize). A colour
    image is blurred channel by channel: channels never mix. Pixels past the border are taken by
    reflect-101, OpenCV's default border: the image is mirrored about its edge pixel without
    repeating it, so a row `a b c d` is read as `d c b | a b c d | c b a`. Not zero padding, and not
    `c b a | a b c d | d c b` (numpy's "symmetric").

    Example:
        >>> image = [[4, 2, 0, 0, 0]] * 3          # three equal rows, a 3 x 5 image
        >>> gaussian_blur(image, 3)                 # 1-d weights [0.239, 0.522, 0.239], as above
        array([[3.044, 2.   , 0.478, 0.   , 0.   ],
               [3.044, 2.   , 0.478, 0.   , 0.   ],
               [3.044, 2.   , 0.478, 0.   , 0.   ]])  (shown to 3 decimals)

        Across a row: at the left edge the row is read as 2 | 4 2 0 ..., so the first value is
        0.239 * 2 + 0.522 * 4 + 0.239 * 2 = 3.044 (in the middle row, zero padding would give 2.566
        and numpy's "symmetric" 4 | 4 2 0 ... 3.522); the next is 0.239 * 4 + 0.522 * 2 + 0.239 * 0
        = 2.0. The rows are all equal, so blurring down the columns (reflected the same way) changes
        nothing.
    """
    # TODO: your code here
    raise NotImplementedError
