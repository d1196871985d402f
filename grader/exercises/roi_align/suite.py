"""Hidden suite for roi_align: ROIAlign's half-pixel shift, roi clamp, sampling grid and border band, and
ROIPool's rounding, +1 roi size, floor/ceil bins, clipping and empty bins, each named case aimed at one
mistake. Features are random normals (not linear), so a sample taken in the wrong place shows.

When an answer is wrong, the checker recomputes the classic mistakes on the case's own inputs (with the
loop-free variants below, never with the attempt) and names the one the answer matches, without data.
Sizes stay small (C <= 4, H, W <= 16, K <= 6, bins up to 4 x 4) so that an answer looping over every
roi, channel, bin and sample in pure Python passes easily.
"""

import math

import numpy as np

from grader.grading import compare
from grader.grading.suite import hidden, public
from grader.grading.generators import as_pair, int_or_pair, named_rng
from grader.grading.compare import tensor_check
from grader.grading.suite import diagnosing
_SHAPE = tensor_check("K", "C", "PH", "PW")


def check_pooled(expected, actual):
    """(K, C, PH, PW) float64, every value within tolerance; NaN where a bin is 0 has one usual cause."""
    if isinstance(actual, (int, float, np.number)) and not isinstance(actual, bool):
        # tensor_check needs an array to name the wrong axes
        return compare.safe("returned a single number; return an array of shape (K, C, PH, PW)", compare.SHAPE)
    with np.errstate(invalid="ignore"):  # -inf - -inf, from an answer (or a mistake) with empty bins at -inf
        problem = _SHAPE(expected, actual)
    if problem is not None and problem.kind == compare.NAN:
        act = compare.numeric_array(actual)
        if act is not None and np.all(np.asarray(expected)[np.isnan(act)] == 0):
            return compare.safe("NaN where a bin is 0: with aligned=True and a roi of zero or negative size the "
                                "adaptive grid is empty (gh or gw below 1) and the bin is 0; never divide by a "
                                "count of 0", compare.NAN)
        return problem
    if (problem is None and np.size(expected) and isinstance(actual, np.ndarray)
            and actual.dtype != np.float64):
        return compare.safe(f"returned an array of dtype {actual.dtype}; the contract asks for float64",
                            compare.DTYPE)
    return problem


CHECKS = {"roi_align": check_pooled, "roi_pool": check_pooled}


# --- the classic mistakes, as loop-free variants (for naming a mistake, never for expected values) ---

def _prepared(features, rois, output_size, spatial_scale, swap_xy, batch0, scale):
    features = np.asarray(features, dtype=np.float64)
    rois = np.asarray(rois, dtype=np.float64).reshape(-1, 5)
    if swap_xy:  # read as [b, y1, x1, y2, x2]
        rois = rois[:, [0, 2, 1, 4, 3]]
    batch = np.zeros(len(rois), dtype=np.int64) if batch0 else rois[:, 0].astype(np.int64)
    ph, pw = as_pair(output_size)
    return features, rois, batch, ph, pw, (spatial_scale if scale else 1.0)


def _sample(plane, y, x, outside):
    """Bilinear samples of plane (C, H, W) at the points (y, x): values (C, n) and the in-band mask."""
    h, w = plane.shape[1:]
    band = (y >= -1) & (y <= h) & (x >= -1) & (x <= w)
    if outside == "strict":  # a sample off the map itself (not off the band) is 0
        band = (y >= 0) & (y <= h - 1) & (x >= 0) & (x <= w - 1)
    y, x = np.clip(y, 0, h - 1), np.clip(x, 0, w - 1)
    y0, x0 = np.floor(y).astype(np.int64), np.floor(x).astype(np.int64)
    y1, x1 = np.minimum(y0 + 1, h - 1), np.minimum(x0 + 1, w - 1)
    ly, lx = y - y0, x - x0
    values = ((1 - ly) * (1 - lx) * plane[:, y0, x0] + (1 - ly) * lx * plane[:, y0, x1]
              + ly * (1 - lx) * plane[:, y1, x0] + ly * lx * plane[:, y1, x1])
    return values, band


def align_variant(features, rois, output_size, spatial_scale=1.0, sampling_ratio=-1, aligned=False, *,
                  shift=None, clamp=None, corners=False, fixed_grid=None, outside="zero", swap_xy=False,
                  batch0=False, scale=True, shift_before_scale=False):
    """ROIAlign with one mistake switched on: shift / clamp "never" or "always" instead of following
    `aligned`, samples at the grid's corners, a fixed grid instead of the adaptive one, samples outside
    the band clamped ("clamp"), left out of the count ("uncounted") or zero off the map ("strict")."""
    features, rois, batch, ph, pw, s = _prepared(features, rois, output_size, spatial_scale, swap_xy, batch0, scale)
    out = np.zeros((len(rois), features.shape[1], ph, pw))
    shifted = aligned if shift is None else shift == "always"
    clamped = (not aligned) if clamp is None else clamp == "always"
    offset = 0.5 if shifted else 0.0
    for k, roi in enumerate(rois):
        x1, y1, x2, y2 = (roi[1:] - offset) * s if shift_before_scale else roi[1:] * s - offset
        roi_w, roi_h = x2 - x1, y2 - y1
        if clamped:
            roi_w, roi_h = max(roi_w, 1.0), max(roi_h, 1.0)
        adaptive = fixed_grid if fixed_grid else None
        gh = sampling_ratio if sampling_ratio > 0 else adaptive or math.ceil(roi_h / ph)
        gw = sampling_ratio if sampling_ratio > 0 else adaptive or math.ceil(roi_w / pw)
        if gh < 1 or gw < 1:
            continue
        at = 0.0 if corners else 0.5
        ys = y1 + np.arange(ph)[:, None] * (roi_h / ph) + (np.arange(gh) + at) * (roi_h / ph) / gh
        xs = x1 + np.arange(pw)[:, None] * (roi_w / pw) + (np.arange(gw) + at) * (roi_w / pw) / gw
        y = np.broadcast_to(ys[:, :, None, None], (ph, gh, pw, gw)).ravel()
        x = np.broadcast_to(xs[None, None], (ph, gh, pw, gw)).ravel()
        values, band = _sample(features[batch[k]], y, x, outside)
        if outside != "clamp":
            values = values * band
        values = values.reshape(-1, ph, gh, pw, gw).sum(axis=(2, 4))
        if outside == "uncounted":
            count = band.reshape(ph, gh, pw, gw).sum(axis=(1, 3))
            out[k] = np.divide(values, count, out=np.zeros_like(values), where=count > 0)
        else:
            out[k] = values / (gh * gw)
    return out


def _rounded(values, rounding):
    if rounding == "floor":
        return np.floor(values)
    if rounding == "trunc":
        return np.trunc(values)
    if rounding == "even":
        return np.round(values)
    return np.where(values >= 0, np.floor(values + 0.5), np.ceil(values - 0.5))


def pool_variant(features, rois, output_size, spatial_scale=1.0, *, rounding="away", plus_one=True,
                 end="ceil", whole_bins=False, empty=0.0, start_max=-np.inf, clip=True, swap_xy=False, batch0=False,
                 scale=True):
    """ROIPool with one mistake switched on; clip=False slices with the unclipped bounds, as numpy does
    (a negative start counts from the end)."""
    features, rois, batch, ph, pw, s = _prepared(features, rois, output_size, spatial_scale, swap_xy, batch0, scale)
    h, w = features.shape[2:]
    out = np.zeros((len(rois), features.shape[1], ph, pw))
    for k, roi in enumerate(rois):
        x1, y1, x2, y2 = (int(v) for v in _rounded(roi[1:] * s, rounding))
        extra = 1 if plus_one else 0
        roi_w, roi_h = max(x2 - x1 + extra, 1), max(y2 - y1 + extra, 1)
        close = {"ceil": math.ceil, "floor": math.floor}[end]
        bin_h, bin_w = (roi_h // ph, roi_w // pw) if whole_bins else (roi_h / ph, roi_w / pw)
        for i in range(ph):
            top, bottom = y1 + math.floor(i * bin_h), y1 + close((i + 1) * bin_h)
            for j in range(pw):
                left, right = x1 + math.floor(j * bin_w), x1 + close((j + 1) * bin_w)
                if clip:
                    top, bottom = min(max(top, 0), h), min(max(bottom, 0), h)
                    left, right = min(max(left, 0), w), min(max(right, 0), w)
                cells = features[batch[k], :, top:bottom, left:right].reshape(features.shape[1], -1)
                if cells.shape[1] == 0:
                    out[k, :, i, j] = empty
                else:
                    out[k, :, i, j] = np.maximum(cells.max(axis=1), start_max)
    return out


_BOTH = {
    "the batch index is ignored: roi [b, x1, y1, x2, y2] pools from features[b], not always from image 0":
        dict(batch0=True),
    "x and y are swapped: a roi row is [batch_index, x1, y1, x2, y2], x the column and y the row":
        dict(swap_xy=True),
    "spatial_scale is ignored: multiply every corner by it first (rois are in image coordinates)":
        dict(scale=False),
}

MISTAKES = {
    "roi_align": (align_variant, {
        "aligned=True subtracts 0.5 from every scaled corner (pixel centres at integer coordinates); the "
        "half-pixel shift is missing": dict(shift="never"),
        "the corners were shifted by -0.5 with aligned=False: only aligned=True shifts them": dict(shift="always"),
        "aligned=False raises roi_w and roi_h to at least 1 (malformed rois become 1 x 1); the clamp is "
        "missing": dict(clamp="never"),
        "the roi size was clamped to at least 1 with aligned=True: only aligned=False clamps it":
            dict(clamp="always"),
        "the samples sit at the corners of the grid cells: sample iy of a bin is at (iy + 0.5) * bin_h / gh "
        "from its top, the centre of its cell": dict(corners=True),
        "a fixed 2 x 2 grid per bin: with sampling_ratio <= 0 the grid is adaptive, ceil(roi_h / PH) x "
        "ceil(roi_w / PW)": dict(fixed_grid=2),
        "samples outside the band -1 <= y <= H (x likewise) were clamped onto the map: they are 0": dict(
            outside="clamp"),
        "samples outside the band were left out of the mean: they count as 0, and the mean divides by all "
        "gh * gw samples": dict(outside="uncounted"),
        "samples between -1 and 0 (or between H - 1 and H) were 0: only samples beyond -1 or H are 0, those "
        "inside the band are clamped to the first or last row (column)": dict(outside="strict"),
        "the half-pixel shift was applied before spatial_scale: scale the corners first, then subtract 0.5":
            dict(shift_before_scale=True),
        **_BOTH}),
    "roi_pool": (pool_variant, {
        "corners rounded halves to even (np.round, Python's round()): ROIPool rounds halves away from zero, "
        "2.5 -> 3": dict(rounding="even"),
        "corners floored: ROIPool rounds to the nearest pixel, halves away from zero": dict(rounding="floor"),
        "corners truncated toward zero (int()): ROIPool rounds to the nearest pixel, halves away from zero":
            dict(rounding="trunc"),
        "the roi is one pixel too small: both corner pixels belong to it, roi_w = x2 - x1 + 1":
            dict(plus_one=False),
        "bin ends rounded down: bin i ends at ceil((i + 1) * bin_h), so neighbouring bins may share a row":
            dict(end="floor"),
        "the bin size was rounded down to whole pixels (roi_h // PH): bin_h = roi_h / PH is a float, and bin i "
        "covers floor(i * bin_h) up to ceil((i + 1) * bin_h)": dict(whole_bins=True),
        "an empty bin (off the map after clipping) gave -inf: it is 0": dict(empty=-np.inf),
        "the max started at 0, so an all-negative bin gave 0: start from the first value (or -inf)":
            dict(start_max=0.0),
        "bins not clipped to the map: a negative start wraps around in numpy slicing; clip rows to [0, H] "
        "and columns to [0, W] first": dict(clip=False),
        **_BOTH}),
}


def _known_mistakes(func):
    variant, mistakes = MISTAKES[func]

    def known(*args, **kwargs):
        # Two mistakes can give the same values on a case (on a constant map, clamping the samples outside
        # the band and leaving them out of the mean both give the map's value): diagnosing names both.
        for sentence, switches in mistakes.items():
            yield variant(*args, **kwargs, **switches), sentence

    return known


# --- the cases -------------------------------------------------------------------------------------

def _random_rois(rng, n, batch, height, width, scale, spill=2.0):
    """Rois in image coordinates whose scaled corners reach a little past the map, sides 0.2 and up."""
    xy = rng.uniform(-spill, [width - 1, height - 1], size=(n, 2))
    wh = rng.uniform(0.2, [min(width, 9) + spill - 1, min(height, 9) + spill - 1], size=(n, 2))
    return np.hstack([rng.integers(0, batch, size=(n, 1)), xy / scale, (xy + wh) / scale])


def _random_case(rng, func, i):
    n, c = int(rng.integers(1, 3)), int(rng.integers(1, 4))
    h, w = (int(v) for v in rng.integers(3, 13, size=2))
    scale = float(rng.choice([1.0, 0.5, 0.25]))
    features = rng.normal(size=(n, c, h, w))
    rois = _random_rois(rng, int(rng.integers(1, 6)), n, h, w, scale)
    size = int_or_pair(rng, 1, 4)
    if func == "roi_pool":
        return hidden(f"random_pool_{i}", "random features, rois, output size and spatial_scale", func,
                      features, rois, size, spatial_scale=scale)
    return hidden(f"random_align_{i}", "random features, rois, output size, spatial_scale, sampling_ratio and "
                  "aligned", func, features, rois, size, spatial_scale=scale,
                  sampling_ratio=int(rng.choice([-1, 0, 1, 2, 3])), aligned=bool(rng.random() < 0.5))


def cases(rng):
    fixed = named_rng()  # the named cases' data is the same at every seed; the random ones use `rng`

    def normal(*shape):
        return fixed.normal(size=shape)

    ramp = np.arange(25.0).reshape(1, 1, 5, 5)
    A, P = "roi_align", "roi_pool"
    out = [
        public("docstring_align", "the first roi_align example: bins of one sample each", A, ramp, [[0, 1, 1, 3, 3]], 2),
        public("docstring_align_aligned", "the second roi_align example: aligned=True", A, ramp, [[0, 1, 1, 3, 3]], 2,
               aligned=True),
        public("docstring_align_outside", "the third roi_align example: samples left of x = -1 count as 0", A,
               np.ones((1, 1, 3, 3)), [[0, -4, 0, 2, 2]], 1),
        public("docstring_pool", "the first roi_pool example: rounding, +1 and overlapping bins", P,
               np.arange(16.0).reshape(1, 1, 4, 4), [[0, 0, 0, 2.4, 2.5]], 2),
        public("docstring_pool_empty_bin", "the second roi_pool example: an empty bin is 0", P,
               -np.ones((1, 1, 4, 4)), [[0, 3, 3, 7, 7]], 2),

        # roi_align: the shift and the roi size.
        hidden("align_interior", "a roi inside the map, default arguments (no shift, adaptive grid)", A,
               normal(1, 2, 8, 8), [[0, 1.3, 2.1, 6.2, 5.7]], 2),
        hidden("align_aligned", "aligned=True: every scaled corner moves by -0.5", A,
               normal(1, 2, 8, 8), [[0, 1.3, 2.1, 6.2, 5.7], [0, 0.0, 0.0, 4.0, 4.0]], 3, aligned=True),
        hidden("align_tiny_roi_clamped", "aligned=False: a roi smaller than a pixel is grown to 1 x 1", A,
               normal(1, 2, 6, 6), [[0, 2.2, 1.1, 2.5, 1.3]], 2),
        hidden("align_point_roi", "aligned=False: x1 = x2 and y1 = y2 give a 1 x 1 roi, not an empty one", A,
               normal(1, 1, 6, 6), [[0, 3, 2, 3, 2]], 2),
        hidden("align_tiny_roi_aligned", "aligned=True: a roi smaller than a pixel keeps its size", A,
               normal(1, 2, 6, 6), [[0, 2.2, 1.1, 2.7, 1.6], [0, 3, 3, 3.25, 3.75]], 2, aligned=True),
        hidden("align_empty_roi_aligned", "aligned=True, a roi of zero height, adaptive grid: every bin is 0", A,
               normal(1, 1, 5, 5), [[0, 3, 4, 5, 4]], 3, aligned=True),
        hidden("align_reversed_roi_aligned", "aligned=True, x2 < x1 and y2 < y1, sampling_ratio=2: the bins run "
               "backwards", A, normal(1, 1, 6, 6), [[0, 4, 4, 1, 2]], 2, sampling_ratio=2, aligned=True),

        # roi_align: the sampling grid.
        hidden("align_ratio_2", "sampling_ratio=2: a 2 x 2 grid, samples at the centres of its cells", A,
               normal(1, 2, 8, 8), [[0, 0.5, 1.0, 7.0, 6.5]], 2, sampling_ratio=2),
        hidden("align_ratio_1", "sampling_ratio=1: one sample per bin, at its centre", A,
               normal(1, 1, 8, 8), [[0, 0.5, 1.0, 7.0, 6.5]], 3, sampling_ratio=1),
        hidden("align_ratio_3_aligned", "sampling_ratio=3 with aligned=True", A,
               normal(1, 1, 7, 7), [[0, 1.0, 0.5, 6.5, 5.0]], 2, sampling_ratio=3, aligned=True),
        hidden("align_adaptive_grid", "adaptive grid: a 7 x 5 roi in 2 x 2 bins takes ceil(3.5) x ceil(2.5) samples",
               A, normal(1, 2, 9, 9), [[0, 1, 2, 6, 9]], 2),
        hidden("align_adaptive_large", "adaptive grid: a 12 x 12 roi in 2 x 2 bins takes 6 x 6 samples per bin", A,
               normal(1, 1, 14, 14), [[0, 0.7, 1.1, 12.7, 13.1]], 2),
        hidden("align_ratio_0", "sampling_ratio=0 is adaptive too (any value <= 0)", A,
               normal(1, 1, 9, 9), [[0, 1, 2, 6, 9]], 2, sampling_ratio=0),

        # roi_align: the border band.
        hidden("align_outside_left_top", "a roi over the left and top edges: samples beyond -1 are 0 and counted",
               A, normal(1, 2, 6, 6), [[0, -4, -3.5, 2, 2]], 3),
        hidden("align_outside_right_bottom", "a roi over the right and bottom edges: samples beyond W or H are 0 "
               "and counted", A, normal(1, 2, 5, 6), [[0, 3, 2, 9, 8]], (3, 2)),
        hidden("align_off_the_map", "a roi entirely beyond the band: every bin is 0", A,
               normal(1, 1, 5, 5), [[0, -6, -6, -2, -2], [0, 7, 1, 9, 3]], 2),
        hidden("align_band_clamps", "samples between -1 and 0, or between H - 1 and H, read the edge row or column",
               A, normal(1, 2, 6, 7), [[0, -0.9, -0.8, 7.8, 6.9]], 3, sampling_ratio=2),
        hidden("align_band_minus_one", "a sample exactly at y = -1 and x = -1 is in the band: it reads pixel (0, 0)",
               A, normal(1, 1, 4, 4), [[0, -1.5, -1.5, 0.5, 0.5]], 1, sampling_ratio=2),
        hidden("align_band_at_size", "a sample exactly at y = H and x = W is in the band; one past it is 0", A,
               normal(1, 1, 4, 4), [[0, 3.5, 3.5, 5.5, 5.5]], 1, sampling_ratio=2),
        hidden("align_single_pixel_map", "a 1 x 1 map: every sample in the band reads its one pixel", A,
               normal(1, 2, 1, 1), [[0, -1.5, -0.5, 1.5, 1.0]], 2),

        # roi_align: scale, axes, batch.
        hidden("align_spatial_scale", "spatial_scale = 0.25: the rois are in image coordinates", A,
               normal(1, 2, 6, 8), [[0, 3, 5, 21, 17]], (3, 4), spatial_scale=0.25),
        hidden("align_scale_then_shift", "aligned=True with spatial_scale = 0.5: scale first, then subtract 0.5", A,
               normal(1, 1, 7, 7), [[0, 2, 3, 11, 9]], 2, spatial_scale=0.5, aligned=True),
        hidden("align_non_square", "a wide roi on an H != W map: x is the column, y the row", A,
               normal(1, 2, 5, 9), [[0, 0.5, 1.0, 8.0, 3.5]], 2),
        hidden("align_output_pair", "output_size (2, 3): 2 rows of bins, 3 columns", A,
               normal(1, 1, 8, 8), [[0, 1.5, 0.5, 7.0, 6.0]], (2, 3)),
        hidden("align_batch_index", "rois on images 2, 0 and 1 of a batch of 3", A,
               normal(3, 2, 6, 6), [[2, 1, 1, 5, 4], [0, 0.5, 2, 3, 5.5], [1, 1, 1, 5, 4]], 2),
        hidden("align_channels", "C = 4 channels, each pooled at the same samples", A,
               normal(1, 4, 6, 6), [[0, 0.5, 0.5, 4.5, 5.0]], 2, sampling_ratio=2),
        hidden("align_lists", "nested lists of ints for features and rois", A,
               np.arange(30).reshape(1, 1, 5, 6).tolist(), [[0, 1, 0, 4, 3]], 2),
        hidden("align_no_rois", "K = 0 (rois of shape (0, 5)): an empty result", A,
               normal(1, 2, 4, 4), np.zeros((0, 5)), 2),
        hidden("align_no_rois_list", "K = 0 given as an empty list", A, normal(2, 1, 4, 4), [], (2, 3)),
        hidden("align_many_rois", "seven rois of all sizes (one of zero width) on a batch of 2, aligned=True", A,
               normal(2, 3, 10, 10), [[0, 0, 0, 9, 9], [0, 0, 5, 4, 9], [0, 5, 5, 9, 9], [1, 0, 0, 9, 9],
                                      [1, 2.5, 3.5, 3.0, 4.0], [0, -2, 7, 3, 12], [0, 4, 1, 4, 6]], 3, aligned=True),

        # roi_pool.
        hidden("pool_interior", "a roi inside the map at whole-pixel corners", P,
               normal(1, 2, 8, 8), [[0, 1, 2, 6, 5]], 2),
        hidden("pool_round_half_away", "corners at halves round away from zero: 0.5 -> 1, 2.5 -> 3, 4.5 -> 5", P,
               normal(1, 2, 8, 8), [[0, 0.5, 2.5, 4.5, 6.5]], 2),
        hidden("pool_round_negative_half", "negative halves round away from zero: -0.5 -> -1, -2.5 -> -3", P,
               normal(1, 1, 6, 6), [[0, -0.5, -2.5, 3.5, 2.5]], (3, 2)),
        hidden("pool_round_nearest", "corners at 1.7 and 5.6 round to the nearest pixel, 2 and 6", P,
               normal(1, 2, 8, 8), [[0, 1.7, 1.6, 5.6, 5.7]], 2),
        hidden("pool_round_negative_nearest", "a corner at -1.7 rounds to -2, not toward zero", P,
               normal(1, 1, 6, 6), [[0, -1.7, -1.6, 2.2, 3.2]], 3),
        hidden("pool_scale_then_round", "spatial_scale = 0.5: scale, then round (5 * 0.5 = 2.5 -> 3)", P,
               normal(1, 2, 8, 8), [[0, 5, 3, 13, 11]], 2, spatial_scale=0.5),
        hidden("pool_uneven_bins", "5 rows and 7 columns in 2 x 3 bins: bins start at floor and end at ceil", P,
               normal(1, 2, 9, 9), [[0, 1, 2, 7, 6]], (2, 3)),
        hidden("pool_more_bins_than_pixels", "a 2 x 2 roi in 3 x 3 bins: bins repeat pixels, none is empty", P,
               normal(1, 1, 5, 5), [[0, 1, 2, 2, 3]], 3),
        hidden("pool_over_top_left", "a roi over the top-left edge: its bins are clipped to the map", P,
               normal(1, 2, 6, 6), [[0, -3, -2, 3, 2]], 3),
        hidden("pool_over_bottom_right", "a roi over the bottom-right edge: its bins are clipped to the map", P,
               normal(1, 2, 6, 7), [[0, 3, 2, 9, 9]], 3),
        hidden("pool_empty_bins", "bins entirely off the map are 0", P, normal(1, 2, 5, 5), [[0, 3, 3, 9, 9]], 3),
        hidden("pool_negative_values", "all-negative features: each bin's max is negative, never 0", P,
               -1.0 - np.abs(normal(1, 2, 6, 6)), [[0, 0, 1, 5, 4], [0, 2, 2, 3, 3]], 2),
        hidden("pool_malformed_roi", "x2 < x1 and y2 < y1: the roi is one pixel", P,
               normal(1, 2, 6, 6), [[0, 4, 3, 1, 1]], 2),
        hidden("pool_spatial_scale", "spatial_scale = 0.25: the rois are in image coordinates", P,
               normal(1, 2, 6, 8), [[0, 3, 5, 21, 17]], (3, 4), spatial_scale=0.25),
        hidden("pool_non_square", "a wide roi on an H != W map: x is the column, y the row", P,
               normal(1, 2, 5, 9), [[0, 1, 1, 8, 3]], 2),
        hidden("pool_output_pair", "output_size (3, 2): 3 rows of bins, 2 columns", P,
               normal(1, 1, 8, 8), [[0, 1, 0, 6, 7]], (3, 2)),
        hidden("pool_batch_index", "rois on images 1, 2 and 0 of a batch of 3", P,
               normal(3, 2, 6, 6), [[1, 0, 1, 5, 4], [2, 1, 0, 4, 5], [0, 1, 1, 4, 4]], 2),
        hidden("pool_lists", "nested lists of ints for features and rois", P,
               np.arange(30).reshape(1, 1, 5, 6).tolist(), [[0, 1, 0, 4, 3]], 2),
        hidden("pool_no_rois", "K = 0: an empty result", P, normal(1, 2, 4, 4), np.zeros((0, 5)), 2),

        # Errors.
        hidden("align_rois_4_columns", "rois of 4 columns (no batch index) raise ValueError", A,
               np.ones((1, 1, 4, 4)), [[0, 0, 2, 2]], 2),
        hidden("align_features_3d", "3-d features raise ValueError", A, np.ones((1, 4, 4)), [[0, 0, 0, 2, 2]], 2),
        hidden("align_output_size_0", "output_size 0 raises ValueError", A, np.ones((1, 1, 4, 4)),
               [[0, 0, 0, 2, 2]], 0),
        hidden("align_output_size_fraction", "output_size (2, 2.5) raises ValueError", A, np.ones((1, 1, 4, 4)),
               [[0, 0, 0, 2, 2]], (2, 2.5)),
        hidden("align_empty_map_width", "features with W = 0 raise ValueError", A, np.ones((1, 1, 4, 0)),
               [[0, 0, 0, 2, 2]], 2),
        hidden("align_batch_out_of_range", "a batch index equal to N raises ValueError", A,
               np.ones((2, 1, 4, 4)), [[0, 0, 0, 2, 2], [2, 0, 0, 2, 2]], 2),
        hidden("align_batch_fractional", "a batch index of 0.5 raises ValueError", A,
               np.ones((2, 1, 4, 4)), [[0.5, 0, 0, 2, 2]], 2),
        hidden("pool_rois_4_columns", "rois of 4 columns (no batch index) raise ValueError", P,
               np.ones((1, 1, 4, 4)), [[0, 0, 2, 2]], 2),
        hidden("pool_output_pair_0", "output_size (2, 0) raises ValueError", P, np.ones((1, 1, 4, 4)),
               [[0, 0, 0, 2, 2]], (2, 0)),
        hidden("pool_output_size_triple", "output_size (2, 2, 2) raises ValueError", P, np.ones((1, 1, 4, 4)),
               [[0, 0, 0, 2, 2]], (2, 2, 2)),
        hidden("pool_rois_flat", "one roi as a flat list of 5 numbers (not 2-d) raises ValueError", P,
               np.ones((1, 1, 4, 4)), [0, 0, 0, 2, 2], 2),
        hidden("pool_batch_negative", "a batch index of -1 raises ValueError", P, np.ones((1, 1, 4, 4)),
               [[-1, 0, 0, 2, 2]], 2),
        hidden("pool_empty_map", "features with H = 0 raise ValueError", P, np.ones((1, 1, 0, 4)),
               [[0, 0, 0, 2, 2]], 2),
    ]
    for func in (A, P):
        out += [_random_case(rng, func, i) for i in range(3)]
    return [diagnosing(case, CHECKS[case.func], _known_mistakes(case.func)) for case in out]
