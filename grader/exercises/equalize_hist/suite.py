"""Hidden suite for equalize_hist and clahe: each named case aims at one mistake people make equalising a
histogram by hand: cdf_min (the lowest level present, not cdf[0]), N - cdf_min in the denominator, 255
and not 256, rounding (half to even, and the float32 arithmetic OpenCV uses, which decides some .5
boundaries), a constant image, the dtype; for CLAHE: the clip limit (scaled to the tile's area, at least
1, off when <= 0), the redistribution and its residual, the reflect-101 padding of both sides, the
(tiles_x, tiles_y) order, and the bilinear blend with OpenCV's tile centres.

A wrong value is checked against those mistakes recomputed on the case's own image, and the one it
matches is named without quoting data.
"""

from dataclasses import replace

import numpy as np

from grader.grading import compare
from grader.grading.suite import hidden, public
from grader.grading.generators import named_rng
from grader.grading.suite import diagnosing
def check_image(expected, actual):
    """Exact equality; uint8 demanded; a wrong shape said without data."""
    if isinstance(actual, np.ndarray) and actual.dtype.kind in "biuf" and actual.dtype != np.uint8:
        return compare.safe(f"returned an array of dtype {actual.dtype}: return uint8, the image's dtype "
                            "(look the pixels up in a uint8 table)", compare.DTYPE)
    problem = compare.float_array(expected, actual, rtol=0.0, atol=0.0)
    if problem is not None and problem.kind == compare.SHAPE:
        return compare.safe("the result must have the image's shape (H, W)", compare.SHAPE)
    return problem


def check_clahe(expected, actual):
    if isinstance(actual, np.ndarray) and actual.dtype.kind in "biuf" and actual.dtype != np.uint8:
        return compare.safe(f"returned an array of dtype {actual.dtype}: return uint8, rounding the blended "
                            "float32 values half to even (np.rint) first", compare.DTYPE)
    return check_image(expected, actual)


CHECKS = {"equalize_hist": check_image, "clahe": check_clahe}


# --- the classic mistakes, recomputed on a case's image ----------------------------------------------

_FLOAT32 = ("the float32 arithmetic decides this .5 boundary: compute scale = np.float32(255) / np.float32(N - "
            "cdf_min) and the product float32(cdf[v] - cdf_min) * scale in float32, as OpenCV does, then np.rint")


def _mistakes(image):
    """(what the mistake returns, the sentence naming it), for a valid uint8 image."""
    image = np.asarray(image)
    if image.dtype != np.uint8 or image.ndim != 2 or image.size == 0:
        return
    n = image.size
    hist = np.bincount(image.ravel(), minlength=256)
    cdf = np.cumsum(hist).astype(np.int64)
    lowest = int(np.flatnonzero(hist)[0])
    cdf_min = int(hist[lowest])
    if cdf_min == n:
        yield np.zeros_like(image), "a constant image comes back unchanged (OpenCV sets every pixel to its level), not 0"
        yield (np.full_like(image, 255),
               "a constant image comes back unchanged (OpenCV sets every pixel to its level), not 255")
        return
    m = n - cdf_min
    k = cdf - cdf_min

    def table(values):
        lut = np.clip(values, 0, 255).astype(np.uint8)
        return lut[image]

    with np.errstate(all="ignore"):
        # With no pixel at 0, cdf[0] is 0 and subtracting it is not subtracting at all: one sentence for both.
        unshifted = ("the lowest level present must map to 0: subtract cdf_min, the count of the lowest level present "
                     "(not cdf[0], which is 0 when no pixel is 0), and divide by N - cdf_min")
        if cdf[0] != cdf_min:  # otherwise cdf[0] is cdf_min and this is no mistake
            yield table(np.rint((cdf - cdf[0]) * 255 / (n - cdf[0]))), unshifted
        yield table(np.rint(cdf * 255 / n)), unshifted
        yield (table(np.rint(k * 255 / n)),
               "divided by N: the denominator is N - cdf_min, so the brightest level present maps to 255")
        yield (table(np.rint(k * 256 / m)), "scaled by 256: the levels run 0..255, so the scale is 255 / (N - cdf_min)")
        yield (table(np.rint((cdf - hist - cdf_min) * 255 / m)),
               "the cdf is off by one level: cdf[v] counts the pixels of level v too (hist[0] + ... + hist[v])")
        f32 = k.astype(np.float32) * (np.float32(255) / np.float32(m))
        yield (table(np.floor(f32)), "the values were truncated (floor, or astype(np.uint8)): round them, half to even "
               "(np.rint)")
        yield (table(np.floor(f32 + np.float32(0.5))),
               "rounded half up (floor(x + 0.5)): OpenCV rounds half to even (np.rint), so 2.5 -> 2 and 3.5 -> 4")
        yield table(np.rint(k * 255 / m)), _FLOAT32
        yield table(np.rint(k * (255 / m))), _FLOAT32


# --- clahe's classic mistakes: one CLAHE with switches, each switch one mistake -----------------------

def _clahe_variant(image, clip_limit, grid, *, clip=True, clip_off=True, give_back=True, residual="step",
                   scale_limit=True, limit_min=True,
                   swap_grid=False, padding="reflect", pad_both=True, blend="opencv", blend64=False, lut64=False,
                   final="rint"):
    """CLAHE as the stub states it, except where a switch says otherwise. A valid input is assumed."""
    tiles_x, tiles_y = grid[::-1] if swap_grid else grid
    h, w = image.shape
    if padding == "none":  # tiles cut from the unpadded image, the last ones smaller
        th, tw = -(-h // tiles_y), -(-w // tiles_x)
        tiles = [image[r:r + th, c:c + tw].ravel()
                 for r in range(0, th * tiles_y, th) for c in range(0, tw * tiles_x, tw)]
        areas = np.array([max(t.size, 1) for t in tiles])[:, None]
    padded = image
    if padding != "none" and (h % tiles_y or w % tiles_x):
        pad_h, pad_w = tiles_y - h % tiles_y, tiles_x - w % tiles_x
        if not pad_both:
            pad_h, pad_w = -h % tiles_y, -w % tiles_x
        if padding == "zeros":
            padded = np.pad(image, ((0, pad_h), (0, pad_w)))
        else:
            padded = np.pad(image, ((0, pad_h), (0, pad_w)), mode=padding)
    if padding != "none":
        th, tw = padded.shape[0] // tiles_y, padded.shape[1] // tiles_x
        areas = np.full((tiles_y * tiles_x, 1), th * tw)
        tiles = padded.reshape(tiles_y, th, tiles_x, tw).transpose(0, 2, 1, 3).reshape(tiles_y * tiles_x, th * tw)
    area = areas
    hist = np.stack([np.bincount(t, minlength=256) for t in tiles]).astype(np.int64)
    if clip and (clip_limit > 0 or not clip_off):
        limit = (clip_limit * area / 256).astype(np.int64) if scale_limit else np.full_like(area, int(clip_limit))
        if limit_min:
            limit = np.maximum(limit, 1)
        clipped = np.maximum(hist - limit, 0).sum(axis=1, keepdims=True)
        hist = np.minimum(hist, limit)
        if give_back:
            hist = hist + clipped // 256
            r, bins = clipped % 256, np.arange(256)[None, :]
            if residual == "step":
                step = np.maximum(256 // np.maximum(r, 1), 1)
                hist = hist + ((r > 0) & (bins % step == 0) & (bins < r * step))
            elif residual == "first":
                hist = hist + (bins < r)
    cdf = np.cumsum(hist, axis=1)
    if lut64:
        luts = np.rint(cdf * 255 / area)
    else:
        luts = np.rint(cdf.astype(np.float32) * (np.float32(255) / np.float32(area)))
    luts = np.clip(luts, 0, 255).astype(np.float32).reshape(tiles_y, tiles_x, 256)
    if blend == "none":
        ys, xs = np.arange(h) // th, np.arange(w) // tw
        res = luts[ys[:, None], xs[None, :], image]
    else:
        real = np.float64 if blend64 else np.float32

        def axis(n, size, count):
            pos = np.arange(n).astype(real)
            if blend == "pixel_centres":
                pos = pos + real(0.5)
            f = pos / real(size) if blend64 else pos * (real(1) / real(size))
            if blend != "no_half":
                f = f - real(0.5)
            first = np.floor(f)
            a = (f - first).astype(real)
            first = first.astype(np.int64)
            return (np.clip(first, 0, count - 1)[:, None], np.minimum(first + 1, count - 1)[:, None],
                    (real(1) - a)[:, None], a[:, None])
        r1, r2, wr1, wr2 = axis(h, th, tiles_y)
        c1, c2, wc1, wc2 = (v.T for v in axis(w, tw, tiles_x))
        res = ((luts[r1, c1, image] * wc1 + luts[r1, c2, image] * wc2) * wr1
               + (luts[r2, c1, image] * wc1 + luts[r2, c2, image] * wc2) * wr2)
    res = np.floor(res) if final == "floor" else np.rint(res)
    return np.clip(res, 0, 255).astype(np.uint8)


_CLAHE_MISTAKES = [
    ({"clip": False}, "the histogram was not clipped: cut every bin above the limit down to it, then give the "
                      "cut pixels back (clip_limit <= 0 alone turns the clipping off)"),
    ({"give_back": False}, "the clipped pixels were thrown away: give them back, clipped // 256 to every bin and the "
                           "residual one each to bins 0, s, 2s, ..."),
    ({"residual": None}, "the residual was dropped: after clipped // 256 to every bin, the remaining clipped % 256 "
                          "pixels go one each to bins 0, s, 2s, ... with s = max(256 // r, 1)"),
    ({"residual": "first"}, "the residual went to the first r bins: it goes one each to bins 0, s, 2s, ... (r of them) "
                            "with s = max(256 // r, 1)"),
    ({"clip_off": False}, "clip_limit <= 0 turns the clipping off: this image was clipped at limit 1"),
    ({"limit_min": False}, "the limit must be at least 1: limit = max(int(clip_limit * th * tw / 256), 1), else a "
                           "small "
                           "clip limit clips every bin to 0"),
    ({"padding": "none"}, "the tiles were cut from the unpadded image: when a side does not divide, pad the image "
                          "(reflect-101, right and bottom) and cut equal tiles from it"),
    ({"scale_limit": False}, "the clip limit was used as a count: it is scaled to the tile, limit = max(int(clip_limit "
                             "* th * tw / 256), 1)"),
    ({"swap_grid": True}, "the grid was read as (rows, columns): tile_grid_size is (tiles_x, tiles_y), OpenCV's "
                          "(width, height) order"),
    ({"padding": "constant"}, "the padding is wrong: mirror without repeating the edge pixel (reflect-101, np.pad "
                              "mode='reflect'), not zeros"),
    ({"padding": "symmetric"}, "the padding is wrong: mirror without repeating the edge pixel (reflect-101, np.pad "
                               "mode='reflect'), not with it (mode='symmetric')"),
    ({"padding": "edge"}, "the padding is wrong: mirror without repeating the edge pixel (reflect-101, np.pad "
                          "mode='reflect'), not by repeating the edge"),
    ({"pad_both": False}, "when one side does not divide, OpenCV pads both: tiles_x - W % tiles_x columns and "
                          "tiles_y - H % tiles_y rows, a whole extra tile's worth on a side that divided"),
    ({"blend": "none"}, "the tiles were not blended: each pixel mixes the tables of the four tiles around it "
                        "(bilinear in fx = x / tw - 0.5), or the result is blocky"),
    ({"blend": "no_half"}, "the blend is shifted by half a tile: the tile centres are at fx = x / tw - 0.5, "
                           "not x / tw"),
    ({"blend": "pixel_centres"}, "the blend uses fx = (x + 0.5) / tw - 0.5: OpenCV's is fx = x / tw - 0.5, "
                                 "with pixel x at x"),
    ({"blend64": True}, "the float32 arithmetic decides some .5 boundaries of the blend: compute fx = np.float32(x) "
                        "* (np.float32(1) / np.float32(tw)) - np.float32(0.5), the weights and the blend in float32"),
    ({"lut64": True}, "the float32 arithmetic decides this .5 boundary: each table entry is np.rint(np.float32(cdf) "
                      "* (np.float32(255) / np.float32(th * tw))), in float32"),
    ({"final": "floor"}, "the blended values were truncated (astype(np.uint8) or floor): round them half to even "
                         "(np.rint)"),
]


def _clahe_mistakes(image, clip_limit=40.0, tile_grid_size=(8, 8)):
    image = np.asarray(image)
    if (image.dtype != np.uint8 or image.ndim != 2 or image.size == 0 or not np.isfinite(clip_limit)
            or len(tile_grid_size) != 2 or min(tile_grid_size) < 1):
        return
    for switches, sentence in _CLAHE_MISTAKES:
        yield _clahe_variant(image, clip_limit, tuple(tile_grid_size), **switches), sentence


# --- the cases --------------------------------------------------------------------------------------

def _image(levels_and_counts, rng, shape):
    """An image of the given shape holding each level the given number of times, shuffled."""
    pixels = np.concatenate([np.full(count, level) for level, count in levels_and_counts])
    assert pixels.size == shape[0] * shape[1]
    return rng.permutation(pixels).reshape(shape).astype(np.uint8)


def _random_case(rng, i):
    h, w = (int(v) for v in rng.integers(1, 48, 2))
    kind = i % 4
    if kind == 0:
        image = rng.integers(0, 256, (h, w))
    elif kind == 1:  # a sparse histogram: a handful of levels
        image = rng.choice(rng.integers(0, 256, int(rng.integers(2, 7))), (h, w))
    elif kind == 2:  # a narrow, bright band
        low = int(rng.integers(0, 200))
        image = rng.integers(low, low + int(rng.integers(2, 56)), (h, w))
    else:  # low contrast, roughly normal
        image = np.clip(np.round(rng.normal(128, rng.uniform(2, 40), (h, w))), 0, 255)
    return hidden(f"random_{i}", "a random image: uniform, sparse, a narrow band or low contrast", "equalize_hist",
                  image.astype(np.uint8))


def cases(seeded):
    rng = named_rng()  # the named cases' data is the same at every seed; random cases use `seeded`
    out = [
        public("docstring_example", "the first example in the docstring: cdf_min, and rounding half to even",
               "equalize_hist", np.array([[10, 10, 20, 30], [30, 40, 40, 40]], dtype=np.uint8)),
        public("docstring_float32", "the second example: float32 arithmetic rounds 7 * 255 / 14 down",
               "equalize_hist", np.array([[0, 100, 100, 100, 100], [100, 100, 100, 200, 200],
                                          [200, 200, 200, 200, 200]], dtype=np.uint8)),
        public("docstring_constant", "the third example: a constant image comes back unchanged", "equalize_hist",
               np.full((2, 3), 77, dtype=np.uint8)),

        hidden("no_zero_level", "no pixel is 0: cdf_min is the count of the lowest level present, not cdf[0]",
               "equalize_hist", rng.integers(50, 200, (9, 11)).astype(np.uint8)),
        hidden("lowest_level_heavy", "half the pixels at the lowest level: N - cdf_min in the denominator",
               "equalize_hist", _image([(30, 40), (31, 10), (90, 15), (200, 15)], rng, (8, 10))),
        hidden("zero_level_heavy", "many pixels at 0", "equalize_hist",
               _image([(0, 30), (1, 5), (128, 20), (254, 9)], rng, (8, 8))),
        hidden("two_levels", "two levels: the lower maps to 0, the upper to 255", "equalize_hist",
               _image([(100, 13), (101, 7)], rng, (4, 5))),
        hidden("two_levels_extremes", "levels 0 and 255 only", "equalize_hist", _image([(0, 3), (255, 9)], rng, (3, 4))),
        hidden("full_range_once", "all 256 levels once each: every level maps to itself", "equalize_hist",
               rng.permutation(256).reshape(16, 16).astype(np.uint8)),
        hidden("full_range_random", "a uniformly random image over 0..255", "equalize_hist",
               rng.integers(0, 256, (20, 30)).astype(np.uint8)),
        hidden("sparse_levels", "five scattered levels with uneven counts", "equalize_hist",
               _image([(3, 4), (77, 17), (78, 1), (160, 9), (251, 5)], rng, (6, 6))),
        hidden("low_contrast", "a narrow band of levels stretched over 0..255", "equalize_hist",
               np.clip(np.round(rng.normal(120, 3, (12, 12))), 0, 255).astype(np.uint8)),
        # The counts below set N - cdf_min and the cdf steps k = cdf[v] - cdf_min, so that k * 255 / (N - cdf_min)
        # lands on chosen .5 boundaries; one more level with a plain fraction tells the other mistakes apart.
        hidden("half_to_even", "N - cdf_min = 6: 42.5, 127.5 and 212.5 round half to even (42, 128, 212)",
               "equalize_hist", _image([(5, 1), (60, 1), (61, 2), (62, 1), (90, 1), (250, 1)], rng, (1, 7))),
        hidden("half_to_even_small", "N - cdf_min = 102: 2.5 -> 2, 7.5 -> 8, 12.5 -> 12", "equalize_hist",
               _image([(9, 2), (10, 1), (11, 2), (12, 2), (13, 55), (14, 42)], rng, (8, 13))),
        hidden("float32_rounding_28", "N - cdf_min = 28: in float32 the .5 boundary rounds down",
               "equalize_hist", _image([(40, 4), (41, 14), (42, 6), (43, 8)], rng, (4, 8))),
        hidden("float32_rounding_238", "N - cdf_min = 238: in float32 the .5 boundary rounds down",
               "equalize_hist", _image([(20, 2), (21, 200), (22, 31), (23, 7)], rng, (12, 20))),
        hidden("float32_scale_50", "N - cdf_min = 50: the float32 product lands on the .5 exactly", "equalize_hist",
               _image([(7, 5), (8, 7), (9, 18), (10, 20), (11, 5)], rng, (5, 11))),
        hidden("float32_scale_210", "N - cdf_min = 210: the float32 product lands on .5 six times", "equalize_hist",
               _image([(0, 30), (5, 3), (10, 18), (20, 28), (30, 28), (40, 28), (50, 56), (60, 28), (70, 21)], rng,
                      (15, 16))),
        hidden("constant_zero", "a constant image of 0s", "equalize_hist", np.zeros((3, 4), np.uint8)),
        hidden("constant_255", "a constant image of 255s", "equalize_hist", np.full((4, 2), 255, np.uint8)),
        hidden("constant_mid", "a constant image of a middle level", "equalize_hist", np.full((5, 5), 128, np.uint8)),
        hidden("single_pixel", "a 1 x 1 image is constant", "equalize_hist", np.array([[200]], np.uint8)),
        hidden("single_row", "a 1 x 9 image", "equalize_hist", rng.integers(0, 256, (1, 9)).astype(np.uint8)),
        hidden("single_column", "a 9 x 1 image", "equalize_hist", rng.integers(0, 256, (9, 1)).astype(np.uint8)),
        hidden("brightest_is_255", "levels up to 255 with 255 frequent", "equalize_hist",
               _image([(200, 3), (230, 8), (255, 13)], rng, (4, 6))),
        hidden("float_image", "a float64 image raises ValueError", "equalize_hist", rng.uniform(0, 255, (4, 4))),
        hidden("int_list", "a nested list of ints (int64) raises ValueError", "equalize_hist", [[0, 10], [20, 30]]),
        hidden("colour_image", "an (H, W, 3) image raises ValueError", "equalize_hist",
               rng.integers(0, 256, (4, 4, 3)).astype(np.uint8)),
        hidden("one_d", "a 1-d array raises ValueError", "equalize_hist", np.arange(10, dtype=np.uint8)),
        hidden("empty", "an empty image raises ValueError", "equalize_hist", np.zeros((0, 4), np.uint8)),
        replace(hidden("keeps_input", "the caller's image is left as it was", "equalize_hist",
                       rng.integers(0, 256, (6, 7)).astype(np.uint8)), keeps_inputs=True),
    ]
    out += [_random_case(seeded, i) for i in range(8)]
    out.append(hidden("largest", "a 256 x 256 image", "equalize_hist",
                      np.clip(np.round(seeded.normal(100, 30, (256, 256))), 0, 255).astype(np.uint8)))
    out = [diagnosing(case, check_image, _mistakes) for case in out]
    return out + [diagnosing(case, check_clahe, _clahe_mistakes) for case in _clahe_cases(seeded)]


def _low_contrast(rng, shape, centre=110, spread=12):
    """A low-contrast image: tall histogram peaks, so the clipping matters."""
    return np.clip(np.round(rng.normal(centre, spread, shape)), 0, 255).astype(np.uint8)


def _clahe_random_case(rng, i):
    h, w = (int(v) for v in rng.integers(1, 49, 2))
    grid = (int(rng.integers(1, 9)), int(rng.integers(1, 9)))
    clip = float([rng.uniform(0.5, 4), rng.uniform(4, 60), 0.0, rng.uniform(0.01, 1)][i % 4])
    if i % 2:
        image = _low_contrast(rng, (h, w), rng.uniform(30, 220), rng.uniform(2, 30))
    else:
        image = rng.integers(0, 256, (h, w)).astype(np.uint8)
    return hidden(f"clahe_random_{i}", "a random image, grid and clip limit", "clahe", image, clip, grid)


def _clahe_cases(seeded):
    rng = np.random.default_rng(20240611)  # named cases: the same at every seed (not shared with equalize_hist's)
    example = np.array([[10, 10, 30, 40], [10, 20, 30, 30]], dtype=np.uint8)
    # The bright right and bottom edges make every padding rule give different tiles.
    edged = _low_contrast(rng, (13, 14), 90, 6)
    edged[:, -1] = 240
    edged[-1, :] = 20
    # Tiles of 2 x 7 = 14 pixels and no clipping: 7 * 255 / 14 = 127.5 where float32 gives 127.49999.
    float32_tile = np.repeat(np.repeat(np.array([[10, 50], [200, 90]], np.uint8), 2, axis=0), 7, axis=1)
    float32_tile[0::2, :7] = 5
    return [
        public("clahe_docstring_example", "the first clahe example: clip, redistribute, blend", "clahe",
               example, 40.0, (2, 1)),
        public("clahe_docstring_no_clip", "the second clahe example: clip_limit 0 turns the clipping off", "clahe",
               example.copy(), 0.0, (2, 1)),
        public("clahe_docstring_padding", "the third clahe example: a 2 x 3 image padded to 3 x 4", "clahe",
               np.array([[0, 50, 100], [150, 200, 250]], dtype=np.uint8), 40.0, (2, 1)),

        hidden("clahe_defaults", "the default clip limit and 8 x 8 grid on a 64 x 64 image", "clahe",
               _low_contrast(rng, (64, 64))),
        hidden("clahe_low_clip", "a low clip limit on tall peaks: clipping and redistribution decide it", "clahe",
               _low_contrast(rng, (32, 32), 60, 4), 2.0, (4, 4)),
        hidden("clahe_residual", "the clipped pixels leave a residual spread with a step", "clahe",
               _low_contrast(rng, (24, 24), 150, 8), 3.0, (2, 2)),
        hidden("clahe_many_clipped", "more than 256 pixels clipped per tile: clipped // 256 goes to every bin", "clahe",
               _low_contrast(rng, (48, 48), 128, 3), 2.0, (2, 2)),
        hidden("clahe_limit_exact", "clip_limit * th * tw / 256 is a whole number: the limit is exactly it", "clahe",
               _low_contrast(rng, (32, 32), 80, 3), 3.0, (2, 2)),
        hidden("clahe_clipped_multiple", "a constant image clipped by a multiple of 256 pixels: no residual", "clahe",
               np.full((64, 64), 250, np.uint8), 64.0, (2, 2)),
        hidden("clahe_residual_large", "a residual above 128: the step is 1", "clahe",
               rng.integers(0, 6, (32, 32)).astype(np.uint8), 1.0, (2, 2)),
        hidden("clahe_dark_pixels", "large tiles with a few black pixels: some map to 0", "clahe",
               np.where(rng.random((64, 64)) < 0.002, 0, _low_contrast(rng, (64, 64), 120, 10)).astype(np.uint8),
               0.0, (2, 2)),
        hidden("clahe_limit_scaled", "the clip limit is scaled to the tile's area", "clahe",
               _low_contrast(rng, (40, 40), 100, 10), 20.0, (2, 2)),
        hidden("clahe_tiny_clip", "a clip limit so small that max(..., 1) makes the limit 1", "clahe",
               _low_contrast(rng, (16, 16), 128, 20), 0.05, (2, 2)),
        hidden("clahe_zero_clip", "clip_limit 0: no clipping", "clahe", _low_contrast(rng, (20, 20), 70, 5),
               0.0, (2, 2)),
        hidden("clahe_negative_clip", "a negative clip_limit: no clipping", "clahe",
               _low_contrast(rng, (18, 18), 200, 5), -1.0, (3, 3)),
        hidden("clahe_huge_clip", "a clip limit above every bin: nothing is clipped", "clahe",
               _low_contrast(rng, (16, 16), 40, 6), 1000.0, (2, 2)),
        hidden("clahe_grid_1x1", "a (1, 1) grid: one tile, one table", "clahe", _low_contrast(rng, (15, 17), 128, 9),
               4.0, (1, 1)),
        hidden("clahe_grid_2x3", "a (2, 3) grid: 2 tiles across, 3 down", "clahe", _low_contrast(rng, (18, 20), 90, 10),
               3.0, (2, 3)),
        hidden("clahe_grid_5x2", "a (5, 2) grid on a wide image", "clahe",
               rng.integers(0, 256, (12, 30)).astype(np.uint8),
               2.0, (5, 2)),
        hidden("clahe_not_divisible", "neither side divides: reflect-101 padding at the right and bottom", "clahe",
               edged, 2.0, (4, 3)),
        hidden("clahe_width_divides", "the width divides, the height does not: both sides are padded", "clahe",
               edged[:, :12].copy(), 2.0, (4, 4)),
        hidden("clahe_height_divides", "the height divides, the width does not: both sides are padded", "clahe",
               edged[:12, :].copy(), 2.0, (4, 4)),
        hidden("clahe_tiny_image", "a 3 x 2 image and an 8 x 8 grid: padding far beyond the image", "clahe",
               np.array([[10, 200], [90, 30], [250, 0]], dtype=np.uint8), 40.0, (8, 8)),
        hidden("clahe_single_pixel", "a 1 x 1 image", "clahe", np.array([[123]], np.uint8), 40.0, (2, 2)),
        hidden("clahe_single_row", "a 1 x 20 image", "clahe", rng.integers(0, 256, (1, 20)).astype(np.uint8),
               2.0, (4, 2)),
        hidden("clahe_constant", "a constant image", "clahe", np.full((12, 12), 77, np.uint8), 40.0, (3, 3)),
        hidden("clahe_float32_table", "tiles of 14 pixels: the float32 table decides a .5 boundary", "clahe",
               float32_tile, 0.0, (2, 2)),
        hidden("clahe_full_range", "a uniformly random image", "clahe", rng.integers(0, 256, (32, 24)).astype(np.uint8),
               4.0, (3, 4)),
        hidden("clahe_float_image", "a float64 image raises ValueError", "clahe", rng.uniform(0, 255, (8, 8)),
               40.0, (2, 2)),
        hidden("clahe_colour_image", "an (H, W, 3) image raises ValueError", "clahe",
               rng.integers(0, 256, (8, 8, 3)).astype(np.uint8), 40.0, (2, 2)),
        hidden("clahe_empty", "an empty image raises ValueError", "clahe", np.zeros((0, 4), np.uint8), 40.0, (2, 2)),
        hidden("clahe_zero_grid", "a grid with 0 tiles raises ValueError", "clahe",
               rng.integers(0, 256, (8, 8)).astype(np.uint8), 40.0, (0, 2)),
        hidden("clahe_nan_clip", "a NaN clip limit raises ValueError", "clahe",
               rng.integers(0, 256, (8, 8)).astype(np.uint8), float("nan"), (2, 2)),
        # Its own generator, so that the data above stays as it is; float64 weights move 6 pixels across a .5.
        hidden("clahe_float32_blend", "tiles of 7 x 6: the float32 blend decides some .5 boundaries", "clahe",
               np.random.default_rng(20240612).integers(0, 256, (40, 42)).astype(np.uint8), 2.0, (7, 6)),
        replace(hidden("clahe_keeps_input", "the caller's image is left as it was", "clahe",
                       _low_contrast(rng, (10, 11)), 2.0, (3, 3)), keeps_inputs=True),
    ] + [_clahe_random_case(seeded, i) for i in range(8)] + [
        hidden("clahe_largest", "a 64 x 64 image, an 8 x 8 grid", "clahe",
               _low_contrast(seeded, (64, 61), 100, 15), 2.0, (8, 8)),
    ]
