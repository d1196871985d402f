"""morphology: the reference against OpenCV (cv2.erode, cv2.dilate, cv2.morphologyEx) matched exactly,
dtype included, against a brute force written from the contract and against hand-derived values; the
rules the stub states checked on OpenCV itself (no flip, the anchor, the border value); the checker's
diagnoses; the grading of the loop answer and the mistake catalogue."""

import cv2
import numpy as np
import pytest

from grader import catalog
from grader.exercises.morphology import suite as suite
from wrong_attempts import assert_catalogue_holds, assert_reference_and_loops_pass, graded_wrong, assert_raised_by_the_contract

ref = catalog.get("morphology").reference()
FUNCS = ("erode", "dilate", "opening", "closing")


def cv2_op(func, image, kernel, iterations):
    k = (np.asarray(kernel) != 0).astype(np.uint8)  # OpenCV wants a CV_8U kernel
    if func == "erode":
        return cv2.erode(image, k, iterations=iterations)
    if func == "dilate":
        return cv2.dilate(image, k, iterations=iterations)
    op = cv2.MORPH_OPEN if func == "opening" else cv2.MORPH_CLOSE
    return cv2.morphologyEx(image, op, k, iterations=iterations)


def random_inputs(seed, count, max_side=20, max_kernel=9):
    rng = np.random.default_rng(seed)
    for i in range(count):
        h, w = (int(v) for v in rng.integers(1, max_side + 1, 2))
        kh, kw = (int(v) for v in rng.integers(1, max_kernel + 1, 2))  # often larger than the image
        kernel = (rng.random((kh, kw)) < rng.uniform(0.1, 1.0)).astype(np.uint8)
        if i % 5 == 0:
            kernel[:] = 1  # a full box: OpenCV takes a different path for iterations > 1
        kernel[rng.integers(kh), rng.integers(kw)] = 1
        dtype = (np.uint8, np.float32, np.float64)[i % 3]
        image = (rng.integers(0, 256, (h, w)).astype(np.uint8) if dtype == np.uint8
                 else (rng.normal(size=(h, w)) * 100).astype(dtype))  # negative floats: the border is not 0
        yield image, kernel, int(rng.integers(0, 4))


# --- the reference against OpenCV -------------------------------------------------------------------

@pytest.mark.parametrize("func", FUNCS)
def test_matches_opencv_exactly(func):
    for image, kernel, iterations in random_inputs(sum(map(ord, func)), 600):
        expected = cv2_op(func, image.copy(), kernel, iterations)
        out = getattr(ref, func)(image, kernel, iterations)
        assert out.dtype == expected.dtype and out.shape == expected.shape
        np.testing.assert_array_equal(out, expected, err_msg=f"{func} {image.shape} {kernel.tolist()} {iterations}")


@pytest.mark.parametrize("func", FUNCS)
def test_suite_inputs_match_opencv(func):
    """Every valid call of the suite, at two seeds, gives what OpenCV gives."""
    for seed in (0, 1):
        for case in suite.cases(np.random.default_rng(seed)):
            if case.func != func:
                continue
            image, kernel = np.asarray(case.args[0]), case.args[1]
            iterations = case.kwargs.get("iterations", 1)
            try:
                out = getattr(ref, func)(image, kernel, iterations)
            except ValueError:
                continue
            np.testing.assert_array_equal(out, cv2_op(func, image.copy(), kernel, iterations), err_msg=case.name)
            assert out.dtype == image.dtype


def test_opencv_does_not_flip_the_kernel_and_anchors_at_half_the_size():
    """The rule the stub states, on OpenCV itself: out[y, x] = max over the 1 entries (i, j) of
    src[y + i - kh // 2, x + j - kw // 2]. A single bright pixel at (p, q) therefore lights
    out[p - i + kh // 2, q - j + kw // 2]: the reflected kernel, which a flipped kernel would not give."""
    for kh, kw in ((3, 3), (2, 2), (4, 3), (1, 4), (5, 2)):
        rng = np.random.default_rng(kh * 10 + kw)
        kernel = (rng.random((kh, kw)) < 0.5).astype(np.uint8)
        kernel[0, 0] = 1
        kernel[-1, -1] = 0  # never symmetric
        delta = np.zeros((9, 9), np.uint8)
        delta[4, 4] = 200
        expected = np.zeros_like(delta)
        for i, j in np.argwhere(kernel):
            expected[4 - i + kh // 2, 4 - j + kw // 2] = 200
        np.testing.assert_array_equal(cv2.dilate(delta, kernel), expected)
        np.testing.assert_array_equal(ref.dilate(delta, kernel), expected)
        # Erosion reads the same pixels: a single dark pixel spreads to the same places.
        np.testing.assert_array_equal(cv2.erode(255 - delta, kernel), 255 - expected)
        np.testing.assert_array_equal(ref.erode(255 - delta, kernel), 255 - expected)


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
def test_opencv_border_is_the_dtypes_extreme_not_inf(dtype):
    """Where every 1 of the kernel falls outside the image, OpenCV returns the dtype's own extreme."""
    image = np.arange(1, 7).reshape(2, 3).astype(dtype)
    kernel = np.array([[1, 0, 0, 0, 0]], np.uint8)  # out[y, x] reads src[y, x - 2] only
    info = np.iinfo(dtype) if dtype == np.uint8 else np.finfo(dtype)
    for func, extreme in (("erode", info.max), ("dilate", info.min)):
        expected = np.array([[extreme, extreme, 1], [extreme, extreme, 4]], dtype=dtype)
        np.testing.assert_array_equal(cv2_op(func, image, kernel, 1), expected)
        out = getattr(ref, func)(image, kernel)
        np.testing.assert_array_equal(out, expected)
        assert np.isfinite(out.astype(np.float64)).all()


def test_opencv_iterations_zero_copies_and_opening_is_erosions_then_dilations():
    rng = np.random.default_rng(3)
    image = rng.integers(0, 256, (9, 10)).astype(np.uint8)
    kernel = np.array([[0, 1, 1], [1, 1, 0], [0, 1, 0]], np.uint8)
    for func in FUNCS:
        np.testing.assert_array_equal(cv2_op(func, image, kernel, 0), image)
        out = getattr(ref, func)(image, kernel, iterations=0)
        np.testing.assert_array_equal(out, image)
        assert out is not image
    for n in (1, 2, 3):
        e = image
        for _ in range(n):
            e = cv2.erode(e, kernel)
        opened = e
        for _ in range(n):
            opened = cv2.dilate(opened, kernel)
        np.testing.assert_array_equal(cv2.morphologyEx(image, cv2.MORPH_OPEN, kernel, iterations=n), opened)
        np.testing.assert_array_equal(ref.opening(image, kernel, n), opened)


def test_opencv_accepts_an_all_zero_kernel_where_the_contract_raises():
    """OpenCV does not refuse a kernel with no 1 (it returns an image shifted by the anchor, the border
    showing through): meaningless, so the contract raises ValueError instead."""
    image = np.arange(1, 26, dtype=np.uint8).reshape(5, 5)
    shifted = cv2.dilate(image, np.zeros((3, 3), np.uint8))
    assert shifted.shape == image.shape and not np.array_equal(shifted, image)
    for func in FUNCS:
        with pytest.raises(ValueError):
            getattr(ref, func)(image, np.zeros((3, 3)))


# --- the reference against a brute force and hand-derived values --------------------------------------

def brute_force(image, kernel, iterations, erode):
    """Per pixel, from the contract: the pixels under the kernel's 1 entries that lie inside the image,
    and the dtype's extreme when there are none."""
    info = np.iinfo(image.dtype) if image.dtype == np.uint8 else np.finfo(image.dtype)
    kh, kw = kernel.shape
    for _ in range(iterations):
        out = np.empty_like(image)
        for y in range(image.shape[0]):
            for x in range(image.shape[1]):
                seen = [image[y + i - kh // 2, x + j - kw // 2] for i in range(kh) for j in range(kw)
                        if kernel[i, j] and 0 <= y + i - kh // 2 < image.shape[0] and 0 <= x + j - kw // 2 < image.shape[1]]
                out[y, x] = (min(seen) if erode else max(seen)) if seen else (info.max if erode else info.min)
        image = out
    return image


def test_matches_brute_force():
    for image, kernel, iterations in random_inputs(11, 120, max_side=9, max_kernel=6):
        for func, steps in (("erode", [True]), ("dilate", [False]), ("opening", [True, False]),
                            ("closing", [False, True])):
            expected = image
            for erode in steps:
                expected = brute_force(expected, kernel, iterations, erode)
            np.testing.assert_array_equal(getattr(ref, func)(image, kernel, iterations), expected)


def test_docstring_examples_by_hand():
    seven = np.array([[7, 7, 7, 7, 7], [7, 7, 2, 7, 7], [7, 7, 7, 7, 7]], dtype=np.uint8)
    # 3 x 3: the 2 at (1, 2) reaches columns 1..3 of every row; columns 0 and 4 see only 7s (and 255).
    np.testing.assert_array_equal(ref.erode(seven, np.ones((3, 3))), [[7, 2, 2, 2, 7]] * 3)
    # 2 x 2, anchor (1, 1): out[y, x] = min over rows y-1..y, columns x-1..x, so (1..2, 2..3) see the 2.
    np.testing.assert_array_equal(ref.erode(seven, np.ones((2, 2))),
                                  [[7, 7, 7, 7, 7], [7, 7, 2, 2, 7], [7, 7, 2, 2, 7]])
    np.testing.assert_array_equal(ref.erode(seven, [[1, 1, 1]], iterations=2),
                                  [[7, 7, 7, 7, 7], [2, 2, 2, 2, 2], [7, 7, 7, 7, 7]])
    # [[1, 1, 0]]: out[x] = max(src[x - 1], src[x]); the column left of x = 0 never wins.
    np.testing.assert_array_equal(ref.dilate(np.array([[-1.0, -5.0, -3.0, -4.0]]), [[1, 1, 0]]),
                                  [[-1.0, -1.0, -3.0, -3.0]])
    specks = np.zeros((5, 6), np.uint8)
    specks[0, 0], specks[4, 0], specks[2:5, 2:5] = 9, 5, 8
    block = np.zeros((5, 6), np.uint8)
    block[2:5, 2:5] = 8
    np.testing.assert_array_equal(ref.opening(specks, np.ones((3, 3))), block)
    holes = np.full((5, 6), 8, np.uint8)
    holes[1:4, 3:6] = 0
    filled = holes.copy()
    holes[2, 1] = 0
    np.testing.assert_array_equal(ref.closing(holes, np.ones((3, 3))), filled)


def test_dtype_and_kernel_spellings():
    image = np.array([[0.5, -300.0], [1000.0, 2.0]], dtype=np.float32)
    out = ref.dilate(image, np.ones((2, 2), bool))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [[0.5, 0.5], [1000.0, 1000.0]])  # no clipping to 0..255
    assert ref.erode([[1.5, 2.5]], [[1, 1]]).dtype == np.float64  # a list of floats is float64
    np.testing.assert_array_equal(ref.erode(image, [[1]]), image)


@pytest.mark.parametrize("call", [
    lambda: ref.erode(np.zeros((3, 3, 3), np.uint8), np.ones((3, 3))),
    lambda: ref.erode(np.zeros(5, np.uint8), np.ones((3, 3))),
    lambda: ref.dilate(np.zeros((3, 3), np.int64), np.ones((3, 3))),
    lambda: ref.dilate([[1, 2], [3, 4]], np.ones((3, 3))),
    lambda: ref.opening(np.zeros((3, 3), np.uint16), np.ones((3, 3))),
    lambda: ref.closing(np.zeros((3, 3), np.uint8), np.zeros((2, 2))),
    lambda: ref.erode(np.zeros((3, 3), np.uint8), np.ones(3)),
    lambda: ref.erode(np.zeros((3, 3), np.uint8), np.ones((0, 3))),
    lambda: ref.dilate(np.zeros((3, 3), np.uint8), np.ones((3, 3)), iterations=-1),
])
def test_bad_input_raises_value_error(call):
    with pytest.raises(ValueError) as raised:
        call()
    assert_raised_by_the_contract(raised)


def test_reference_leaves_the_input_alone():
    image = np.arange(12, dtype=np.uint8).reshape(3, 4)
    before = image.copy()
    for func in FUNCS:
        getattr(ref, func)(image, np.ones((3, 3)), iterations=2)
    np.testing.assert_array_equal(image, before)


# --- the checker ------------------------------------------------------------------------------------

def test_checker_never_raises_and_says_shape_and_dtype_without_data():
    check = suite.CHECKS["erode"]
    expected = np.arange(6, dtype=np.uint8).reshape(2, 3)
    assert check(expected, expected.copy()) is None
    for value in [None, "x", 3.5, [], [[1, 2], [3]], np.zeros((3, 3)), np.full((2, 3), np.nan)]:
        problem = check(expected, value)
        assert problem is not None and str(problem), value
    assert check(expected, expected.astype(np.float64)).safe and "uint8" in check(expected, expected.astype(float))
    assert check(expected, np.zeros((3, 4), np.uint8)).safe
    assert check(expected, expected + 1) is not None  # exact: an off-by-one value is wrong


@pytest.mark.parametrize("mistake, case, words", [
    ("pads_with_zero", "erode_border_uint8", "the erosion read the pixels outside the image as 0"),
    ("dilate_pads_zero", "dilate_negative_float", "the dilation read the pixels outside the image as 0"),
    ("pads_with_inf", "erode_outside_only_float32", "were read as +-inf"),
    ("dilate_flips_kernel", "dilate_asymmetric", "the kernel was flipped for dilation"),
    ("flips_kernel", "erode_asymmetric", "as in a convolution"),
    ("anchor_off_by_one", "erode_even_kernel", "the anchor is off by one"),
    ("kernel_axes_swapped", "erode_non_square", "the kernel's axes are swapped"),
    ("full_box", "erode_cross", "every entry of the kernel's box took part"),
    ("kernel_as_weights", "erode_cross", "the kernel was used as weights"),
    ("iterations_ignored", "erode_iterations_2", "iterations was ignored"),
    ("opening_interleaved", "opening_iterations_2_uint8", "the result is a single opening"),
    ("opening_interleaved", "closing_iterations_2_uint8", "the result is a single closing"),
    ("open_close_swapped", "opening_border_uint8", "opening and closing are swapped"),
    ("clips_to_0_255", "erode_negative_float", "clipped to 0..255"),
    ("returns_float64", "erode_border_uint8", "keep the image's dtype"),
    ("symmetric_padding", "erode_even_kernel", "the image's shape (H, W)"),
])
def test_hidden_cases_name_the_mistake(mistake, case, words):
    found = next(c for c in graded_wrong("morphology", mistake).cases if c.name == case)
    assert found.hidden and not found.passed and words in found.message, found.message


# --- grading ----------------------------------------------------------------------------------------

def test_reference_and_loop_answer_pass_within_limits():
    assert_reference_and_loops_pass("morphology", "morphology_loops")


def test_catalogue_has_the_classic_mistakes():
    assert_catalogue_holds("morphology", {
        "pads_with_zero", "dilate_pads_zero", "dilate_flips_kernel", "anchor_off_by_one", "iterations_ignored",
        "opening_interleaved", "open_close_swapped", "full_box", "returns_float64", "clips_to_0_255",
        "kernel_axes_swapped"})
