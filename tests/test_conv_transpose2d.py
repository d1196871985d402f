"""conv_transpose2d: the reference against PyTorch (golden values, live when installed), as the gradient of
conv2d with respect to its input (autograd and central finite differences), then the grading."""

from pathlib import Path

import numpy as np
import pytest

from grader import catalog
from wrong_attempts import assert_catalogue_holds, assert_reference_and_loops_pass, graded_wrong, assert_raised_by_the_contract

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "conv_transpose2d.npz"
conv_transpose2d = catalog.get("conv_transpose2d").reference().conv_transpose2d
conv2d = catalog.get("conv2d").reference().conv2d


def _conv_geometries(seed, count):
    """Random conv2d problems (x shape, weight shape, stride, padding, dilation, groups) whose output fits,
    with the output_padding that makes conv_transpose2d give back x's size."""
    rng = np.random.default_rng(seed)
    found = []
    while len(found) < count:
        groups = int(rng.integers(1, 3))
        c, o = groups * int(rng.integers(1, 3)), groups * int(rng.integers(1, 3))
        h, w = (int(v) for v in rng.integers(2, 8, size=2))
        kh, kw = (int(v) for v in rng.integers(1, 4, size=2))
        stride = tuple(int(v) for v in rng.integers(1, 4, size=2))
        padding = tuple(int(v) for v in rng.integers(0, 2, size=2))
        dilation = tuple(int(v) for v in rng.integers(1, 3, size=2))
        rests = [size + 2 * p - d * (k - 1) - 1 for size, p, d, k in zip((h, w), padding, dilation, (kh, kw))]
        if min(rests) < 0:
            continue
        # The rows conv2d's stride skipped at the end come back as output_padding; torch accepts it only
        # below max(stride, dilation), which the remainder of a division by the stride always is.
        output_padding = tuple(r % s for r, s in zip(rests, stride))
        found.append(((int(rng.integers(1, 3)), c, h, w), (o, c // groups, kh, kw), stride, padding, dilation,
                      groups, output_padding))
    return found


# --- the reference against hand-derived values and the oracles ------------------------------------

def test_docstring_examples_by_hand():
    x = np.array([[[[1, 2], [3, 4]]]])
    # Each pixel v adds [[v, 2v], [0, 0]] with its top-left corner at its own position.
    np.testing.assert_array_equal(conv_transpose2d(x, [[[[1, 2], [0, 0]]]]),
                                  [[[[1, 2 + 2, 4], [3, 6 + 4, 8], [0, 0, 0]]]])
    np.testing.assert_array_equal(conv_transpose2d(x, np.ones((1, 1, 1, 1)), stride=2, output_padding=1),
                                  [[[[1, 0, 2, 0], [0, 0, 0, 0], [3, 0, 4, 0], [0, 0, 0, 0]]]])
    out = conv_transpose2d([[[[1]], [[10]]]], np.arange(6).reshape(2, 3, 1, 1))
    np.testing.assert_array_equal(out, np.array([30, 41, 52]).reshape(1, 3, 1, 1))


def test_padding_and_output_padding_by_hand():
    # A 1x1 input and a 3x3 kernel give the kernel; padding 1 crops it to its centre; output_padding
    # (allowed by stride 2) adds a row below and a column to the right holding only the bias.
    kernel = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    np.testing.assert_array_equal(conv_transpose2d([[[[2.0]]]], kernel), 2 * kernel)
    np.testing.assert_array_equal(conv_transpose2d([[[[2.0]]]], kernel, padding=1), [[[[10.0]]]])
    np.testing.assert_array_equal(conv_transpose2d([[[[2.0]]]], kernel, [1.0], stride=2, padding=1, output_padding=1),
                                  [[[[11.0, 13.0], [17.0, 19.0]]]])


def _golden_cases():
    data = np.load(GOLDEN, allow_pickle=False)
    for i, name in enumerate(data["names"].tolist()):
        sh, sw, ph, pw, oph, opw, dh, dw, groups = (int(v) for v in data[f"{i}_params"])
        bias = data[f"{i}_bias"] if f"{i}_bias" in data.files else None
        yield (name, data[f"{i}_x"], data[f"{i}_weight"], bias,
               dict(stride=(sh, sw), padding=(ph, pw), output_padding=(oph, opw), dilation=(dh, dw), groups=groups),
               data[f"{i}_out"])


def test_golden_file_is_small_and_covers_the_issue():
    assert GOLDEN.stat().st_size < 100_000
    names = {case[0] for case in _golden_cases()}
    assert {"channels_bias", "stride_pair", "padding_pair", "output_padding", "output_padding_pair",
            "output_padding_doubles_size", "output_padding_below_dilation", "dilation_pair", "all_pairs",
            "groups_2", "groups_2_three_out_each", "depthwise"} <= names


@pytest.mark.parametrize("case", list(_golden_cases()), ids=lambda case: case[0])
def test_matches_torch_golden(case):
    name, x, weight, bias, kwargs, out = case
    np.testing.assert_allclose(conv_transpose2d(x, weight, bias, **kwargs), out, rtol=1e-10, atol=1e-12)


def test_matches_torch_live():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    rng = np.random.default_rng(4)
    for _ in range(40):
        groups = int(rng.integers(1, 4))
        c, cog = groups * int(rng.integers(1, 3)), int(rng.integers(1, 3))
        stride = tuple(int(v) for v in rng.integers(1, 4, size=2))
        padding = tuple(int(v) for v in rng.integers(0, 2, size=2))
        dilation = tuple(int(v) for v in rng.integers(1, 3, size=2))
        output_padding = tuple(int(rng.integers(0, max(s, d))) for s, d in zip(stride, dilation))
        x = rng.normal(size=(int(rng.integers(1, 3)), c, 4, 5))
        weight = rng.normal(size=(c, cog, int(rng.integers(1, 4)), int(rng.integers(1, 4))))
        bias = rng.normal(size=cog * groups)
        kwargs = dict(stride=stride, padding=padding, output_padding=output_padding, dilation=dilation, groups=groups)
        expected = F.conv_transpose2d(torch.from_numpy(x), torch.from_numpy(weight), torch.from_numpy(bias), **kwargs)
        np.testing.assert_allclose(conv_transpose2d(x, weight, bias, **kwargs), expected.numpy(),
                                   rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_is_the_gradient_of_conv2d_by_finite_differences(seed):
    # d<conv2d(x, w), dy>/dx is conv_transpose2d(dy, w) with the same stride, padding, dilation and groups.
    rng = np.random.default_rng(seed)
    for x_shape, w_shape, stride, padding, dilation, groups, output_padding in _conv_geometries(seed, 4):
        x, weight = rng.normal(size=x_shape), rng.normal(size=w_shape)
        kw = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)
        dy = rng.normal(size=conv2d(x, weight, **kw).shape)
        grad = np.zeros_like(x)
        for index in np.ndindex(*x_shape):
            step = np.zeros_like(x)
            step[index] = 1e-6
            up, down = conv2d(x + step, weight, **kw), conv2d(x - step, weight, **kw)
            grad[index] = (np.vdot(up, dy) - np.vdot(down, dy)) / 2e-6
        got = conv_transpose2d(dy, weight, output_padding=output_padding, **kw)
        np.testing.assert_allclose(got, grad, rtol=1e-6, atol=1e-7)


def test_is_the_gradient_of_conv2d_by_autograd():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(12)
    for x_shape, w_shape, stride, padding, dilation, groups, output_padding in _conv_geometries(12, 25):
        x = torch.from_numpy(rng.normal(size=x_shape)).requires_grad_()
        weight = rng.normal(size=w_shape)
        kw = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)
        y = torch.nn.functional.conv2d(x, torch.from_numpy(weight), **kw)
        dy = rng.normal(size=tuple(y.shape))
        y.backward(torch.from_numpy(dy))
        got = conv_transpose2d(dy, weight, output_padding=output_padding, **kw)
        np.testing.assert_allclose(got, x.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_output_dtype_and_list_input():
    out = conv_transpose2d([[[[1, 2]]]], [[[[1]]]], [1])
    assert isinstance(out, np.ndarray) and out.dtype == np.float64
    np.testing.assert_array_equal(out, [[[[2, 3]]]])


@pytest.mark.parametrize("x_shape, w_shape, kwargs", [
    ((1, 1, 2, 2), (1, 1, 3, 3), dict(stride=2, output_padding=2)),                # equal to the stride
    ((1, 1, 2, 2), (1, 1, 2, 2), dict(output_padding=1)),                          # stride = dilation = 1
    ((1, 1, 2, 2), (1, 1, 2, 2), dict(stride=(2, 1), output_padding=(0, 1))),      # the width's is too large
    ((1, 1, 2, 2), (1, 1, 2, 2), dict(dilation=2, output_padding=2)),              # equal to the dilation
    ((1, 3, 2, 2), (2, 3, 2, 2), dict()),                                          # weight.shape[0] != C_in
    ((1, 3, 2, 2), (3, 1, 2, 2), dict(groups=2)),                                  # C_in not divisible
    ((1, 1, 1, 3), (1, 1, 2, 2), dict(padding=1)),                                 # OH = 0
    ((1, 1, 1, 1), (1, 1, 1, 1), dict(padding=1)),                                 # OH = -1
    ((1, 2, 2, 2), (2, 1, 2, 2), dict(stride=0)),
])
def test_bad_input_raises_value_error(x_shape, w_shape, kwargs):
    with pytest.raises(ValueError) as raised:
        conv_transpose2d(np.ones(x_shape), np.ones(w_shape), **kwargs)
    assert_raised_by_the_contract(raised)


def test_output_padding_below_dilation_is_allowed():
    out = conv_transpose2d(np.ones((1, 1, 2, 2)), np.ones((1, 1, 2, 2)), dilation=2, output_padding=(1, 0))
    assert out.shape == (1, 1, 5, 4)
    assert not out[0, 0, -1].any()  # the output padding row holds nothing but the (absent) bias


def test_suite_sizes_fit_a_naive_loop():
    suite = catalog.get("conv_transpose2d").suite()
    for seed in (0, 1, 2):
        for case in suite.cases(np.random.default_rng(seed)):
            x, weight = np.asarray(case.args[0]), np.asarray(case.args[1])
            # Multiply-adds of the eight-loop answer: every input value times one (C_out/g, KH, KW) block.
            assert x.size * weight[0].size <= 3000, case.name


# --- grading ---------------------------------------------------------------------------------------

def test_reference_and_loop_answer_pass_within_limits():
    assert_reference_and_loops_pass("conv_transpose2d", "conv_transpose2d_loops")


def test_catalogue_has_the_classic_mistakes():
    assert_catalogue_holds("conv_transpose2d", {"weight_read_as_conv_layout", "kernel_flipped",
                                                "zero_insertion_without_flip", "output_padding_at_top_left",
                                                "output_padding_not_checked", "groups_output_block_wrong"})


@pytest.mark.parametrize("mistake, case, words", [
    ("kernel_flipped", "no_flip", "rotated by 180 degrees"),
    ("zero_insertion_without_flip", "no_flip", "needs the flip"),
    ("weight_read_as_conv_layout", "weight_layout_square", "(C_in, C_out // groups, KH, KW)"),
    ("output_padding_at_top_left", "output_padding_doubles_size", "bottom and columns at the right"),
    ("bias_per_contribution", "bias_once_per_pixel", "once to each output pixel"),
    ("groups_output_block_wrong", "groups_2", "its own output block"),
    ("output_padding_ignored", "output_padding_int", "the shape is wrong along OH, OW"),
])
def test_hidden_cases_name_the_mistake_without_data(mistake, case, words):
    found = next(c for c in graded_wrong("conv_transpose2d", mistake).cases if c.name == case)
    assert found.hidden and words in found.message, found.message
