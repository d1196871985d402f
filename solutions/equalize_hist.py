"""Reference: histogram equalisation exactly as cv2.equalizeHist computes it (float32 scale, round half
to even, a constant image returned unchanged), and CLAHE exactly as cv2.createCLAHE(...).apply computes
it (reflect-101 padding, clipping with redistribution, float32 tables and bilinear blending)."""

import numbers

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


def _reflect_101(index, n):
    """Indices outside 0..n-1 folded back by mirroring about the edge pixels without repeating them
    (OpenCV's BORDER_REFLECT_101), however far out; a side of one pixel repeats it."""
    period = max(2 * (n - 1), 1)  # reflect-101 repeats every 2 (n - 1) pixels; a 1-pixel side is constant
    index = index % period
    return np.where(index < n, index, period - index)


def _blend_axis(n, tile, tiles):
    """For each of n pixel positions along one axis: the two tiles whose tables it blends and their
    float32 weights, with OpenCV's float32 coordinates (pixel x at x / tile - 0.5 in tile units)."""
    f = np.arange(n).astype(np.float32) * (np.float32(1) / np.float32(tile)) - np.float32(0.5)
    first = np.floor(f)
    a = f - first  # float32: the weight of the second tile
    first = first.astype(np.int64)
    return np.maximum(first, 0), np.minimum(first + 1, tiles - 1), np.float32(1) - a, a


def clahe(image, clip_limit=40.0, tile_grid_size=(8, 8)):
    image = np.asarray(image)
    if image.dtype != np.uint8 or image.ndim != 2:
        raise ValueError(f"image must be a 2-d uint8 array, got {image.dtype} of shape {image.shape}")
    if image.size == 0:
        raise ValueError("image is empty: it has no tile to equalise")
    if not isinstance(clip_limit, numbers.Real):
        raise ValueError("clip_limit must be a real number")
    if not np.isfinite(clip_limit):
        raise ValueError("clip_limit must be finite")
    grid = tuple(tile_grid_size) if isinstance(tile_grid_size, (tuple, list)) else ()
    if len(grid) != 2 or not all(isinstance(t, (int, np.integer)) and not isinstance(t, (bool, np.bool_))
                                 and t >= 1 for t in grid):
        raise ValueError("tile_grid_size must be a pair (tiles_x, tiles_y) of ints >= 1")
    tiles_x, tiles_y = int(grid[0]), int(grid[1])
    h, w = image.shape

    # OpenCV pads only when a side does not divide, and then pads BOTH sides by tiles - size % tiles:
    # a side that divided gets a whole extra tile's worth too.
    padded = image
    if h % tiles_y or w % tiles_x:
        rows = _reflect_101(np.arange(h + tiles_y - h % tiles_y), h)
        cols = _reflect_101(np.arange(w + tiles_x - w % tiles_x), w)
        padded = image[rows[:, None], cols[None, :]]
    th, tw = padded.shape[0] // tiles_y, padded.shape[1] // tiles_x
    area = th * tw

    # One histogram per tile: tile k's level v is counted in bin 256 * k + v.
    tile_of = (np.arange(padded.shape[0]) // th)[:, None] * tiles_x + (np.arange(padded.shape[1]) // tw)[None, :]
    hist = np.bincount((tile_of * 256 + padded).ravel(), minlength=tiles_y * tiles_x * 256)
    hist = hist.reshape(tiles_y * tiles_x, 256).astype(np.int64)

    if clip_limit > 0:
        # The limit is a pixel count scaled to the tile's area (the double product, truncated), at least 1.
        limit = max(int(float(clip_limit) * area / 256), 1)
        clipped = np.maximum(hist - limit, 0).sum(axis=1, keepdims=True)
        hist = np.minimum(hist, limit) + clipped // 256
        # The residual r goes one pixel each to bins 0, s, 2s, ... (r of them), s = max(256 // r, 1).
        residual = clipped % 256
        # (256 // r >= 1 as r < 256; a tile with r = 0 gets no bin, as no bin is below r * s.)
        step = 256 // np.maximum(residual, 1)
        bins = np.arange(256)[None, :]
        hist += (bins % step == 0) & (bins < residual * step)

    scale = np.float32(255) / np.float32(area)
    # The clipped pixels are all given back, so every tile's cumulative count ends at its area: the table
    # stays within 0..255 (OpenCV's saturation never acts), and so does any blend of tables.
    luts = np.rint(np.cumsum(hist, axis=1).astype(np.float32) * scale).reshape(tiles_y, tiles_x, 256)

    # Bilinear blend of the four surrounding tiles' tables at the pixel's own level, in float32.
    r1, r2, wr1, wr2 = _blend_axis(h, th, tiles_y)
    c1, c2, wc1, wc2 = _blend_axis(w, tw, tiles_x)
    r1, r2, wr1, wr2 = r1[:, None], r2[:, None], wr1[:, None], wr2[:, None]
    top = luts[r1, c1, image] * wc1 + luts[r1, c2, image] * wc2
    bottom = luts[r2, c1, image] * wc1 + luts[r2, c2, image] * wc2
    blended = top * wr1 + bottom * wr2
    return np.rint(blended).astype(np.uint8)
