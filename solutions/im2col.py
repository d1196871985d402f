"""Reference: im2col and col2im with torch.nn.functional.unfold / fold semantics, in numpy."""

import numbers

import numpy as np


def _pair(value, name, minimum):
    """An int or an (h, w) pair of ints, as a pair; anything else is a ValueError."""
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


def _geometry(h, w, kernel_size, stride, padding, dilation):
    """The kernel, stride, padding and dilation as pairs, and the number of window positions (OH, OW)."""
    kernel = _pair(kernel_size, "kernel_size", 1)
    stride = _pair(stride, "stride", 1)
    padding = _pair(padding, "padding", 0)
    dilation = _pair(dilation, "dilation", 1)
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = kernel, stride, padding, dilation
    # The dilated kernel spans dh*(KH-1)+1 rows; count the stride steps that fit it in the padded input.
    oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    if oh < 1 or ow < 1:
        raise ValueError(f"{oh}x{ow} window positions: the (dilated) kernel does not fit the padded input")
    return kernel, stride, padding, dilation, (oh, ow)


def _taps(offset, step, count):
    """The padded rows (or columns) that the kernel tap at `offset` reads, one per window position."""
    return slice(offset, offset + step * (count - 1) + 1, step)


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 4:
        raise ValueError(f"x must have shape (N, C, H, W), got {x.shape}")
    n, c, h, w = x.shape
    (kh, kw), (sh, sw), (ph, pw), (dh, dw), (oh, ow) = _geometry(h, w, kernel_size, stride, padding, dilation)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    cols = np.empty((n, c, kh, kw, oh, ow), dtype=np.float64)
    for a in range(kh):
        for b in range(kw):
            cols[:, :, a, b] = xp[:, :, _taps(a * dh, sh, oh), _taps(b * dw, sw, ow)]
    # Row c*KH*KW + a*KW + b, column i*OW + j: the C-order flattening of (c, a, b) and of (i, j).
    return cols.reshape(n, c * kh * kw, oh * ow)


def col2im(cols, output_size, kernel_size, stride=1, padding=0, dilation=1):
    cols = np.asarray(cols, dtype=np.float64)
    if cols.ndim != 3:
        raise ValueError(f"cols must have shape (N, C*KH*KW, L), got {cols.shape}")
    h, w = _pair(output_size, "output_size", 1)
    n, rows, length = cols.shape
    (kh, kw), (sh, sw), (ph, pw), (dh, dw), (oh, ow) = _geometry(h, w, kernel_size, stride, padding, dilation)
    if rows % (kh * kw):
        raise ValueError(f"cols has {rows} rows, not a multiple of KH*KW = {kh * kw}")
    if length != oh * ow:
        raise ValueError(f"cols has {length} columns but output_size {h}x{w} gives {oh}x{ow} = {oh * ow} windows")
    c = rows // (kh * kw)
    cols = cols.reshape(n, c, kh, kw, oh, ow)
    xp = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=np.float64)
    for a in range(kh):
        for b in range(kw):
            # Windows overlap when the stride is below the dilated kernel: a pixel read by several
            # windows receives the sum of their values (fold is the adjoint of unfold).
            xp[:, :, _taps(a * dh, sh, oh), _taps(b * dw, sw, ow)] += cols[:, :, a, b]
    return xp[:, :, ph:ph + h, pw:pw + w]
