"""bilinear: the reference against PyTorch (golden and live), SciPy and OpenCV; the suite against known mistakes."""

from pathlib import Path

import cv2
import numpy as np
import pytest
from scipy import ndimage

from grader import catalog
from grader.grading import compare
from grader.grading.attempt import grade_attempt
from wrong_attempts import graded_wrong

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "bilinear.npz"
ref = catalog.get("bilinear").reference()


def random_cases(seed, count, channels=(None, 1, 3)):
    rng = np.random.default_rng(seed)
    for i in range(count):
        in_h, in_w, out_h, out_w = (int(v) for v in rng.integers(1, 33, 4))
        c = channels[i % len(channels)]
        shape = (in_h, in_w) if c is None else (in_h, in_w, c)
        yield rng.uniform(-10, 10, shape), (out_h, out_w), bool(i % 2)


# --- the reference against the oracles -------------------------------------------------------------

def golden_cases():
    data = np.load(GOLDEN)
    count = len({key.split("_")[0] for key in data.files})
    return [(data[f"{i}_input"], tuple(int(s) for s in data[f"{i}_size"]), bool(data[f"{i}_align_corners"]),
             data[f"{i}_output"]) for i in range(count)]


def test_golden_file_is_small_and_covers_both_modes():
    assert GOLDEN.stat().st_size < 200_000
    cases = golden_cases()
    assert {ac for _, _, ac, _ in cases} == {False, True}
    assert any(image.dtype == np.uint8 for image, _, _, _ in cases)


@pytest.mark.parametrize("index", range(len(golden_cases())))
def test_matches_torch_golden(index):
    image, size, align_corners, expected = golden_cases()[index]
    out = ref.bilinear_resize(image, size, align_corners=align_corners)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, expected, rtol=0, atol=1e-10)


def test_matches_torch_live():
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    for image, size, align_corners in random_cases(1, 120):
        x = torch.from_numpy(image)
        x = x[None, None] if image.ndim == 2 else x.permute(2, 0, 1)[None]
        y = F.interpolate(x, size=size, mode="bilinear", align_corners=align_corners, antialias=False)[0]
        expected = y[0].numpy() if image.ndim == 2 else y.permute(1, 2, 0).numpy()
        np.testing.assert_allclose(ref.bilinear_resize(image, size, align_corners), expected, rtol=0, atol=1e-10)


def source_coordinates(in_size, out_size, align_corners):
    # Written out from the contract, element by element.
    coords = []
    for d in range(out_size):
        if align_corners:
            coords.append(0.0 if out_size == 1 else d * (in_size - 1) / (out_size - 1))
        else:
            coords.append(max((d + 0.5) * in_size / out_size - 0.5, 0.0))
    return np.array(coords)


def test_matches_scipy_map_coordinates():
    # map_coordinates(order=1) is bilinear interpolation at given points; mode="nearest" repeats the
    # last row and column, which is the contract's clamping past the far edge.
    for image, (out_h, out_w), align_corners in random_cases(2, 80):
        ys = source_coordinates(image.shape[0], out_h, align_corners)
        xs = source_coordinates(image.shape[1], out_w, align_corners)
        grid = np.meshgrid(ys, xs, indexing="ij")
        planes = image[..., None] if image.ndim == 2 else image
        expected = np.stack([ndimage.map_coordinates(planes[..., c], grid, order=1, mode="nearest")
                             for c in range(planes.shape[2])], axis=-1).reshape((out_h, out_w) + image.shape[2:])
        np.testing.assert_allclose(ref.bilinear_resize(image, (out_h, out_w), align_corners), expected,
                                   rtol=0, atol=1e-10)


def test_matches_opencv_resize_half_pixel():
    # cv2.resize(INTER_LINEAR) is align_corners=False; it takes dsize as (width, height) and keeps its
    # interpolation weights in float32 even for float64 images, hence the tolerance.
    for image, (out_h, out_w), _ in random_cases(3, 120, channels=(None, 3, 4)):
        expected = cv2.resize(image, (out_w, out_h), interpolation=cv2.INTER_LINEAR).reshape(
            (out_h, out_w) + image.shape[2:])
        np.testing.assert_allclose(ref.bilinear_resize(image, (out_h, out_w)), expected, rtol=0, atol=1e-4)


def test_docstring_examples_by_hand():
    image = [[0, 10], [20, 30]]
    # align_corners=False, (3, 4): columns src = (d + 0.5) / 2 - 0.5 = -0.25 -> 0, 0.25, 0.75, 1.25 -> 1
    # (no column past 1): 0, 2.5, 7.5, 10. Rows src = (d + 0.5) * 2 / 3 - 0.5 = -1/6 -> 0, 0.5, 7/6 -> 1:
    # add 0, 10, 20.
    np.testing.assert_allclose(ref.bilinear_resize(image, (3, 4)),
                               [[0, 2.5, 7.5, 10], [10, 12.5, 17.5, 20], [20, 22.5, 27.5, 30]], atol=1e-12)
    # align_corners=True: columns 0, 1/3, 2/3, 1 -> 0, 10/3, 20/3, 10; rows 0, 0.5, 1 -> add 0, 10, 20.
    third = 10 / 3
    np.testing.assert_allclose(ref.bilinear_resize(image, (3, 4), align_corners=True),
                               [[0, third, 2 * third, 10], [10, 10 + third, 10 + 2 * third, 20],
                                [20, 20 + third, 20 + 2 * third, 30]], atol=1e-12)


def test_edge_sizes_by_hand():
    image = np.arange(12.0).reshape(3, 4)
    # out = 1: align_corners=True takes src 0 (the first pixel); False takes the centre, (0.5) * in - 0.5.
    assert ref.bilinear_resize(image, (1, 1), align_corners=True).tolist() == [[0.0]]
    assert ref.bilinear_resize(image, (1, 1)).tolist() == [[(1.0 * 4 + 1.5)]]  # row 1, column 1.5
    # in = 1: every output is that pixel.
    assert ref.bilinear_resize([[7.5]], (2, 3)).tolist() == [[7.5] * 3] * 2
    # Identity size returns the image, as float64.
    out = ref.bilinear_resize(image.astype(np.uint8), (3, 4))
    assert out.dtype == np.float64 and out.tolist() == image.tolist()
    # (h, w), not (w, h); and a 2x2 block mean for an exact halving.
    assert ref.bilinear_resize(image, (6, 2)).shape == (6, 2)
    np.testing.assert_allclose(ref.bilinear_resize(image[:2], (1, 2)), [[(0 + 1 + 4 + 5) / 4, (2 + 3 + 6 + 7) / 4]])


def test_uint8_input_is_not_truncated_or_wrapped():
    image = np.array([[250, 10], [0, 255]], dtype=np.uint8)
    out = ref.bilinear_resize(image, (3, 3), align_corners=True)
    np.testing.assert_allclose(out, ref.bilinear_resize(image.astype(np.float64), (3, 3), align_corners=True))
    assert out[0, 1] == 130.0 and out[1, 1] == (250 + 10 + 0 + 255) / 4


# --- the suite's checker ----------------------------------------------------------------------------

def test_checker_never_raises_and_names_the_mistake():
    check = catalog.get("bilinear").suite().CHECKS["bilinear_resize"]
    expected = np.arange(6.0).reshape(2, 3) + 0.5
    assert check(expected, expected.copy()) is None
    for value in [None, "x", 3.5, [], [[1, 2], [3]], np.zeros((2, 2)), compare.Unsupported("generator"),
                  np.full((2, 3), np.nan), np.zeros((2, 3, 1))]:
        message = check(expected, value)
        assert isinstance(message, (str, compare.Problem)) and str(message), value
    assert "(out_h, out_w)" in check(expected, expected.T.copy())
    assert "float64" in check(expected, np.floor(expected).astype(np.uint8))


# --- grading ----------------------------------------------------------------------------------------

def graded(mistake):
    return graded_wrong("bilinear", mistake)


def test_reference_and_loop_attempt_pass():
    for attempt in (catalog.get("bilinear").solution_path, HERE / "fixtures" / "slow" / "bilinear_loops.py"):
        result = grade_attempt("bilinear", attempt)
        assert result.passed, [(c.name, c.status, c.message) for c in result.cases if not c.passed]
        assert max(c.seconds for c in result.cases) < 1.0  # a 3x margin under the 3 s limit


def test_wrong_attempts_get_useful_public_messages():
    size = {c.name: c.message for c in graded("size_as_w_h").cases}
    assert "(out_h, out_w)" in size["docstring_half_pixel"]
    truncated = {c.name: c.message for c in graded("integer_truncation").cases}
    assert "float64" in truncated["docstring_half_pixel"]
    unclamped = {c.name: c.message for c in graded("no_clamp").cases}
    assert "clamp a negative source coordinate" in unclamped["docstring_half_pixel"]
    # Only the align_corners=True cases with an output of 1 raise, and the learner is shown where.
    by_zero = [c for c in graded("out_1_divides_by_zero").cases if not c.passed]
    assert all(c.status == "error" and "ZeroDivisionError" in c.message for c in by_zero)
