"""Reference: 2-d convolution with torch.nn.functional.conv2d semantics, in numpy."""

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


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    x = np.asarray(x, dtype=np.float64)
    weight = np.asarray(weight, dtype=np.float64)
    if x.ndim != 4:
        raise ValueError(f"x must have shape (N, C, H, W), got {x.shape}")
    if weight.ndim != 4:
        raise ValueError(f"weight must have shape (O, C // groups, KH, KW), got {weight.shape}")
    sh, sw = _pair(stride, "stride", 1)
    ph, pw = _pair(padding, "padding", 0)
    dh, dw = _pair(dilation, "dilation", 1)
    if not isinstance(groups, numbers.Integral) or isinstance(groups, bool) or groups < 1:
        raise ValueError(f"groups must be a positive int, got {groups!r}")

    n, c, h, w = x.shape
    o, cg, kh, kw = weight.shape
    # Each group sees C // groups input channels and produces O // groups output channels, so both
    # counts must split evenly and the weight's second axis must be the per-group input count.
    if c % groups or o % groups:
        raise ValueError(f"in channels {c} and out channels {o} must both be divisible by groups={groups}")
    if cg != c // groups:
        raise ValueError(f"weight expects {cg} input channels per group, x gives {c} // {groups} = {c // groups}")
    if kh < 1 or kw < 1:
        raise ValueError(f"kernel must be at least 1x1, got {kh}x{kw}")
    if bias is not None:
        bias = np.asarray(bias, dtype=np.float64)
        if bias.shape != (o,):
            raise ValueError(f"bias must have shape ({o},), got {bias.shape}")

    # The dilated kernel spans dh*(KH-1)+1 rows; the output counts the stride steps that fit it.
    oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    if oh < 1 or ow < 1:
        raise ValueError(f"output size {oh}x{ow} is below 1: the (dilated) kernel does not fit the padded input")

    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.zeros((n, o, oh, ow), dtype=np.float64)
    og = o // groups
    for g in range(groups):
        xg = xp[:, g * cg:(g + 1) * cg]          # (N, C/g, Hp, Wp)
        wg = weight[g * og:(g + 1) * og]          # (O/g, C/g, KH, KW)
        for i in range(kh):
            for j in range(kw):
                # Cross-correlation, not convolution: tap (i, j) reads the input at offset
                # (i*dh, j*dw) from each output's top-left corner; the kernel is never flipped.
                patch = xg[:, :, i * dh:i * dh + sh * (oh - 1) + 1:sh, j * dw:j * dw + sw * (ow - 1) + 1:sw]
                out[:, g * og:(g + 1) * og] += np.einsum("nchw,oc->nohw", patch, wg[:, :, i, j])
    if bias is not None:
        out += bias[None, :, None, None]
    return out
