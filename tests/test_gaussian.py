"""gaussian: the reference against OpenCV, and the hidden suite against known mistakes."""

import math
from pathlib import Path

import cv2
import numpy as np
import pytest

from grader import catalog
from grader.grading import compare
from grader.grading.attempt import grade_attempt
from wrong_attempts import graded_wrong

HERE = Path(__file__).parent
ref = catalog.get("gaussian").reference()


def opencv_sigma(ksize, sigma):
    # Written out from the contract: OpenCV's rule, which it applies itself only for ksize > 9 (below
    # that it uses fixed tables), so the oracle is always handed an explicit sigma > 0.
    return 0.3 * ((ksize - 1) * 0.5 - 1) + 0.8 if sigma <= 0 else sigma


def opencv_kernel(ksize, sigma):
    g = cv2.getGaussianKernel(ksize, opencv_sigma(ksize, sigma), ktype=cv2.CV_64F)
    return g @ g.T


def opencv_blur(image, ksize, sigma):
    s = opencv_sigma(ksize, sigma)
    image = np.asarray(image, dtype=np.float64)
    out = cv2.GaussianBlur(image, (ksize, ksize), sigmaX=s, sigmaY=s)  # default border: reflect-101
    return out.reshape(image.shape)  # cv2 drops a trailing axis of length 1


# --- the reference against the oracles -------------------------------------------------------------

@pytest.mark.parametrize("ksize", [1, 3, 5, 7, 9, 11, 15, 31])
@pytest.mark.parametrize("sigma", [0.0, -1.0, -4.0, 0.05, 0.3, 1.0, 2.5, 1000.0])
def test_kernel_matches_opencv(ksize, sigma):
    np.testing.assert_allclose(ref.gaussian_kernel(ksize, sigma), opencv_kernel(ksize, sigma),
                               rtol=1e-12, atol=1e-15)


def test_kernel_by_hand():
    # ksize 3, sigma 0 -> 0.3 * ((3 - 1) * 0.5 - 1) + 0.8 = 0.8; off-centre weight e = exp(-1 / (2 * 0.64)).
    e = math.exp(-1 / 1.28)
    g = np.array([e, 1.0, e]) / (1 + 2 * e)
    np.testing.assert_allclose(ref.gaussian_kernel(3), np.outer(g, g), rtol=1e-14)
    np.testing.assert_allclose(np.outer(g, g)[1, 1], 0.2725, atol=5e-5)  # the docstring's figure
    np.testing.assert_array_equal(ref.gaussian_kernel(1), [[1.0]])
    np.testing.assert_array_equal(ref.gaussian_kernel(1, 5.0), [[1.0]])


@pytest.mark.parametrize("ksize,sigma", [(3, 0.0), (7, 1.5), (9, -1.0), (11, 0.2), (5, 1e4)])
def test_kernel_properties(ksize, sigma):
    k = ref.gaussian_kernel(ksize, sigma)
    assert k.shape == (ksize, ksize) and k.dtype == np.float64
    assert k.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_array_equal(k, k.T)
    np.testing.assert_array_equal(k, k[::-1, ::-1])
    assert k[ksize // 2, ksize // 2] == k.max()


@pytest.mark.parametrize("ksize", [0, -1, -3, 2, 4, 10, 3.0, True])
def test_bad_ksize_raises(ksize):
    with pytest.raises(ValueError):
        ref.gaussian_kernel(ksize)
    with pytest.raises(ValueError):
        ref.gaussian_blur(np.zeros((5, 5)), ksize)


def test_blur_matches_opencv_random():
    rng = np.random.default_rng(7)
    for trial in range(60):
        ksize = int(rng.choice([1, 3, 5, 7, 9, 11]))
        h, w = (int(v) for v in rng.integers(ksize // 2 + 1, 30, 2))
        shape = [(h, w), (h, w, 1), (h, w, 3), (h, w, 5)][trial % 4]
        sigma = float(rng.choice([0.0, -2.0, rng.uniform(0.2, 4.0)]))
        image = rng.uniform(-100, 100, shape)
        np.testing.assert_allclose(ref.gaussian_blur(image, ksize, sigma), opencv_blur(image, ksize, sigma),
                                   rtol=1e-10, atol=1e-10, err_msg=f"{shape} ksize {ksize} sigma {sigma}")


def test_blur_smaller_than_kernel_matches_opencv():
    # Not in the suite (the contract keeps images larger than the radius), but the reference agrees anyway.
    rng = np.random.default_rng(8)
    for shape in [(1, 1), (2, 3), (3, 2, 3)]:
        image = rng.uniform(0, 1, shape)
        np.testing.assert_allclose(ref.gaussian_blur(image, 9), opencv_blur(image, 9, 0.0), atol=1e-12)


def test_blur_uint8_and_lists_give_float64():
    rng = np.random.default_rng(9)
    image = rng.integers(0, 256, (9, 8, 3)).astype(np.uint8)
    out = ref.gaussian_blur(image, 5, 1.3)
    assert out.dtype == np.float64 and out.shape == image.shape
    np.testing.assert_allclose(out, opencv_blur(image, 5, 1.3), atol=1e-10)
    assert ref.gaussian_blur(image[:, :, 0].tolist(), 3).dtype == np.float64


def test_blur_docstring_example_by_hand():
    # 1-d weights g = [e, 1, e] / (1 + 2e) (see test_kernel_by_hand). The row 4 2 0 0 0 is read as
    # 2 | 4 2 0 0 0 | 0 by reflect-101: [4 g1 + 4 g0, 4 g0 + 2 g1, 2 g0, 0, 0]; equal rows stay equal.
    e = math.exp(-1 / 1.28)
    g0, g1 = e / (1 + 2 * e), 1 / (1 + 2 * e)
    row = [4 * g1 + 4 * g0, 4 * g0 + 2 * g1, 2 * g0, 0.0, 0.0]
    np.testing.assert_allclose(ref.gaussian_blur([[4, 2, 0, 0, 0]] * 3, 3), [row] * 3, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(row[:3], [3.044, 2.0, 0.478], atol=5e-4)  # the docstring's figures


def test_borders_are_not_zero_or_symmetric_padding():
    # The two border rules the suite must tell apart from reflect-101 really do differ from it.
    image = np.random.default_rng(10).uniform(0, 1, (9, 12))
    kernel = ref.gaussian_kernel(5, 1.2)
    expected = ref.gaussian_blur(image, 5, 1.2)
    for mode in ("constant", "symmetric"):
        padded = np.pad(image, 2, mode=mode)
        other = sum(kernel[i, j] * padded[i:i + 9, j:j + 12] for i in range(5) for j in range(5))
        assert np.abs(other - expected)[:2].max() > 1e-3
        np.testing.assert_allclose(other[2:-2, 2:-2], expected[2:-2, 2:-2], atol=1e-12)


# --- the suite's checkers ---------------------------------------------------------------------------

def test_checkers_never_raise_on_odd_values():
    suite = catalog.get("gaussian").suite()
    expected = np.full((3, 3), 1 / 9)
    odd = [None, "x", 3.5, [], [[1, 2], [3]], np.zeros((2, 2)), np.zeros((3, 3), dtype=np.uint8),
           np.full((3, 3), np.nan), compare.Unsupported("generator"), [[True] * 3] * 3]
    for check in suite.CHECKS.values():
        assert check(expected, expected.copy()) is None
        for value in odd:
            message = check(expected, value)
            assert isinstance(message, (str, compare.Problem)) and str(message), value


def test_kernel_check_names_the_mistake():
    check = catalog.get("gaussian").suite().kernel_check
    k = ref.gaussian_kernel(5)
    assert "sums to" in check(k, k * 2)
    assert "symmetric" in check(k, np.roll(k, 1, axis=0) / np.roll(k, 1, axis=0).sum())
    assert "NaN" in check(k, np.full((5, 5), np.nan))


def test_blur_check_names_the_border_and_the_scale():
    check = catalog.get("gaussian").suite().blur_check
    image = np.random.default_rng(11).uniform(0, 1, (10, 10))
    expected = ref.gaussian_blur(image, 3)
    zero = expected.copy()
    zero[0] *= 0.9
    assert "edge" in check(expected, zero)
    assert "times the expected" in check(expected, expected * 1.1)
    assert "float64" in check(expected * 10.5, np.floor(expected * 10.5).astype(np.int64))


# --- grading ----------------------------------------------------------------------------------------

def graded(mistake):
    return graded_wrong("gaussian", mistake)


def test_reference_and_loop_attempt_pass():
    for attempt in (catalog.get("gaussian").solution_path, HERE / "fixtures" / "slow" / "gaussian_loops.py"):
        result = grade_attempt("gaussian", attempt)
        assert result.passed, [(c.name, c.status, c.message) for c in result.cases if not c.passed]
        # The loop answer has a 3x margin under the 3 s limit on every case.
        assert max(c.seconds for c in result.cases) < 1.0


def test_wrong_attempts_get_useful_public_messages():
    messages = {}
    for mistake in ("zero_padding", "not_normalised", "casts_to_input_dtype"):
        result = graded(mistake)
        messages[mistake] = {c.name: c.message for c in result.cases if not c.hidden and not c.passed}
    assert "reflect-101" in messages["zero_padding"]["docstring_blur"]
    assert "sums to" in messages["not_normalised"]["docstring_kernel"]
    assert "float64" in messages["casts_to_input_dtype"]["docstring_blur"]
