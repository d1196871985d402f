"""equalize_hist: the reference against OpenCV's cv2.equalizeHist, matched exactly on many images and on
every (N - cdf_min, cdf - cdf_min) pair up to 255; the float32 rounding the stub states, shown to be
observable on OpenCV itself; hand-derived values; the checker's diagnoses; the grading of the loop
answer and the mistake catalogue."""

from fractions import Fraction

import cv2
import numpy as np
import pytest

from grader import catalog
from grader.suites import equalize_hist as suite
from wrong_attempts import assert_catalogue_holds, assert_reference_and_loops_pass, graded_wrong

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
    with pytest.raises(ValueError):
        ref.equalize_hist(bad)


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


def test_catalogue_has_the_classic_mistakes():
    assert_catalogue_holds("equalize_hist", {
        "subtracts_cdf0", "divides_by_n", "no_cdf_min", "scale_256", "truncates", "rounds_half_up",
        "float64_exact", "constant_divides_by_zero", "constant_to_zero", "exclusive_cdf", "returns_float"})
