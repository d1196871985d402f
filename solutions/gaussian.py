"""Reference: a Gaussian kernel and a Gaussian blur with OpenCV's conventions."""

import numpy as np


def _check_ksize(ksize):
    # bool is an int subclass, but True is not a kernel size anyone means.
    if isinstance(ksize, bool) or not isinstance(ksize, (int, np.integer)):
        raise ValueError(f"ksize must be a positive odd integer, got {ksize!r}")
    if ksize <= 0 or ksize % 2 == 0:
        raise ValueError(f"ksize must be a positive odd integer, got {ksize}")
    return int(ksize)


def _sigma_for(ksize, sigma):
    # OpenCV's rule for a sigma that is not given: it grows with the kernel so that the kernel's
    # tails stay small but not negligible. A negative sigma means "not given" too.
    if sigma <= 0:
        return 0.3 * ((ksize - 1) * 0.5 - 1) + 0.8
    return float(sigma)


def _kernel_1d(ksize, sigma):
    ksize = _check_ksize(ksize)
    sigma = _sigma_for(ksize, sigma)
    offsets = np.arange(ksize, dtype=np.float64) - ksize // 2
    weights = np.exp(-(offsets ** 2) / (2.0 * sigma ** 2))
    # Normalise the sampled values, not with the continuous 1 / (sqrt(2 pi) sigma): a sampled,
    # truncated Gaussian only sums to 1 when divided by its own sum.
    return weights / weights.sum()


def gaussian_kernel(ksize, sigma=0.0):
    g = _kernel_1d(ksize, sigma)
    # exp(-(x^2 + y^2) / 2s^2) = exp(-x^2 / 2s^2) * exp(-y^2 / 2s^2), and the sum of an outer product
    # is the product of the sums: the outer product of the normalised 1-d kernel is the normalised 2-d one.
    return np.outer(g, g)


def gaussian_blur(image, ksize, sigma=0.0):
    g = _kernel_1d(ksize, sigma)
    image = np.asarray(image, dtype=np.float64)
    if image.ndim not in (2, 3):
        raise ValueError(f"image must be (H, W) or (H, W, C), got shape {image.shape}")
    r = len(g) // 2
    # Pad only the two spatial axes; a colour axis is never padded or mixed. numpy's 'reflect' is
    # reflect-101 (dcb|abcd|cba, the edge pixel not repeated), OpenCV's default border.
    pad = [(r, r), (r, r)] + [(0, 0)] * (image.ndim - 2)
    padded = np.pad(image, pad, mode="reflect")
    h, w = image.shape[:2]
    # The kernel is separable: filter the rows, then the columns (k + k products per pixel, not k * k).
    # It is symmetric, so correlation and convolution are the same thing.
    rows = sum(g[i] * padded[i:i + h] for i in range(len(g)))
    return sum(g[j] * rows[:, j:j + w] for j in range(len(g)))
