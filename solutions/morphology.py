"""Reference: erosion, dilation, opening and closing with OpenCV's conventions (cv2.erode / cv2.dilate /
cv2.morphologyEx with the default anchor and border)."""

import operator

import numpy as np

_DTYPES = (np.uint8, np.float32, np.float64)


def _prepare(image, kernel, iterations):
    image = np.asarray(image)
    if image.ndim != 2:
        raise ValueError(f"image must be 2-d (H, W), got shape {image.shape}")
    if image.dtype not in _DTYPES:
        raise ValueError(f"image must be uint8, float32 or float64, got {image.dtype}")
    on = np.asarray(kernel) != 0  # nonzero entries are the structuring element, as in OpenCV
    if on.ndim != 2 or not on.any():
        raise ValueError("kernel must be a 2-d array of 0s and 1s with at least one 1")
    iterations = operator.index(iterations)
    if iterations < 0:
        raise ValueError(f"iterations must be >= 0, got {iterations}")
    return image, on, iterations


def _outside(dtype, largest):
    # OpenCV's default border for morphology: the type's own extreme (255 / 0 for uint8, +-finfo.max for
    # floats, not inf), so a pixel outside never wins; where every 1 of the kernel falls outside, that
    # extreme is the result.
    info = np.iinfo(dtype) if dtype.kind in "iu" else np.finfo(dtype)
    return info.max if largest else info.min


def _once(image, on, erode):
    reduce = np.minimum if erode else np.maximum
    kh, kw = on.shape
    ay, ax = kh // 2, kw // 2
    h, w = image.shape
    fill = _outside(image.dtype, largest=erode)
    padded = np.full((h + kh - 1, w + kw - 1), fill, dtype=image.dtype)
    padded[ay:ay + h, ax:ax + w] = image
    # padded[y + i, x + j] is src[y + i - ay, x + j - ax]: the kernel is laid on the image as it is, for
    # dilation too (OpenCV does not reflect it), and only its 1 entries take part.
    out = np.full(image.shape, fill, dtype=image.dtype)
    for i, j in zip(*np.nonzero(on)):
        out = reduce(out, padded[i:i + h, j:j + w])
    return out


def _repeat(image, on, iterations, erode):
    out = image.copy()  # iterations=0 gives a copy, never the caller's array
    for _ in range(iterations):
        out = _once(out, on, erode)
    return out


def erode(image, kernel, iterations=1):
    image, on, iterations = _prepare(image, kernel, iterations)
    return _repeat(image, on, iterations, erode=True)


def dilate(image, kernel, iterations=1):
    image, on, iterations = _prepare(image, kernel, iterations)
    return _repeat(image, on, iterations, erode=False)


def opening(image, kernel, iterations=1):
    image, on, iterations = _prepare(image, kernel, iterations)
    # All the erosions first, then all the dilations (cv2.morphologyEx), not (erode, dilate) n times.
    return _repeat(_repeat(image, on, iterations, erode=True), on, iterations, erode=False)


def closing(image, kernel, iterations=1):
    image, on, iterations = _prepare(image, kernel, iterations)
    return _repeat(_repeat(image, on, iterations, erode=False), on, iterations, erode=True)
