"""Histogram equalisation of a greyscale image, exactly as cv2.equalizeHist computes it.

Write it by hand with Python and numpy: cv2, torch, torchvision, scipy and the like are refused.
Check your work with `grade equalize_hist`; stuck? `grade hint equalize_hist`.

The image is an (H, W) numpy array of dtype uint8 with at least one pixel. Anything else raises
ValueError: a float image, a nested list (np.asarray makes it int64), a colour (H, W, 3) image, a 1-d
array, an empty image. The result is a new uint8 array of the image's shape, compared exactly: every
pixel must be OpenCV's, so the rounding rule below is part of the contract.
"""

import numpy as np


def equalize_hist(image):
    """Stretch the image's cumulative histogram over 0..255, as cv2.equalizeHist.

    With N = H * W pixels, hist[v] the number of pixels of grey level v and cdf[v] = hist[0] + ... +
    hist[v]:
      - lo is the lowest level present and cdf_min = hist[lo] = cdf[lo] (not cdf[0], which is 0 when
        no pixel is 0).
      - A constant image (cdf_min == N) comes back unchanged: there is nothing to stretch, and no
        division by zero.
      - Otherwise each level v >= lo maps to
            lut[v] = round(float32(cdf[v] - cdf_min) * scale),  scale = float32(255) / float32(N - cdf_min)
        computed in float32 as OpenCV does (np.float32 operands, so the product is a float32 product),
        and round is round half to even (np.rint: 2.5 -> 2, 3.5 -> 4). So lut[lo] = 0 and the
        brightest level present maps to 255. Then out[y, x] = lut[image[y, x]].

    Example:
        >>> image = np.array([[10, 10, 20, 30],
        ...                   [30, 40, 40, 40]], dtype=np.uint8)
        >>> equalize_hist(image)
        array([[  0,   0,  42, 128],
               [128, 255, 255, 255]], dtype=uint8)

        N = 8, the lowest level 10 has cdf_min = 2, so scale = 255 / 6 = 42.5. Level 20: cdf - cdf_min
        = 1 and 42.5 rounds half to even, to 42; level 30: 3 * 42.5 = 127.5 -> 128; level 40: 6 *
        42.5 = 255.

        >>> image = np.array([[0, 100, 100, 100, 100],
        ...                   [100, 100, 100, 200, 200],
        ...                   [200, 200, 200, 200, 200]], dtype=np.uint8)
        >>> equalize_hist(image)
        array([[  0, 127, 127, 127, 127],
               [127, 127, 127, 255, 255],
               [255, 255, 255, 255, 255]], dtype=uint8)

        N - cdf_min = 14 and level 100 has cdf - cdf_min = 7. In float32, 255 / 14 is 18.214285 and
        7 times that is 127.49999, which rounds to 127; the exact 127.5, or float64 arithmetic, would
        give 128.

        >>> equalize_hist(np.full((2, 3), 77, dtype=np.uint8))
        array([[77, 77, 77],
               [77, 77, 77]], dtype=uint8)
    """
    # TODO: your code here
    raise NotImplementedError
