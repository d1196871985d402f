"""Reference: 2-d transposed convolution with torch.nn.functional.conv_transpose2d semantics, in numpy."""

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


def conv_transpose2d(x, weight, bias=None, stride=1, padding=0, output_padding=0, dilation=1, groups=1):
    x = np.asarray(x, dtype=np.float64)
    weight = np.asarray(weight, dtype=np.float64)
    if x.ndim != 4:
        raise ValueError(f"x must have shape (N, C_in, H, W), got {x.shape}")
    if weight.ndim != 4:
        raise ValueError(f"weight must have shape (C_in, C_out // groups, KH, KW), got {weight.shape}")
    sh, sw = _pair(stride, "stride", 1)
    ph, pw = _pair(padding, "padding", 0)
    oph, opw = _pair(output_padding, "output_padding", 0)
    dh, dw = _pair(dilation, "dilation", 1)
    if not isinstance(groups, numbers.Integral) or isinstance(groups, bool) or groups < 1:
        raise ValueError(f"groups must be a positive int, got {groups!r}")
    # The extra rows only make sense inside one stride (or dilation) step: more would be rows that
    # no input of the matching convolution could have produced. torch checks each axis on its own.
    if oph >= max(sh, dh) or opw >= max(sw, dw):
        raise ValueError(f"output_padding {(oph, opw)} must be smaller than max(stride, dilation) on each axis, "
                         f"here {(max(sh, dh), max(sw, dw))}")

    n, c_in, h, w = x.shape
    wc, cog, kh, kw = weight.shape
    if wc != c_in:
        raise ValueError(f"weight.shape[0] = {wc} must equal the input channels C_in = {c_in}")
    if c_in % groups:
        raise ValueError(f"input channels {c_in} must be divisible by groups={groups}")
    if kh < 1 or kw < 1 or cog < 1:
        raise ValueError(f"weight must be at least 1 output channel and 1x1, got {weight.shape}")
    c_out = cog * groups
    if bias is not None:
        bias = np.asarray(bias, dtype=np.float64)
        if bias.shape != (c_out,):
            raise ValueError(f"bias must have shape ({c_out},), got {bias.shape}")

    # Every input pixel (i, j) spreads weight[c, o] over the output, tap (a, b) landing on
    # (i*sh + a*dh - ph, j*sw + b*dw - pw): the gradient of conv2d with respect to its input.
    span_h = (h - 1) * sh + dh * (kh - 1) + 1
    span_w = (w - 1) * sw + dw * (kw - 1) + 1
    oh, ow = span_h - 2 * ph + oph, span_w - 2 * pw + opw
    if oh < 1 or ow < 1:
        raise ValueError(f"output size {oh}x{ow} is below 1: the padding crops away the whole output")
    full = np.zeros((n, c_out, span_h + oph, span_w + opw), dtype=np.float64)
    cig = c_in // groups
    for g in range(groups):
        xg = x[:, g * cig:(g + 1) * cig]          # (N, C_in/g, H, W)
        wg = weight[g * cig:(g + 1) * cig]        # (C_in/g, C_out/g, KH, KW)
        for a in range(kh):
            for b in range(kw):
                rows = slice(a * dh, a * dh + sh * (h - 1) + 1, sh)
                cols = slice(b * dw, b * dw + sw * (w - 1) + 1, sw)
                full[:, g * cog:(g + 1) * cog, rows, cols] += np.einsum("nchw,co->nohw", xg, wg[:, :, a, b])
    # output_padding adds rows and columns at the bottom and right only; padding crops both sides.
    out = full[:, :, ph:ph + oh, pw:pw + ow]
    if bias is not None:
        out = out + bias[None, :, None, None]
    return out
