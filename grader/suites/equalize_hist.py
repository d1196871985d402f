"""Hidden suite for equalize_hist: each named case aims at one mistake people make equalising a histogram
by hand: cdf_min (the lowest level present, not cdf[0]), N - cdf_min in the denominator, 255 and not
256, rounding (half to even, and the float32 arithmetic OpenCV uses, which decides some .5 boundaries),
a constant image, the dtype.

A wrong value is checked against those mistakes recomputed on the case's own image, and the one it
matches is named without quoting data.
"""

from dataclasses import replace

import numpy as np

from grader.engine import compare
from grader.engine.suite import hidden, public
from grader.suites import diagnosing, named_rng


def check_image(expected, actual):
    """Exact equality; uint8 demanded; a wrong shape said without data."""
    if isinstance(actual, np.ndarray) and actual.dtype.kind in "biuf" and actual.dtype != np.uint8:
        return compare.safe(f"returned an array of dtype {actual.dtype}: return uint8, the image's dtype "
                            "(look the pixels up in a uint8 table)", compare.DTYPE)
    problem = compare.float_array(expected, actual, rtol=0.0, atol=0.0)
    if problem is not None and problem.kind == compare.SHAPE:
        return compare.safe("the result must have the image's shape (H, W)", compare.SHAPE)
    return problem


CHECKS = {"equalize_hist": check_image}


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
    return [diagnosing(case, check_image, _mistakes) for case in out]
