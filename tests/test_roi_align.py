"""roi_align: the reference against an oracle built on torch's grid_sample (golden values, live when torch is
installed; torchvision has no working build here), a brute-force ROIPool, hand-derived values pinning the
conventions of torchvision's and detectron2's own tests, OpenCV for detectron2's resize property, then the
suite's diagnoses and the grading of the loop answer and the mistake catalogue."""

import importlib.util
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import cv2
import numpy as np
import pytest

from grader import catalog
from grader.exercises.roi_align import suite as suite
from wrong_attempts import assert_catalogue_holds, assert_reference_and_loops_pass, graded_wrong, assert_raised_by_the_contract

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "roi_align.npz"
ref = catalog.get("roi_align").reference()


def _grid_sample_oracle():
    """`oracle` of tests/golden/make_roi_align.py (it needs torch)."""
    pytest.importorskip("torch")
    spec = importlib.util.spec_from_file_location("make_roi_align", HERE / "golden" / "make_roi_align.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.oracle


def _suite_calls(func, seeds=(0, 1, 2)):
    """Every call the suite makes to `func` that returns a value (not a ValueError), at a few seeds."""
    for seed in seeds:
        for case in suite.cases(np.random.default_rng(seed)):
            if case.func == func:
                try:
                    getattr(ref, func)(*case.args, **case.kwargs)
                except ValueError:
                    continue
                yield case


# --- hand-derived values ---------------------------------------------------------------------------

def test_docstring_examples_by_hand():
    f = np.arange(25.0).reshape(1, 1, 5, 5)  # f = 5 * row + col, linear: a sample's value is 5 * y + x
    # One sample per 1 x 1 bin, at y, x in {1.5, 2.5}; aligned=True moves them to {1, 2}.
    np.testing.assert_array_equal(ref.roi_align(f, [[0, 1, 1, 3, 3]], 2), [[[[9, 10], [14, 15]]]])
    np.testing.assert_array_equal(ref.roi_align(f, [[0, 1, 1, 3, 3]], 2, aligned=True), [[[[6, 7], [11, 12]]]])
    # 2 x 6 samples on ones, x at -3.5 ... 1.5: three columns beyond x = -1 count as 0.
    np.testing.assert_array_equal(ref.roi_align(np.ones((1, 1, 3, 3)), [[0, -4, 0, 2, 2]], 1), [[[[0.5]]]])
    g = np.arange(16.0).reshape(1, 1, 4, 4)
    # Columns 0..2 (round(2.4) = 2) in bins {0, 1}, {1, 2}; rows 0..3 (round(2.5) = 3) in bins {0, 1}, {2, 3}.
    np.testing.assert_array_equal(ref.roi_pool(g, [[0, 0, 0, 2.4, 2.5]], 2), [[[[5, 6], [13, 14]]]])
    np.testing.assert_array_equal(ref.roi_pool(-np.ones((1, 1, 4, 4)), [[0, 3, 3, 7, 7]], 2),
                                  [[[[-1, 0], [0, 0]]]])


def test_detectron2_forward_output_by_hand():
    """The case of facebookresearch/detectron2 tests/layers/test_roi_align.py (test_forward_output): a 5 x 5
    arange, box [1, 1, 3, 3], output 4 x 4, adaptive sampling. The values are derived here: the box is 2
    wide, so bins of 0.5 take one sample each, at 1.25, 1.75, 2.25, 2.75 (aligned=False) or 0.5 lower
    (aligned=True), and the map is 5 * y + x. They are detectron2's old_results and correct_results."""
    f = np.arange(25.0).reshape(1, 1, 5, 5)
    for aligned, first in ((False, 1.25), (True, 0.75)):
        at = first + 0.5 * np.arange(4)
        expected = 5 * at[:, None] + at[None, :]
        out = ref.roi_align(f, [[0, 1, 1, 3, 3]], (4, 4), sampling_ratio=0, aligned=aligned)
        np.testing.assert_allclose(out[0, 0], expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(expected, [[4.5, 5.0, 5.5, 6.0], [7.0, 7.5, 8.0, 8.5], [9.5, 10.0, 10.5, 11.0],
                                          [12.0, 12.5, 13.0, 13.5]])


def test_detectron2_empty_box_and_empty_batch():
    """detectron2's test_empty_box (box [3, 4, 5, 4], zero height, aligned=True: the adaptive grid has no
    rows, every bin is 0) and test_empty_batch (no image, no roi: a (0, 3, 7, 7) result)."""
    out = ref.roi_align(np.random.default_rng(0).random((1, 1, 5, 5)), [[0, 3, 4, 5, 4]], 7, sampling_ratio=0,
                        aligned=True)
    assert out.shape == (1, 1, 7, 7) and not out.any()
    assert ref.roi_align(np.zeros((0, 3, 10, 10)), np.zeros((0, 5)), (7, 7), aligned=True).shape == (0, 3, 7, 7)
    assert ref.roi_pool(np.zeros((0, 3, 10, 10)), [], 7).shape == (0, 3, 7, 7)


def test_detectron2_resize_property_with_opencv():
    """detectron2's test_resize: with aligned=True, pooling a box from an image and box / 2 from the image
    halved by cv2.resize (INTER_LINEAR, the mean of each 2 x 2 block) gives the same result: the half-pixel
    shift makes roi coordinates scale-consistent. Without the shift it fails."""
    rng = np.random.default_rng(5)
    image = rng.random((30, 30)) * 100
    half = cv2.resize(image, (15, 15), interpolation=cv2.INTER_LINEAR)
    np.testing.assert_allclose(half, image.reshape(15, 2, 15, 2).mean(axis=(1, 3)), atol=1e-9)
    box = np.array([[0, 10, 10, 20, 20]], dtype=float)
    scaled = box * [1, 0.5, 0.5, 0.5, 0.5]
    full = ref.roi_align(image[None, None], box, 5, sampling_ratio=0, aligned=True)
    np.testing.assert_allclose(ref.roi_align(half[None, None], scaled, 5, sampling_ratio=0, aligned=True), full,
                               atol=1e-9)
    legacy = ref.roi_align(half[None, None], scaled, 5, sampling_ratio=0, aligned=False)
    assert np.abs(legacy - ref.roi_align(image[None, None], box, 5, sampling_ratio=0)).max() > 1.0


def test_torchvision_rois_on_a_ramp_by_hand():
    """The rois of pytorch/vision test/test_ops.py (RoIOpTester.test_forward: 10 x 10 maps, output 5),
    here on ramps so that the values follow by hand: image 0 is 10 * y + x, image 1 is 99 minus it.
    ROIAlign of a linear map is the map at each bin's centre as long as no sample needs the border
    rules; ROIPool's max on the ramp is the bin's bottom-right pixel (its top-left one on image 1)."""
    ramp = np.arange(100.0).reshape(10, 10)
    features = np.stack([ramp, 99 - ramp])[:, None]
    rois = [[0, 0, 0, 9, 9], [0, 0, 5, 4, 9], [0, 5, 5, 9, 9], [1, 0, 0, 9, 9]]

    def at(y, x):
        return 10 * y[:, None] + x[None, :]

    i = np.arange(5.0)
    # Roi 0 is 9 wide: bins of 1.8, two samples each (ceil(1.8)), their mean at the bin's centre 0.9 + 1.8 i.
    # Rois 1 and 2 are 4 wide: bins of 0.8, one sample, at 0.4 + 0.8 i from the roi's corner.
    align = ref.roi_align(features, rois, 5)
    np.testing.assert_allclose(align[0, 0], at(0.9 + 1.8 * i, 0.9 + 1.8 * i), atol=1e-12)
    np.testing.assert_allclose(align[1, 0], at(5.4 + 0.8 * i, 0.4 + 0.8 * i), atol=1e-12)
    np.testing.assert_allclose(align[2, 0], at(5.4 + 0.8 * i, 5.4 + 0.8 * i), atol=1e-12)
    np.testing.assert_allclose(align[3, 0], 99 - at(0.9 + 1.8 * i, 0.9 + 1.8 * i), atol=1e-12)
    # aligned=True: the first bin's samples are -0.05 and 0.85; -0.05 clamps to 0, so its mean is 0.425.
    centre = np.r_[0.425, 0.4 + 1.8 * i[1:]]
    np.testing.assert_allclose(ref.roi_align(features, rois, 5, aligned=True)[0, 0], at(centre, centre), atol=1e-12)
    # ROIPool: roi 0 covers 10 x 10 pixels in bins of 2, rois 1 and 2 cover 5 x 5 in bins of 1.
    pool = ref.roi_pool(features, rois, 5)
    np.testing.assert_array_equal(pool[0, 0], at(2 * i + 1, 2 * i + 1))
    np.testing.assert_array_equal(pool[1, 0], at(5 + i, i))
    np.testing.assert_array_equal(pool[2, 0], at(5 + i, 5 + i))
    np.testing.assert_array_equal(pool[3, 0], 99 - at(2 * i, 2 * i))


def test_the_border_band_by_hand():
    p = np.random.default_rng(1).normal(size=(1, 1, 4, 4))
    # Samples at y, x in {-1, 0}: all four are in the band and read pixel (0, 0).
    np.testing.assert_allclose(ref.roi_align(p, [[0, -1.5, -1.5, 0.5, 0.5]], 1, sampling_ratio=2)[0, 0, 0, 0],
                               p[0, 0, 0, 0], rtol=1e-12)
    # Samples at {4, 5} on a 4 x 4 map: only (4, 4) is in the band (it reads pixel (3, 3)); 1 of 4 counts.
    np.testing.assert_allclose(ref.roi_align(p, [[0, 3.5, 3.5, 5.5, 5.5]], 1, sampling_ratio=2)[0, 0, 0, 0],
                               p[0, 0, 3, 3] / 4, rtol=1e-12)
    # Just past the band (samples at -1.0001 and beyond): every one is 0.
    assert ref.roi_align(p, [[0, -3, -3, -1.0001, -1.0001]], 1, sampling_ratio=1)[0, 0, 0, 0] == 0
    # Between -1 and 0 a sample reads row 0 in full: sample y = -0.5 equals y = 0.
    np.testing.assert_allclose(ref.roi_align(p, [[0, 1, -1, 2, 0]], 1, sampling_ratio=1),
                               ref.roi_align(p, [[0, 1, -0.5, 2, 0.5]], 1, sampling_ratio=1), rtol=1e-12)


def test_whole_map_rois_give_the_map_back():
    """aligned=True with one sample per bin samples every pixel centre; ROIPool's bins are single pixels."""
    f = np.random.default_rng(2).normal(size=(2, 3, 5, 7))
    out = ref.roi_align(f, [[1, 0, 0, 7, 5]], (5, 7), sampling_ratio=1, aligned=True)
    np.testing.assert_allclose(out[0], f[1], rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(ref.roi_pool(f, [[1, 0, 0, 6, 4]], (5, 7))[0], f[1])


def test_roi_pool_rounds_halves_away_from_zero():
    f = np.arange(64.0).reshape(1, 1, 8, 8)
    # x1 = 0.5 -> 1, x2 = 2.5 -> 3: columns 1..3; np.round would give 0 and 2.
    assert ref.roi_pool(f, [[0, 0.5, 0, 2.5, 0]], (1, 1))[0, 0, 0, 0] == 3
    # y1 = -0.5 -> -1: rows -1..1 in 3 bins; the first bin is row -1 alone, off the map: 0.
    np.testing.assert_array_equal(ref.roi_pool(f, [[0, 0, -0.5, 0, 1]], (3, 1))[0, 0, :, 0], [0, 0, 8])
    # spatial_scale before rounding: 5 * 0.5 = 2.5 -> 3.
    assert ref.roi_pool(f, [[0, 5, 0, 5, 0]], 1, spatial_scale=0.5)[0, 0, 0, 0] == 3


# --- the independent oracles ------------------------------------------------------------------------

def _golden():
    data = np.load(GOLDEN, allow_pickle=False)
    for i, name in enumerate(data["names"].tolist()):
        ph, pw, ratio, aligned = (int(v) for v in data[f"{i}_params"])
        yield name, data[f"{i}_features"], data[f"{i}_rois"], dict(
            output_size=(ph, pw), spatial_scale=float(data[f"{i}_scale"]), sampling_ratio=ratio,
            aligned=bool(aligned)), data[f"{i}_out"]


def test_golden_file_is_small_and_covers_the_conventions():
    assert GOLDEN.stat().st_size < 100_000
    names = {case[0] for case in _golden()}
    assert {"torchvision_rois", "torchvision_rois_aligned", "detectron2_box_aligned", "detectron2_empty_box_aligned",
            "tiny_roi_clamped", "tiny_roi_aligned", "spill_outside", "band_edges", "scale_quarter_aligned"} <= names


@pytest.mark.parametrize("name, features, rois, kwargs, expected", list(_golden()),
                         ids=[case[0] for case in _golden()])
def test_matches_grid_sample_golden(name, features, rois, kwargs, expected):
    np.testing.assert_allclose(ref.roi_align(features, rois, **kwargs), expected, rtol=1e-10, atol=1e-12)


def test_matches_grid_sample_live_on_random_inputs():
    oracle = _grid_sample_oracle()
    rng = np.random.default_rng(11)
    for _ in range(60):
        n, c = int(rng.integers(1, 3)), int(rng.integers(1, 4))
        h, w = (int(v) for v in rng.integers(1, 14, size=2))
        scale = float(rng.choice([1.0, 0.5, 0.25, 0.125]))
        xy = rng.uniform(-3, [w + 1, h + 1], size=(5, 2))
        wh = rng.uniform(-1, [w + 2, h + 2], size=(5, 2))  # some rois reversed, some tiny
        rois = np.hstack([rng.integers(0, n, size=(5, 1)), xy / scale, (xy + wh) / scale])
        kwargs = dict(output_size=(int(rng.integers(1, 5)), int(rng.integers(1, 5))), spatial_scale=scale,
                      sampling_ratio=int(rng.integers(-1, 4)), aligned=bool(rng.random() < 0.5))
        features = rng.normal(size=(n, c, h, w))
        np.testing.assert_allclose(ref.roi_align(features, rois, **kwargs), oracle(features, rois, **kwargs),
                                   rtol=1e-10, atol=1e-12)


def test_matches_grid_sample_live_on_every_suite_case():
    oracle = _grid_sample_oracle()
    for case in _suite_calls("roi_align"):
        size = case.args[2] if isinstance(case.args[2], int) else tuple(case.args[2])
        np.testing.assert_allclose(ref.roi_align(*case.args, **case.kwargs),
                                   oracle(case.args[0], case.args[1], size, **case.kwargs),
                                   rtol=1e-10, atol=1e-12, err_msg=case.name)


def _pool_brute_force(features, rois, output_size, spatial_scale=1.0):
    """ROIPool from its definition, pixel by pixel in exact arithmetic: corners rounded half away from zero
    by decimal (on the float's exact value), and pixel r' (counted from the roi's first row) in bin i iff
    its unit interval [r', r' + 1) overlaps the bin's [i * h / PH, (i + 1) * h / PH), which is
    floor(i * h / PH) <= r' < ceil((i + 1) * h / PH)."""
    features = np.asarray(features, dtype=float)
    ph, pw = (output_size, output_size) if isinstance(output_size, int) else output_size
    _, c, height, width = features.shape
    out = np.zeros((len(rois), c, ph, pw))
    for k, (b, *corners) in enumerate(np.asarray(rois, dtype=float).reshape(-1, 5).tolist()):
        x1, y1, x2, y2 = (int(Decimal(v * spatial_scale).to_integral_value(ROUND_HALF_UP)) for v in corners)
        rh, rw = max(y2 - y1 + 1, 1), max(x2 - x1 + 1, 1)
        for i in range(ph):
            for j in range(pw):
                cells = [features[int(b), :, r, q] for r in range(height) for q in range(width)
                         if i * rh < (r - y1 + 1) * ph and (r - y1) * ph < (i + 1) * rh
                         and j * rw < (q - x1 + 1) * pw and (q - x1) * pw < (j + 1) * rw]
                out[k, :, i, j] = np.max(cells, axis=0) if cells else 0.0
    return out


@pytest.mark.parametrize("seed", range(6))
def test_roi_pool_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    for _ in range(15):
        n, c = int(rng.integers(1, 3)), int(rng.integers(1, 3))
        h, w = (int(v) for v in rng.integers(1, 11, size=2))
        scale = float(rng.choice([1.0, 0.5, 0.25]))
        # Half-pixel corners are common on purpose: they pin the rounding.
        corners = rng.integers(-6, 2 * max(h, w) + 4, size=(4, 4)) / 2.0
        if rng.random() < 0.5:
            corners += rng.uniform(-0.3, 0.3, size=corners.shape)
        rois = np.hstack([rng.integers(0, n, size=(4, 1)), corners / scale])
        size = (int(rng.integers(1, 5)), int(rng.integers(1, 5)))
        features = rng.normal(size=(n, c, h, w)) - (2.0 if rng.random() < 0.3 else 0.0)
        np.testing.assert_array_equal(ref.roi_pool(features, rois, size, scale),
                                      _pool_brute_force(features, rois, size, scale))


def test_roi_pool_matches_brute_force_on_every_suite_case():
    for case in _suite_calls("roi_pool"):
        np.testing.assert_array_equal(ref.roi_pool(*case.args, **case.kwargs),
                                      _pool_brute_force(*case.args, **case.kwargs), err_msg=case.name)


def test_output_dtype_and_list_input():
    out = ref.roi_align([[[[1, 2], [3, 4]]]], [[0, 0, 0, 1, 1]], 1, sampling_ratio=1, aligned=True)
    assert isinstance(out, np.ndarray) and out.dtype == np.float64 and out.shape == (1, 1, 1, 1)
    assert out[0, 0, 0, 0] == 1.0  # aligned=True, one sample at (0, 0): pixel (0, 0) itself
    out = ref.roi_pool([[[[1, 2], [3, 4]]]], [[0, 0, 0, 1, 1]], 1)
    assert out.dtype == np.float64 and out[0, 0, 0, 0] == 4.0


@pytest.mark.parametrize("func", ["roi_align", "roi_pool"])
@pytest.mark.parametrize("features, rois, output_size", [
    (np.ones((1, 4, 4)), [[0, 0, 0, 2, 2]], 2),                    # features not 4-d
    (np.ones((1, 1, 0, 4)), [[0, 0, 0, 2, 2]], 2),                 # H = 0
    (np.ones((1, 1, 4, 0)), [[0, 0, 0, 2, 2]], 2),                 # W = 0
    (np.ones((1, 1, 4, 4)), [[0, 0, 2, 2]], 2),                    # 4 columns
    (np.ones((1, 1, 4, 4)), [0, 0, 0, 2, 2], 2),                   # 1-d rois
    (np.ones((1, 1, 4, 4)), [[0, 0, 0, 2, 2]], 0),
    (np.ones((1, 1, 4, 4)), [[0, 0, 0, 2, 2]], (2, 0)),
    (np.ones((1, 1, 4, 4)), [[0, 0, 0, 2, 2]], (2, 2, 2)),
    (np.ones((1, 1, 4, 4)), [[0, 0, 0, 2, 2]], 2.0),
    (np.ones((1, 1, 4, 4)), [[0, 0, 0, 2, 2]], True),
    (np.ones((2, 1, 4, 4)), [[2, 0, 0, 2, 2]], 2),                 # batch index N
    (np.ones((2, 1, 4, 4)), [[-1, 0, 0, 2, 2]], 2),
    (np.ones((2, 1, 4, 4)), [[0.5, 0, 0, 2, 2]], 2),
    (np.ones((2, 1, 4, 4)), [[np.nan, 0, 0, 2, 2]], 2),
])
def test_bad_input_raises_value_error(func, features, rois, output_size):
    with pytest.raises(ValueError) as raised:
        getattr(ref, func)(features, rois, output_size)
    assert_raised_by_the_contract(raised)


# --- the checkers ----------------------------------------------------------------------------------

def test_variants_without_a_mistake_are_the_reference():
    """The suite's loop-free variants name mistakes; with no switch on they must be the reference itself."""
    for func, variant in (("roi_align", suite.align_variant), ("roi_pool", suite.pool_variant)):
        for case in _suite_calls(func):
            np.testing.assert_allclose(variant(*case.args, **case.kwargs), getattr(ref, func)(*case.args, **case.kwargs),
                                       rtol=1e-12, atol=1e-12, err_msg=case.name)


DIAGNOSED = [
    ("align_aligned", dict(shift="never")), ("align_interior", dict(shift="always")),
    ("align_tiny_roi_clamped", dict(clamp="never")), ("align_tiny_roi_aligned", dict(clamp="always")),
    ("align_ratio_2", dict(corners=True)), ("align_adaptive_grid", dict(fixed_grid=2)),
    ("align_off_the_map", dict(outside="clamp")), ("align_outside_left_top", dict(outside="uncounted")),
    ("align_band_minus_one", dict(outside="strict")), ("align_scale_then_shift", dict(shift_before_scale=True)),
    ("align_batch_index", dict(batch0=True)), ("align_non_square", dict(swap_xy=True)),
    ("align_spatial_scale", dict(scale=False)),
    ("pool_round_half_away", dict(rounding="even")), ("pool_round_nearest", dict(rounding="floor")),
    ("pool_round_negative_nearest", dict(rounding="trunc")), ("pool_interior", dict(plus_one=False)),
    ("pool_uneven_bins", dict(end="floor")), ("pool_more_bins_than_pixels", dict(whole_bins=True)),
    ("pool_empty_bins", dict(empty=-np.inf)), ("pool_negative_values", dict(start_max=0.0)),
    ("pool_over_top_left", dict(clip=False)), ("pool_batch_index", dict(batch0=True)),
    ("pool_non_square", dict(swap_xy=True)), ("pool_spatial_scale", dict(scale=False)),
]


@pytest.mark.parametrize("name, switches", DIAGNOSED, ids=[d[0] for d in DIAGNOSED])
def test_diagnosis_names_each_mistake_without_data(name, switches):
    case = next(c for c in suite.cases(np.random.default_rng(0)) if c.name == name)
    variant, sentences = suite.MISTAKES[case.func]
    wanted = next(text for text, s in sentences.items() if s == switches)
    expected = getattr(ref, case.func)(*case.args, **case.kwargs)
    problem = case.check(expected, variant(*case.args, **case.kwargs, **switches))
    assert problem is not None and problem.safe and wanted in problem.text, (name, problem)
    assert case.check(expected, expected) is None


def test_every_mistake_sentence_is_aimed_at_by_some_named_case():
    aimed = {tuple(sorted(s.items())) for _, s in DIAGNOSED}
    for func, (_, sentences) in suite.MISTAKES.items():
        missing = [text for text, s in sentences.items() if tuple(sorted(s.items())) not in aimed]
        assert not missing, (func, missing)


def test_nan_for_an_empty_grid_is_explained():
    case = next(c for c in suite.cases(np.random.default_rng(0)) if c.name == "align_empty_roi_aligned")
    expected = ref.roi_align(*case.args, **case.kwargs)
    problem = case.check(expected, np.full(expected.shape, np.nan))
    assert problem.safe and "never divide by a count of 0" in problem.text


def test_checkers_never_raise_on_odd_values():
    for case in suite.cases(np.random.default_rng(0))[:5]:
        expected = getattr(ref, case.func)(*case.args, **case.kwargs)
        for actual in (None, 1.0, "x", [[1], [1, 2]], np.ones((2, 2)), np.full(np.shape(expected), np.nan),
                       np.full(np.shape(expected), -np.inf), expected.astype(np.float32)):
            assert case.check(expected, actual) is not None
        assert case.check(expected, np.ones((1, 2, 9, 9))).safe  # a wrong shape is explained without data


def test_suite_sizes_fit_a_naive_loop():
    """The loop answer interpolates every sample for every channel: a few thousand of them per case at most."""
    for case in _suite_calls("roi_align", seeds=range(5)):
        features = np.asarray(case.args[0], dtype=float)
        assert features.shape[1] <= 4 and max(features.shape[2:]) <= 16, case.name
        rois = np.asarray(case.args[1], dtype=float).reshape(-1, 5)
        assert len(rois) <= 7, case.name
        (ph, pw), scale = suite.as_pair(case.args[2]), case.kwargs.get("spatial_scale", 1.0)
        ratio = case.kwargs.get("sampling_ratio", -1)
        sides = np.maximum(np.abs(rois[:, 3:] - rois[:, 1:3]) * scale, 1.0)  # (w, h), an upper bound
        grids = ratio * ratio if ratio > 0 else np.ceil(sides[:, 1] / ph) * np.ceil(sides[:, 0] / pw)
        samples = np.sum(grids * ph * pw) * features.shape[1]
        assert samples <= 12_000, (case.name, samples)
    for case in _suite_calls("roi_pool", seeds=range(5)):
        features = np.asarray(case.args[0], dtype=float)
        assert features.shape[1] <= 4 and max(features.shape[2:]) <= 16 and np.size(case.args[1]) <= 35, case.name


# --- grading ---------------------------------------------------------------------------------------

def test_reference_and_loop_answer_pass_within_limits():
    assert_reference_and_loops_pass("roi_align", "roi_align_loops")


def test_catalogue_has_the_classic_mistakes():
    assert_catalogue_holds("roi_align", {
        "align_no_half_pixel_shift", "align_shift_always", "align_samples_at_bin_corners", "align_fixed_2x2_grid",
        "align_roi_size_not_clamped", "align_roi_size_clamped_when_aligned", "align_outside_clamped",
        "align_outside_not_counted", "ignores_spatial_scale", "swapped_xy", "ignores_batch_index",
        "pool_floor_corners", "pool_truncated_corners", "pool_python_round", "pool_no_plus_one",
        "pool_bin_end_floor", "pool_empty_bin_neg_inf"})


@pytest.mark.parametrize("mistake, case, words", [
    ("align_no_half_pixel_shift", "align_aligned", "the half-pixel shift is missing"),
    ("align_samples_at_bin_corners", "align_ratio_2", "the centre of its cell"),
    ("align_fixed_2x2_grid", "align_adaptive_grid", "the grid is adaptive"),
    ("align_roi_size_not_clamped", "align_point_roi", "the clamp is missing"),
    ("align_outside_not_counted", "align_outside_left_top", "left out of the mean"),
    ("align_empty_grid_nan", "align_empty_roi_aligned", "never divide by a count of 0"),
    ("pool_python_round", "pool_round_half_away", "halves away from zero"),
    ("pool_no_plus_one", "pool_interior", "roi_w = x2 - x1 + 1"),
    ("pool_empty_bin_neg_inf", "pool_empty_bins", "gave -inf: it is 0"),
    ("pool_bins_not_clipped", "pool_over_top_left", "wraps around"),
])
def test_hidden_cases_name_the_mistake_without_data(mistake, case, words):
    found = next(c for c in graded_wrong("roi_align", mistake).cases if c.name == case)
    assert found.hidden and not found.passed and words in found.message, found.message
