"""Reference: histogram equalisation exactly as cv2.equalizeHist computes it (float32 scale, round half
to even, a constant image returned unchanged)."""

import numpy as np


def equalize_hist(image):
    image = np.asarray(image)
    if image.dtype != np.uint8 or image.ndim != 2:
        raise ValueError(f"image must be a 2-d uint8 array, got {image.dtype} of shape {image.shape}")
    if image.size == 0:
        raise ValueError("image is empty: it has no grey level to equalise")
    hist = np.bincount(image.ravel(), minlength=256)
    lowest = int(np.flatnonzero(hist)[0])
    cdf_min = int(hist[lowest])  # the count of the lowest level present, not cdf[0]
    total = image.size
    if cdf_min == total:
        # One grey level: there is nothing to stretch (and N - cdf_min = 0). OpenCV sets every pixel to
        # that level, i.e. returns the image as it is.
        return image.copy()
    # OpenCV works in float32: the scale is a float32 quotient and each entry a float32 product, rounded
    # half to even (cvRound). Exact or float64 arithmetic rounds differently at some .5 boundaries.
    scale = np.float32(255) / np.float32(total - cdf_min)
    shifted = np.cumsum(hist[lowest:]) - cdf_min  # cdf[v] - cdf_min for v >= lowest; 0 at the lowest
    lut = np.zeros(256, dtype=np.uint8)  # levels below the lowest never occur
    lut[lowest:] = np.rint(shifted.astype(np.float32) * scale)
    return lut[image]
