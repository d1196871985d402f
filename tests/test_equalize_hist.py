"""equalize_hist: the reference against OpenCV's cv2.equalizeHist, matched exactly on many images and on
every (N - cdf_min, cdf - cdf_min) pair up to 255; the float32 rounding the stub states, shown to be
observable on OpenCV itself; hand-derived values; the checker's diagnoses; the grading of the loop
answer and the mistake catalogue.

clahe: the reference against cv2.createCLAHE(...).apply, matched exactly on thousands of random images
(grids that divide the size and grids that do not, (1, 1) to (9, 9) grids, grids larger than the image,
clip limits from 0 and below to 1000, constant and tiny images) and on large ones; the stub's rules
(reflect-101 padding of both sides, the clip limit, float32 blending) shown on OpenCV itself; the
docstring examples derived by hand; the suite's mistake recomputations checked against the reference."""

from fractions import Fraction

import cv2
import numpy as np
import pytest

from grader import catalog
from grader.exercises.equalize_hist import suite as suite
from wrong_attempts import assert_catalogue_holds, assert_reference_and_loops_pass, graded_wrong, assert_raised_by_the_contract

ref = catalog.get("equalize_hist").reference()


def random_images(seed, count):
    rng = np.random.default_rng(seed)
    for i in range(count):
        h, w = (int(v) for v in rng.integers(1, 70, 2))
        kind = i % 6
        if kind == 0:
            image = rng.integers(0, 256, (h, w))
        elif kind == 1:  # sparse: a few levels
            image = rng.choice(rng.integers(0, 256, int(rng.integers(1, 8))), (h, w))
        elif kind == 2:  # two levels
            image = np.where(rng.random((h, w)) < rng.uniform(0.05, 0.95), *rng.integers(0, 256, 2))
        elif kind == 3:  # constant
            image = np.full((h, w), rng.integers(0, 256))
        elif kind == 4:  # a narrow band
            low = int(rng.integers(0, 250))
            image = rng.integers(low, min(256, low + int(rng.integers(1, 40))), (h, w))
        else:  # low contrast
            image = np.clip(np.round(rng.normal(rng.uniform(0, 255), rng.uniform(0.5, 50), (h, w))), 0, 255)
        yield image.astype(np.uint8)


# --- the reference against OpenCV -------------------------------------------------------------------

def test_matches_opencv_exactly_on_random_images():
    for image in random_images(0, 3000):
        out = ref.equalize_hist(image)
        assert out.dtype == np.uint8 and out.shape == image.shape
        np.testing.assert_array_equal(out, cv2.equalizeHist(image))


def test_matches_opencv_on_every_pair_up_to_255():
    """A 1 x (m + 1) image holding the levels 0..m once each has N - cdf_min = m and cdf - cdf_min = v at
    level v: every (m, k) pair with m <= 255, the .5 boundaries included."""
    for m in range(1, 256):
        image = np.arange(m + 1, dtype=np.uint8)[None, :]
        np.testing.assert_array_equal(ref.equalize_hist(image), cv2.equalizeHist(image), err_msg=str(m))


def test_matches_opencv_on_large_images():
    rng = np.random.default_rng(1)
    for shape in ((480, 640), (500, 700)):  # 640 x 480 and more: OpenCV counts the histogram in parallel
        image = np.clip(np.round(rng.normal(90, 25, shape)), 0, 255).astype(np.uint8)
        np.testing.assert_array_equal(ref.equalize_hist(image), cv2.equalizeHist(image))


def test_suite_inputs_match_opencv():
    for seed in (0, 1):
        for case in suite.cases(np.random.default_rng(seed)):
            image = case.args[0]
            try:
                out = ref.equalize_hist(image)
            except ValueError:
                continue
            np.testing.assert_array_equal(out, cv2.equalizeHist(image), err_msg=case.name)


def test_opencv_rounds_float32_products_half_to_even():
    """The rule the stub states, seen in OpenCV's output: 255 / 6 = 42.5 exactly in float32, and 42.5 ->
    42, 127.5 -> 128 (half to even); 7 * float32(255 / 14) = 127.49999 -> 127, where exact or float64
    arithmetic gives 127.5 -> 128. So the float32 arithmetic is observable, not a detail."""
    image = np.array([[10, 10, 20, 30], [30, 40, 40, 40]], np.uint8)
    assert cv2.equalizeHist(image).tolist() == [[0, 0, 42, 128], [128, 255, 255, 255]]
    image = np.array([[0] + [100] * 7 + [200] * 7], np.uint8)
    assert cv2.equalizeHist(image)[0, 1] == 127
    assert np.rint(7 * 255 / 14) == 128 and round(Fraction(7 * 255, 14)) == 128  # what float64 / exact give
    assert np.float32(7) * (np.float32(255) / np.float32(14)) < 127.5


def test_exact_rational_rule_differs_from_opencv_only_at_float32_ties():
    """Where the exact value k * 255 / m is not within float32 error of a .5, the exact rounding is
    OpenCV's; the pairs where they differ are all exact .5 ties, decided by float32 rounding."""
    for m in range(1, 256):
        image = np.arange(m + 1, dtype=np.uint8)[None, :]
        lut = cv2.equalizeHist(image)[0]
        for k in range(m + 1):
            exact = Fraction(255 * k, m)
            if lut[k] != round(exact):
                assert exact.denominator == 2, (m, k)
                assert abs(int(lut[k]) - exact) == Fraction(1, 2)


def test_docstring_examples_by_hand():
    # cdf_min = 2 (two 10s), scale = 255 / 6 = 42.5: k = 1, 3, 6 -> 42.5 -> 42, 127.5 -> 128, 255.
    out = ref.equalize_hist(np.array([[10, 10, 20, 30], [30, 40, 40, 40]], np.uint8))
    assert out.dtype == np.uint8 and out.tolist() == [[0, 0, 42, 128], [128, 255, 255, 255]]
    image = np.array([[0, 100, 100, 100, 100], [100, 100, 100, 200, 200], [200, 200, 200, 200, 200]], np.uint8)
    assert ref.equalize_hist(image).tolist() == [[0, 127, 127, 127, 127], [127, 127, 127, 255, 255], [255] * 5]
    constant = np.full((2, 3), 77, np.uint8)
    out = ref.equalize_hist(constant)
    assert out.tolist() == constant.tolist() and out is not constant


def test_hand_derived_special_images():
    # Every level once: m = 255 and scale = 1, so each level maps to itself.
    image = np.arange(256, dtype=np.uint8).reshape(16, 16)
    np.testing.assert_array_equal(ref.equalize_hist(image), image)
    # Two levels: the lower to 0, the upper to 255, whatever the counts.
    two = np.array([[100, 101, 101], [101, 101, 101]], np.uint8)
    assert ref.equalize_hist(two).tolist() == [[0, 255, 255], [255, 255, 255]]
    # A constant image is returned unchanged at every level, 0 and 255 included.
    for level in (0, 1, 128, 255):
        assert ref.equalize_hist(np.full((3, 3), level, np.uint8)).tolist() == [[level] * 3] * 3


@pytest.mark.parametrize("bad", [
    np.zeros((3, 3)),
    np.zeros((3, 3), np.float32),
    np.zeros((3, 3), np.int64),
    np.zeros((3, 3), np.uint16),
    np.zeros((3, 3), bool),
    [[0, 10], [20, 30]],
    np.zeros((3, 3, 3), np.uint8),
    np.zeros(5, np.uint8),
    np.zeros((0, 4), np.uint8),
    np.zeros((0, 0), np.uint8),
])
def test_bad_input_raises_value_error(bad):
    with pytest.raises(ValueError) as raised:
        ref.equalize_hist(bad)
    assert_raised_by_the_contract(raised)


def test_reference_leaves_the_input_alone():
    image = np.random.default_rng(2).integers(0, 256, (7, 9)).astype(np.uint8)
    before = image.copy()
    ref.equalize_hist(image)
    np.testing.assert_array_equal(image, before)


# --- the checker ------------------------------------------------------------------------------------

def test_checker_never_raises_and_says_shape_and_dtype_without_data():
    check = suite.CHECKS["equalize_hist"]
    expected = np.arange(6, dtype=np.uint8).reshape(2, 3)
    assert check(expected, expected.copy()) is None
    for value in [None, "x", 3.5, [], [[1, 2], [3]], np.zeros((3, 3), np.uint8), np.full((2, 3), np.nan)]:
        problem = check(expected, value)
        assert problem is not None and str(problem), value
    assert check(expected, expected.astype(np.float64)).safe
    assert check(expected, np.zeros((3, 2), np.uint8)).safe
    assert check(expected, expected + 1) is not None


@pytest.mark.parametrize("mistake, case, words", [
    ("subtracts_cdf0", "no_zero_level", "the lowest level present must map to 0"),
    ("no_cdf_min", "zero_level_heavy", "the lowest level present must map to 0"),
    ("divides_by_n", "lowest_level_heavy", "divided by N"),
    ("scale_256", "full_range_once", "scaled by 256"),
    ("truncates", "low_contrast", "truncated"),
    ("rounds_half_up", "half_to_even", "rounded half up"),
    ("float64_exact", "float32_rounding_28", "float32 arithmetic"),
    ("float64_scale", "float32_scale_50", "float32 arithmetic"),
    ("constant_to_zero", "constant_mid", "not 0"),
    ("constant_to_255", "constant_mid", "not 255"),
    ("exclusive_cdf", "two_levels", "the cdf is off by one level"),
    ("returns_float", "full_range_random", "return uint8"),
])
def test_hidden_cases_name_the_mistake(mistake, case, words):
    found = next(c for c in graded_wrong("equalize_hist", mistake).cases if c.name == case)
    assert found.hidden and not found.passed and words in found.message, found.message


# --- grading ----------------------------------------------------------------------------------------

def test_reference_and_loop_answer_pass_within_limits():
    assert_reference_and_loops_pass("equalize_hist", "equalize_hist_loops")


# --- clahe against OpenCV ----------------------------------------------------------------------------

def opencv_clahe(image, clip_limit=40.0, grid=(8, 8)):
    return cv2.createCLAHE(clipLimit=clip_limit, tileGridSize=grid).apply(image)


def clahe_inputs(seed, count):
    rng = np.random.default_rng(seed)
    grids = [(1, 1), (2, 3), (3, 2), (8, 8), (4, 4), (5, 7), (1, 8), (8, 1)]
    clips = [0.0, -1.0, 0.01, 0.5, 1.0, 2.0, 4.0, 40.0, 1000.0]
    for i, image in enumerate(random_images(seed, count)):
        if i % 3 == 0:
            grid = tuple(int(v) for v in rng.integers(1, 10, 2))
        else:
            grid = grids[i % len(grids)]
        clip = float(rng.uniform(0.01, 100)) if i % 10 == 9 else clips[i % len(clips)]
        if i % 4 == 1:  # a size the grid divides
            image = np.resize(image, (grid[1] * int(rng.integers(1, 9)), grid[0] * int(rng.integers(1, 9))))
        yield image, clip, grid


def test_clahe_matches_opencv_exactly_on_random_images():
    divided = padded = 0
    for image, clip, grid in clahe_inputs(3, 4000):
        out = ref.clahe(image, clip, grid)
        assert out.dtype == np.uint8 and out.shape == image.shape
        np.testing.assert_array_equal(out, opencv_clahe(image, clip, grid), err_msg=f"{image.shape} {grid} {clip}")
        if image.shape[0] % grid[1] or image.shape[1] % grid[0]:
            padded += 1
        else:
            divided += 1
    assert divided > 1000 and padded > 1000  # both paths were exercised


def test_clahe_matches_opencv_on_large_images_and_default_arguments():
    rng = np.random.default_rng(4)
    for shape in ((480, 640), (500, 701), (257, 263)):
        image = np.clip(np.round(rng.normal(90, 25, shape)), 0, 255).astype(np.uint8)
        np.testing.assert_array_equal(ref.clahe(image), cv2.createCLAHE().apply(image))
        for clip, grid in ((2.0, (8, 8)), (0.0, (16, 16)), (3.0, (3, 5)), (1.0, (64, 64))):
            np.testing.assert_array_equal(ref.clahe(image, clip, grid), opencv_clahe(image, clip, grid))


def test_clahe_suite_inputs_match_opencv():
    for seed in (0, 1):
        for case in suite.cases(np.random.default_rng(seed)):
            if case.func != "clahe":
                continue
            try:
                out = ref.clahe(*case.args)
            except ValueError:
                continue
            np.testing.assert_array_equal(out, opencv_clahe(*case.args), err_msg=case.name)


def test_clahe_docstring_examples_by_hand():
    """Derived in the stub by hand: two 2 x 2 tiles, A = 4, scale 63.75, limit max(int(40 * 4 / 256), 1) = 1;
    and with no clipping each tile's plain equalisation, blended half and half in column 2."""
    image = np.array([[10, 10, 30, 40], [10, 20, 30, 30]], np.uint8)
    assert ref.clahe(image, 40.0, (2, 1)).tolist() == [[128, 128, 160, 191], [128, 191, 160, 128]]
    # No clipping: left tile 10 -> rint(3 * 63.75) = 191, 20 -> 255; right 30 -> 191, 40 -> 255; column 2
    # blends the left table at 30 (255) and the right (191): 223.
    assert ref.clahe(image, 0.0, (2, 1)).tolist() == [[191, 191, 223, 255], [191, 255, 223, 191]]
    # A 2 x 3 image padded to 3 x 4 (the divisible height too): tiles of 6, scale 42.5; left tile levels
    # 0, 50, 150, 200 have cumulative 2, 3, 5, 6 after clipping at 1 and giving bins 0 and 128 one each.
    assert ref.clahe(np.array([[0, 50, 100], [150, 200, 250]], np.uint8), 40.0, (2, 1)).tolist() == \
        [[85, 128, 128], [212, 255, 255]]


def test_opencv_pads_both_sides_with_reflect_101():
    """The stub's padding rule, seen in OpenCV: np.pad's "reflect" is BORDER_REFLECT_101, and when only
    the height fails to divide, the width is padded by a whole tile's worth too."""
    rng = np.random.default_rng(5)
    image = rng.integers(0, 256, (4, 5)).astype(np.uint8)
    for bottom, right in ((2, 1), (7, 9), (1, 0)):
        np.testing.assert_array_equal(np.pad(image, ((0, bottom), (0, right)), mode="reflect"),
                                      cv2.copyMakeBorder(image, 0, bottom, 0, right, cv2.BORDER_REFLECT_101))

    def table(pixels):  # plain equalisation table of a tile, as the stub states it (no clipping)
        cdf = np.cumsum(np.bincount(pixels.ravel(), minlength=256))
        return np.rint(cdf.astype(np.float32) * (np.float32(255) / np.float32(pixels.size))).astype(np.uint8)

    # A 5 x 4 image and a (1, 2) grid: 5 % 2 == 1, so 1 row AND 1 - 4 % 1 = 1 column are added: tiles of
    # 3 x 5. Rows 0 and 1 (fy = y / 3 - 0.5 < 0) use the top tile's table alone, one tile across.
    image = rng.integers(0, 256, (5, 4)).astype(np.uint8)
    top = np.pad(image, ((0, 1), (0, 1)), mode="reflect")[:3]
    got = opencv_clahe(image, 0.0, (1, 2))[:2]
    np.testing.assert_array_equal(got, table(top)[image[:2]])
    assert not np.array_equal(got, table(image[:3])[image[:2]])  # padding the rows alone would differ
    np.testing.assert_array_equal(ref.clahe(image, 0.0, (1, 2))[:2], got)


def test_opencv_clip_limit_rule():
    """limit = max(int(clip_limit * A / 256), 1): on one 16 x 16 tile (A = 256) of a constant image the
    level's bin is cut to the limit (at least 1, never above the 256 pixels) and the pixels cut off are
    given back, clipped // 256 to every bin and the residual with its step; OpenCV's value at the level
    is the table entry built here bin by bin from that rule."""
    image = np.full((16, 16), 100, np.uint8)
    for clip, limit in ((0.3, 1), (1.0, 1), (5.9, 5), (40.0, 40), (300.0, 256)):
        hist = np.zeros(256, np.int64)
        hist[100] = min(256, limit)
        clipped = 256 - hist[100]
        hist += clipped // 256
        residual = clipped % 256
        if residual:
            step = max(256 // residual, 1)
            hist[0:residual * step:step] += 1
        expected = np.rint(np.float32(np.cumsum(hist)[100]) * (np.float32(255) / np.float32(256)))
        assert opencv_clahe(image, clip, (1, 1))[0, 0] == expected, clip
        assert ref.clahe(image, clip, (1, 1))[0, 0] == expected, clip
    # clip_limit <= 0 turns the clipping off: the constant level maps to 255.
    assert opencv_clahe(image, 0.0, (1, 1))[0, 0] == 255 == opencv_clahe(image, -3.0, (1, 1))[0, 0]


def test_opencv_blends_in_float32():
    """Computing the blend's coordinates and weights in float64 changes some pixels: the float32 rule the
    stub states is observable on OpenCV."""
    differ = 0
    for image, clip, grid in clahe_inputs(7, 300):
        variant = suite._clahe_variant(image, clip, grid, blend64=True)
        differ += not np.array_equal(variant, opencv_clahe(image, clip, grid))
    assert differ > 10


def test_clahe_mistake_recomputations():
    """The suite's CLAHE with every switch off is the reference; each switch changes some input."""
    inputs = list(clahe_inputs(8, 200))
    for image, clip, grid in inputs:
        np.testing.assert_array_equal(suite._clahe_variant(image, clip, grid), ref.clahe(image, clip, grid))
    cases = [c for c in suite.cases(np.random.default_rng(0)) if c.func == "clahe"]
    for switches, sentence in suite._CLAHE_MISTAKES:
        assert any(not np.array_equal(suite._clahe_variant(*(list(c.args) + [40.0, (8, 8)][len(c.args) - 1:]),
                                                           **switches), ref.clahe(*c.args))
                   for c in cases if c.hidden and "@" not in c.name and _valid(c)), sentence


def _valid(case):
    try:
        ref.clahe(*case.args)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("args", [
    (np.zeros((3, 3)),), (np.zeros((3, 3), np.uint16),), ([[0, 10], [20, 30]],), (np.zeros((3, 3, 3), np.uint8),),
    (np.zeros(5, np.uint8),), (np.zeros((0, 4), np.uint8),),
    (np.zeros((4, 4), np.uint8), float("nan")), (np.zeros((4, 4), np.uint8), float("inf")),
    (np.zeros((4, 4), np.uint8), "2"), (np.zeros((4, 4), np.uint8), 2.0, (0, 2)),
    (np.zeros((4, 4), np.uint8), 2.0, (2, -1)), (np.zeros((4, 4), np.uint8), 2.0, (2,)),
    (np.zeros((4, 4), np.uint8), 2.0, (2, 2, 2)), (np.zeros((4, 4), np.uint8), 2.0, (2.5, 2)),
    (np.zeros((4, 4), np.uint8), 2.0, 4),
])
def test_clahe_bad_input_raises_value_error(args):
    with pytest.raises(ValueError):
        ref.clahe(*args)


def test_clahe_leaves_the_input_alone():
    image = np.random.default_rng(9).integers(0, 256, (7, 9)).astype(np.uint8)
    before = image.copy()
    ref.clahe(image, 2.0, (2, 2))
    np.testing.assert_array_equal(image, before)


@pytest.mark.parametrize("mistake, case, words", [
    ("clahe_no_clipping", "clahe_low_clip", "not clipped"),
    ("clahe_no_redistribution", "clahe_many_clipped", "thrown away"),
    ("clahe_no_residual", "clahe_many_clipped", "residual was dropped"),
    ("clahe_limit_unscaled", "clahe_limit_scaled", "used as a count"),
    ("clahe_blocky", "clahe_defaults", "not blended"),
    ("clahe_centres_no_half", "clahe_defaults", "shifted by half a tile"),
    ("clahe_zero_padding", "clahe_not_divisible", "not zeros"),
    ("clahe_pads_one_side", "clahe_width_divides", "pads both"),
    ("clahe_swapped_grid", "clahe_grid_2x3", "(rows, columns)"),
    ("clahe_float64_table", "clahe_float32_table", "float32"),
    ("clahe_unpadded_tiles", "clahe_not_divisible", "unpadded image"),
    ("clahe_float64_blend", "clahe_float32_blend", "float32"),
    ("clahe_limit_no_minimum", "clahe_tiny_clip", "at least 1"),
    ("clahe_clips_at_zero_limit", "clahe_zero_clip", "turns the clipping off"),
    ("clahe_residual_first_bins", "clahe_residual", "first r bins"),
    ("clahe_truncates", "clahe_defaults", "truncated"),
])
def test_clahe_hidden_cases_name_the_mistake(mistake, case, words):
    found = next(c for c in graded_wrong("equalize_hist", mistake).cases if c.name == case)
    assert found.hidden and not found.passed and words in found.message, found.message


def test_clahe_checker_says_dtype_and_shape_without_data():
    check = suite.CHECKS["clahe"]
    expected = np.arange(6, dtype=np.uint8).reshape(2, 3)
    assert check(expected, expected.copy()) is None
    assert check(expected, expected.astype(np.float32)).safe
    assert check(expected, np.zeros((3, 2), np.uint8)).safe
    assert check(expected, expected + 1) is not None


def test_catalogue_has_the_classic_mistakes():
    assert_catalogue_holds("equalize_hist", {
        "subtracts_cdf0", "divides_by_n", "no_cdf_min", "scale_256", "truncates", "rounds_half_up",
        "float64_exact", "constant_divides_by_zero", "constant_to_zero", "exclusive_cdf", "returns_float",
        "clahe_no_clipping", "clahe_no_redistribution", "clahe_no_residual", "clahe_limit_unscaled", "clahe_blocky",
        "clahe_centres_no_half", "clahe_zero_padding", "clahe_float64_table", "clahe_float64_blend",
        "clahe_unpadded_tiles", "clahe_pads_one_side"})
