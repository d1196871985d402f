"""Reference: 2-d max and average pooling and their gradients, with torch.nn.functional.max_pool2d /
avg_pool2d semantics (count_include_pad=True, ceil_mode=False), in numpy."""

import numbers

import numpy as np


def _pair(value, name, minimum):
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        pair = (int(value), int(value))
    else:
        try:
            items = tuple(value)
        except TypeError:
            raise ValueError(f"{name} must be an int or an (h, w) pair, got {value!r}") from None
        if len(items) != 2 or not all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in items):
            raise ValueError(f"{name} must be an int or an (h, w) pair of ints, got {value!r}")
        pair = (int(items[0]), int(items[1]))
    if min(pair) < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return pair


def _geometry(shape, kernel_size, stride, padding):
    """(kh, kw), (sh, sw), (ph, pw), (oh, ow) for an input of `shape` (N, C, H, W), validated as torch does."""
    if len(shape) != 4:
        raise ValueError(f"x must have shape (N, C, H, W), got {tuple(shape)}")
    kernel = _pair(kernel_size, "kernel_size", 1)
    stride = kernel if stride is None else _pair(stride, "stride", 1)
    padding = _pair(padding, "padding", 0)
    if any(2 * p > k for p, k in zip(padding, kernel)):
        raise ValueError(f"padding {padding} must be at most half the kernel size {kernel}")
    out = tuple((size + 2 * p - k) // s + 1 for size, k, s, p in zip(shape[2:], kernel, stride, padding))
    if min(out) < 1:
        raise ValueError(f"output size {out[0]}x{out[1]} is below 1: the kernel does not fit the padded input")
    return kernel, stride, padding, out


def _windows(kernel, stride, out):
    """For each kernel offset (row-major), the slices of the padded input that it reads for every output."""
    (kh, kw), (sh, sw), (oh, ow) = kernel, stride, out
    for i in range(kh):
        for j in range(kw):
            yield (slice(None), slice(None), slice(i, i + sh * (oh - 1) + 1, sh), slice(j, j + sw * (ow - 1) + 1, sw))


def _padded(x, padding, fill):
    (ph, pw) = padding
    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill)


def _argmax_offsets(x, kernel, stride, padding, out):
    """The max of each window and the index (in row-major kernel order) of its FIRST maximum, as torch's CPU
    kernel scans: a later equal value does not replace it. Padding is -inf, so it never wins."""
    xp = _padded(x, padding, -np.inf)
    best = np.full(x.shape[:2] + out, -np.inf)
    where = np.zeros(best.shape, dtype=np.int64)
    for k, window in enumerate(_windows(kernel, stride, out)):
        values = xp[window]
        better = values > best
        best = np.where(better, values, best)
        where[better] = k
    return best, where


def max_pool2d(x, kernel_size, stride=None, padding=0):
    x = np.asarray(x, dtype=np.float64)
    kernel, stride, padding, out = _geometry(x.shape, kernel_size, stride, padding)
    return _argmax_offsets(x, kernel, stride, padding, out)[0]


def avg_pool2d(x, kernel_size, stride=None, padding=0):
    x = np.asarray(x, dtype=np.float64)
    kernel, stride, padding, out = _geometry(x.shape, kernel_size, stride, padding)
    xp = _padded(x, padding, 0.0)
    total = sum(xp[window] for window in _windows(kernel, stride, out))
    # count_include_pad=True: every window counts kh*kw cells, padded zeros included.
    return total / (kernel[0] * kernel[1])


def _check_dy(dy, shape, out):
    dy = np.asarray(dy, dtype=np.float64)
    if dy.shape != tuple(shape[:2]) + out:
        raise ValueError(f"dy must have the output's shape {tuple(shape[:2]) + out}, got {dy.shape}")
    return dy


def _crop(grad, padding, shape):
    (ph, pw) = padding
    return grad[:, :, ph:ph + shape[2], pw:pw + shape[3]]


def max_pool2d_backward(dy, x, kernel_size, stride=None, padding=0):
    x = np.asarray(x, dtype=np.float64)
    kernel, stride, padding, out = _geometry(x.shape, kernel_size, stride, padding)
    dy = _check_dy(dy, x.shape, out)
    _, where = _argmax_offsets(x, kernel, stride, padding, out)
    grad = np.zeros(_padded(x, padding, 0.0).shape)
    for k, window in enumerate(_windows(kernel, stride, out)):
        # Overlapping windows may pick the same element: their gradients add up.
        grad[window] += np.where(where == k, dy, 0.0)
    return _crop(grad, padding, x.shape)


def avg_pool2d_backward(dy, x_shape, kernel_size, stride=None, padding=0):
    try:
        shape = tuple(int(v) for v in x_shape)
    except (TypeError, ValueError):
        raise ValueError(f"x_shape must be a tuple of 4 ints, got {x_shape!r}") from None
    if len(shape) != 4 or min(shape) < 0:
        raise ValueError(f"x_shape must be (N, C, H, W), got {x_shape!r}")
    kernel, stride, padding, out = _geometry(shape, kernel_size, stride, padding)
    dy = _check_dy(dy, shape, out)
    (ph, pw) = padding
    grad = np.zeros(shape[:2] + (shape[2] + 2 * ph, shape[3] + 2 * pw))
    share = dy / (kernel[0] * kernel[1])
    for window in _windows(kernel, stride, out):
        grad[window] += share
    return _crop(grad, padding, shape)  # what fell on padding goes nowhere
