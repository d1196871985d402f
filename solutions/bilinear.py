"""Reference: bilinear resize with PyTorch's align_corners semantics."""

import numpy as np


def _source_coords(in_size, out_size, align_corners):
    """For each output index along one axis: the two input indices to mix and the weight of the second."""
    dst = np.arange(out_size, dtype=np.float64)
    if align_corners:
        # Corner pixel centres map onto corner pixel centres. A single output pixel has no
        # second corner to map to: it takes the first input pixel.
        scale = (in_size - 1) / (out_size - 1) if out_size > 1 else 0.0
        src = dst * scale
    else:
        # Half-pixel centres: output pixel d covers [d, d + 1) and its centre d + 0.5 maps to
        # (d + 0.5) * in / out in input space; -0.5 turns that back into an index. Near the top-left
        # the result is negative when upscaling; PyTorch (and OpenCV) clamp it to 0 rather than
        # extrapolate past the first pixel.
        src = np.maximum((dst + 0.5) * in_size / out_size - 0.5, 0.0)
    lo = np.minimum(np.floor(src).astype(np.int64), in_size - 1)
    hi = np.minimum(lo + 1, in_size - 1)
    frac = src - lo
    return lo, hi, frac


def bilinear_resize(image, size, align_corners=False):
    # Integer input is promoted first: mixing uint8 values must neither wrap nor truncate.
    image = np.asarray(image, dtype=np.float64)
    if image.ndim not in (2, 3):
        raise ValueError(f"image must be (H, W) or (H, W, C), got shape {image.shape}")
    out_h, out_w = (int(s) for s in size)  # (height, width), as torch; not OpenCV's (width, height)
    if out_h < 1 or out_w < 1:
        raise ValueError(f"size must be two positive integers, got {tuple(size)}")
    in_h, in_w = image.shape[:2]
    y0, y1, fy = _source_coords(in_h, out_h, align_corners)
    x0, x1, fx = _source_coords(in_w, out_w, align_corners)
    # Broadcast the weights over a trailing channel axis when there is one.
    extra = (1,) * (image.ndim - 2)
    fy = fy.reshape((-1, 1) + extra)
    fx = fx.reshape((1, -1) + extra)
    # Interpolate along x on the two source rows, then along y between them.
    top = image[y0][:, x0] * (1 - fx) + image[y0][:, x1] * fx
    bottom = image[y1][:, x0] * (1 - fx) + image[y1][:, x1] * fx
    return top * (1 - fy) + bottom * fy
