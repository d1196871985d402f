"""Reference: ROIAlign and ROIPool with the semantics of torchvision's CPU kernels
(torchvision/csrc/ops/cpu/roi_align_kernel.cpp and roi_pool_kernel.cpp), in numpy."""

import math
import numbers

import numpy as np


def _output_size(output_size):
    if isinstance(output_size, numbers.Integral) and not isinstance(output_size, bool):
        pair = (int(output_size), int(output_size))
    else:
        try:
            items = tuple(output_size)
        except TypeError:
            raise ValueError(f"output_size must be an int or a (PH, PW) pair, got {output_size!r}") from None
        if len(items) != 2 or not all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in items):
            raise ValueError(f"output_size must be an int or a (PH, PW) pair of ints, got {output_size!r}")
        pair = (int(items[0]), int(items[1]))
    if min(pair) < 1:
        raise ValueError(f"output_size must be >= 1, got {output_size!r}")
    return pair


def _inputs(features, rois, output_size):
    """features as float64 (N, C, H, W), rois as float64 (K, 5), their batch indices as ints, (PH, PW)."""
    features = np.asarray(features, dtype=np.float64)
    if features.ndim != 4 or features.shape[2] == 0 or features.shape[3] == 0:
        raise ValueError(f"features must have shape (N, C, H, W) with H, W >= 1, got {features.shape}")
    rois = np.asarray(rois, dtype=np.float64)
    if rois.size == 0:
        rois = rois.reshape(0, 5)
    if rois.ndim != 2 or rois.shape[1] != 5:
        raise ValueError(f"rois must have shape (K, 5): [batch_index, x1, y1, x2, y2], got {rois.shape}")
    batch = rois[:, 0]
    if not np.all((batch == np.floor(batch)) & (batch >= 0) & (batch < features.shape[0])):
        raise ValueError(f"every batch index must be a whole number in 0 ... {features.shape[0] - 1}")
    return features, rois, batch.astype(np.int64), _output_size(output_size)


def _axis_weights(start, bin_size, bins, grid, size):
    """(bins, size): row i averages, over the `grid` samples of bin i along one axis, the bilinear
    weights each sample puts on the `size` pixels of that axis. Bilinear interpolation with the
    kernel's border rules is separable, so a bin's value is Wy @ plane @ Wx.T."""
    i = np.arange(bins)[:, None]
    s = np.arange(grid)[None, :]
    # The kernel's order of operations, so that a sample on -1 or `size` falls on the same side.
    coord = (start + i * bin_size + (s + 0.5) * bin_size / grid).ravel()
    inside = (coord >= -1.0) & (coord <= size)  # outside: weight 0, but the sample still counts
    coord = np.clip(coord, 0.0, size)  # y <= 0 reads row 0; past `size` it is masked anyway
    low = np.floor(coord).astype(np.int64)
    last = low >= size - 1
    low = np.where(last, size - 1, low)
    high = np.where(last, size - 1, low + 1)
    frac = np.where(last, 0.0, coord - low)
    weights = np.zeros((coord.size, size))
    rows = np.arange(coord.size)
    np.add.at(weights, (rows, low), np.where(inside, 1.0 - frac, 0.0))
    np.add.at(weights, (rows, high), np.where(inside, frac, 0.0))
    return weights.reshape(bins, grid, size).sum(axis=1) / grid


def roi_align(features, rois, output_size, spatial_scale=1.0, sampling_ratio=-1, aligned=False):
    features, rois, batch, (ph, pw) = _inputs(features, rois, output_size)
    _, channels, height, width = features.shape
    out = np.zeros((len(rois), channels, ph, pw))
    offset = 0.5 if aligned else 0.0
    for k, (b, roi) in enumerate(zip(batch, rois)):
        x1, y1, x2, y2 = roi[1:] * spatial_scale - offset  # scale, then shift; never rounded
        roi_w, roi_h = x2 - x1, y2 - y1
        if not aligned:  # the legacy mode forces malformed rois to 1 x 1; aligned=True does not
            roi_w, roi_h = max(roi_w, 1.0), max(roi_h, 1.0)
        gh = sampling_ratio if sampling_ratio > 0 else math.ceil(roi_h / ph)
        gw = sampling_ratio if sampling_ratio > 0 else math.ceil(roi_w / pw)
        if gh < 1 or gw < 1:
            continue  # an empty grid (aligned=True, a roi of size <= 0): the bins stay 0
        wy = _axis_weights(y1, roi_h / ph, ph, gh, height)
        wx = _axis_weights(x1, roi_w / pw, pw, gw, width)
        out[k] = np.einsum("ir,crs,js->cij", wy, features[b], wx)
    return out


def _round_half_away(values):
    """C's round(): halves go away from zero (np.round sends them to the even neighbour)."""
    whole = np.trunc(values)
    return (whole + np.sign(values) * (np.abs(values - whole) >= 0.5)).astype(np.int64)


def roi_pool(features, rois, output_size, spatial_scale=1.0):
    features, rois, batch, (ph, pw) = _inputs(features, rois, output_size)
    _, channels, height, width = features.shape
    out = np.zeros((len(rois), channels, ph, pw))
    for k, (b, roi) in enumerate(zip(batch, rois)):
        x1, y1, x2, y2 = _round_half_away(roi[1:] * spatial_scale)
        roi_w, roi_h = max(x2 - x1 + 1, 1), max(y2 - y1 + 1, 1)  # both corner pixels belong to the roi
        bin_h, bin_w = roi_h / ph, roi_w / pw
        for i in range(ph):
            top = min(max(y1 + math.floor(i * bin_h), 0), height)
            bottom = min(max(y1 + math.ceil((i + 1) * bin_h), 0), height)
            for j in range(pw):
                left = min(max(x1 + math.floor(j * bin_w), 0), width)
                right = min(max(x1 + math.ceil((j + 1) * bin_w), 0), width)
                if bottom > top and right > left:  # an empty bin stays 0
                    out[k, :, i, j] = features[b, :, top:bottom, left:right].max(axis=(1, 2))
    return out
