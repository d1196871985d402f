"""im2col / col2im: the reference against PyTorch unfold / fold (golden values, live when installed), against
the conv2d reference, as each other's adjoint, then the grading."""

from pathlib import Path

import numpy as np
import pytest

from grader import catalog
from wrong_attempts import assert_catalogue_holds, assert_reference_and_loops_pass, graded_wrong, assert_raised_by_the_contract

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "im2col.npz"
ref = catalog.get("im2col").reference()
conv2d = catalog.get("conv2d").reference().conv2d


def _geometries(seed, count):
    """Random (x shape, kernel, stride, padding, dilation) for which at least one window fits."""
    rng = np.random.default_rng(seed)
    found = []
    while len(found) < count:
        n, c, h, w = (int(v) for v in rng.integers(1, 4, size=2).tolist() + rng.integers(1, 9, size=2).tolist())
        kernel = tuple(int(v) for v in rng.integers(1, 4, size=2))
        stride = tuple(int(v) for v in rng.integers(1, 4, size=2))
        padding = tuple(int(v) for v in rng.integers(0, 3, size=2))
        dilation = tuple(int(v) for v in rng.integers(1, 3, size=2))
        if all(size + 2 * p >= d * (k - 1) + 1 for size, p, d, k in zip((h, w), padding, dilation, kernel)):
            found.append(((n, c, h, w), kernel, stride, padding, dilation))
    return found


# --- the reference against hand-derived values and the oracles ------------------------------------

def test_docstring_examples_by_hand():
    x = np.arange(1, 10).reshape(1, 1, 3, 3)
    # Column l is window (l // 2, l % 2); row a*2 + b is its tap (a, b).
    np.testing.assert_array_equal(ref.im2col(x, 2), [[[1, 2, 4, 5], [2, 3, 5, 6], [4, 5, 7, 8], [5, 6, 8, 9]]])
    np.testing.assert_array_equal(ref.im2col(np.arange(8).reshape(1, 2, 2, 2), (1, 2)),
                                  [[[0, 2], [1, 3], [4, 6], [5, 7]]])
    # Four 2x2 windows of a 3x3 image: the centre is in all four, edges in two, corners in one.
    np.testing.assert_array_equal(ref.col2im(np.ones((1, 4, 4)), (3, 3), 2), [[[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]])


def test_padding_and_dilation_by_hand():
    x = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    # Padding 1, 3x3 kernel: the top-left window is the padded image's top-left 3x3, read row by row.
    np.testing.assert_array_equal(ref.im2col(x, 3, padding=1)[0, :, 0], [0, 0, 0, 0, 1, 2, 0, 3, 4])
    # Dilation 2 on a 3x3 image with a 2x2 kernel reads only the four corners.
    y = np.arange(9.0).reshape(1, 1, 3, 3)
    np.testing.assert_array_equal(ref.im2col(y, 2, dilation=2), [[[0], [2], [6], [8]]])


def _golden_cases():
    data = np.load(GOLDEN, allow_pickle=False)
    for i, name in enumerate(data["names"].tolist()):
        kh, kw, sh, sw, ph, pw, dh, dw = (int(v) for v in data[f"{i}_params"])
        yield (name, data[f"{i}_x"], data[f"{i}_cols"], data[f"{i}_y"], data[f"{i}_folded"],
               dict(kernel_size=(kh, kw), stride=(sh, sw), padding=(ph, pw), dilation=(dh, dw)))


def test_golden_file_is_small_and_covers_the_issue():
    assert GOLDEN.stat().st_size < 100_000
    names = {case[0] for case in _golden_cases()}
    assert {"channels_nonsquare_kernel", "batch_of_3", "stride_pair", "stride_past_kernel", "padding_pair",
            "dilation_pair", "all_pairs", "kernel_1x1", "full_size_kernel"} <= names


@pytest.mark.parametrize("case", list(_golden_cases()), ids=lambda case: case[0])
def test_matches_torch_golden(case):
    name, x, cols, y, folded, kw = case
    np.testing.assert_allclose(ref.im2col(x, **kw), cols, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ref.col2im(y, x.shape[2:], **kw), folded, rtol=1e-10, atol=1e-12)


def test_matches_torch_live():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    rng = np.random.default_rng(5)
    for shape, kernel, stride, padding, dilation in _geometries(5, 30):
        kw = dict(kernel_size=kernel, stride=stride, padding=padding, dilation=dilation)
        x = rng.normal(size=shape)
        cols = F.unfold(torch.from_numpy(x), **kw).numpy()
        np.testing.assert_allclose(ref.im2col(x, **kw), cols, rtol=1e-10, atol=1e-12)
        y = rng.normal(size=cols.shape)
        folded = F.fold(torch.from_numpy(y), shape[2:], **kw).numpy()
        np.testing.assert_allclose(ref.col2im(y, shape[2:], **kw), folded, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_convolution_as_one_matrix_product_equals_conv2d(seed):
    # The contract's promise: weight.reshape(O, -1) @ im2col(x) is conv2d, held against the conv2d reference.
    rng = np.random.default_rng(seed)
    for shape, kernel, stride, padding, dilation in _geometries(100 + seed, 10):
        x = rng.normal(size=shape)
        weight = rng.normal(size=(3, shape[1], *kernel))
        cols = ref.im2col(x, kernel, stride=stride, padding=padding, dilation=dilation)
        expected = conv2d(x, weight, stride=stride, padding=padding, dilation=dilation)
        got = (weight.reshape(3, -1) @ cols).reshape(expected.shape)
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)


def test_col2im_is_the_adjoint_of_im2col():
    # <im2col(x), y> == <x, col2im(y)> for every x, y: fold is the transpose of unfold.
    rng = np.random.default_rng(9)
    for shape, kernel, stride, padding, dilation in _geometries(9, 30):
        kw = dict(kernel_size=kernel, stride=stride, padding=padding, dilation=dilation)
        x = rng.normal(size=shape)
        cols = ref.im2col(x, **kw)
        y = rng.normal(size=cols.shape)
        assert np.vdot(cols, y) == pytest.approx(np.vdot(x, ref.col2im(y, shape[2:], **kw)), rel=1e-12, abs=1e-12)


def test_col2im_is_the_gradient_of_im2col_by_finite_differences():
    # d<im2col(x), y>/dx is col2im(y); central differences of a linear map in float64 are exact to rounding.
    rng = np.random.default_rng(13)
    for shape, kernel, stride, padding, dilation in _geometries(13, 6):
        kw = dict(kernel_size=kernel, stride=stride, padding=padding, dilation=dilation)
        x = rng.normal(size=shape)
        y = rng.normal(size=ref.im2col(x, **kw).shape)
        grad = np.zeros_like(x)
        for index in np.ndindex(*shape):
            step = np.zeros_like(x)
            step[index] = 1e-6
            grad[index] = (np.vdot(ref.im2col(x + step, **kw), y) - np.vdot(ref.im2col(x - step, **kw), y)) / 2e-6
        np.testing.assert_allclose(ref.col2im(y, shape[2:], **kw), grad, rtol=1e-7, atol=1e-8)


def test_col2im_is_the_gradient_of_im2col_by_autograd():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(17)
    for shape, kernel, stride, padding, dilation in _geometries(17, 15):
        kw = dict(kernel_size=kernel, stride=stride, padding=padding, dilation=dilation)
        x = torch.from_numpy(rng.normal(size=shape)).requires_grad_()
        cols = torch.nn.functional.unfold(x, **kw)
        dy = rng.normal(size=tuple(cols.shape))
        cols.backward(torch.from_numpy(dy))
        np.testing.assert_allclose(ref.col2im(dy, shape[2:], **kw), x.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_output_dtype_and_list_input():
    out = ref.im2col([[[[1, 2], [3, 4]]]], 1)
    assert isinstance(out, np.ndarray) and out.dtype == np.float64
    np.testing.assert_array_equal(out, [[[1, 2, 3, 4]]])
    back = ref.col2im([[[1, 2, 3, 4]]], 2, 1)
    assert back.dtype == np.float64 and back.tolist() == [[[[1, 2], [3, 4]]]]


@pytest.mark.parametrize("call", [
    lambda: ref.im2col(np.ones((1, 1, 3, 5)), (4, 2)),                  # OH = 0
    lambda: ref.im2col(np.ones((1, 1, 6, 4)), 3, dilation=2),           # OW = (4 - 5) // 1 + 1 = 0
    lambda: ref.im2col(np.ones((1, 3, 3)), 2),                          # not (N, C, H, W)
    lambda: ref.im2col(np.ones((1, 1, 3, 3)), 2, stride=0),
    lambda: ref.col2im(np.ones((1, 4, 3)), (3, 3), 2),                  # L = 3, the geometry gives 4
    lambda: ref.col2im(np.ones((1, 4, 5)), (3, 3), 2),                  # L = 5
    lambda: ref.col2im(np.ones((1, 6, 4)), (3, 3), 2),                  # 6 rows, KH*KW = 4
    lambda: ref.col2im(np.ones((1, 4, 4)), (1, 1), 2),                  # the kernel does not fit
])
def test_bad_input_raises_value_error(call):
    with pytest.raises(ValueError) as raised:
        call()
    assert_raised_by_the_contract(raised)


def test_suite_sizes_fit_a_naive_loop():
    suite = catalog.get("im2col").suite()
    for seed in (0, 1, 2):
        for case in suite.cases(np.random.default_rng(seed)):
            try:
                out = getattr(ref, case.func)(*case.args, **case.kwargs)
            except ValueError:
                continue
            # One Python step per value im2col writes (col2im reads as many as it is given).
            size = out.size if case.func == "im2col" else np.asarray(case.args[0]).size
            assert size <= 3000, case.name


# --- grading ---------------------------------------------------------------------------------------

def test_reference_and_loop_answer_pass_within_limits():
    assert_reference_and_loops_pass("im2col", "im2col_loops")


def test_catalogue_has_the_classic_mistakes():
    assert_catalogue_holds("im2col", {"col2im_overwrites", "rows_kernel_first", "ignores_dilation", "ignores_padding"})


@pytest.mark.parametrize("mistake, case, words", [
    ("rows_kernel_first", "rows_channel_first", "channel first"),
    ("columns_column_major", "columns_row_by_row", "row by row"),
    ("ignores_dilation", "dilation_int", "the shape is wrong along L; expected (N, C*KH*KW, L)"),
    ("col2im_overwrites", "col2im_overlaps_summed", "overwrite each other"),
    ("rows_kernel_first", "col2im_channels", "channel first"),
])
def test_hidden_cases_name_the_mistake_without_data(mistake, case, words):
    found = next(c for c in graded_wrong("im2col", mistake).cases if c.name == case)
    assert found.hidden and words in found.message, found.message
