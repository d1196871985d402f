"""conv2d: the reference against PyTorch (golden values, live when installed) and scipy, then the grading."""

from pathlib import Path

import numpy as np
import pytest
from scipy import signal

from grader import catalog
from wrong_attempts import assert_raised_by_the_contract
from grader.grading.attempt import grade_attempt

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = ROOT / "tests" / "golden" / "conv2d.npz"


@pytest.fixture(scope="module")
def conv2d():
    return catalog.get("conv2d").reference().conv2d


def scipy_conv2d(x, weight, bias=None, stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1):
    """Independent oracle: scipy.signal.correlate per (image, output channel, input channel) with the
    kernel dilated by inserting zeros, on the zero-padded input, then subsampled by the stride."""
    x, weight = np.asarray(x, dtype=np.float64), np.asarray(weight, dtype=np.float64)
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    n, c, _, _ = x.shape
    o, cg, kh, kw = weight.shape
    dilated = np.zeros((o, cg, dh * (kh - 1) + 1, dw * (kw - 1) + 1))
    dilated[:, :, ::dh, ::dw] = weight
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    og = o // groups
    rows = []
    for b in range(n):
        chans = []
        for oc in range(o):
            g = oc // og
            acc = sum(signal.correlate(xp[b, g * cg + ci], dilated[oc, ci], mode="valid") for ci in range(cg))
            acc = acc[::sh, ::sw]
            chans.append(acc + (0.0 if bias is None else bias[oc]))
        rows.append(chans)
    return np.array(rows)


# --- the reference against hand-derived values and the oracles ------------------------------------

def test_docstring_examples_by_hand(conv2d):
    x = np.arange(1, 10).reshape(1, 1, 3, 3)
    # Not flipped: out[i, j] = 1 * x[i, j] + 2 * x[i, j + 1]: 1+4, 2+6, 4+10, 5+12.
    np.testing.assert_array_equal(conv2d(x, [[[[1, 2], [0, 0]]]]), [[[[5, 8], [14, 17]]]])
    # Padded 5x5, stride 2: windows {0,0,0,1}, {0,0,2,3}, {0,4,0,7}, {5,6,8,9}, each plus bias 10.
    np.testing.assert_array_equal(conv2d(x, np.ones((1, 1, 2, 2)), bias=[10], stride=2, padding=1),
                                  [[[[11, 15], [21, 38]]]])


def test_depthwise_identity_kernels_by_hand(conv2d):
    # Depthwise with a centre-tap kernel and padding 1 copies each channel; bias shifts each one.
    x = np.arange(2 * 3 * 4 * 4, dtype=float).reshape(2, 3, 4, 4)
    weight = np.zeros((3, 1, 3, 3))
    weight[:, 0, 1, 1] = [1.0, 2.0, -1.0]
    out = conv2d(x, weight, [0.0, 1.0, 2.0], padding=1, groups=3)
    expected = x * np.array([1.0, 2.0, -1.0])[None, :, None, None] + np.array([0.0, 1.0, 2.0])[None, :, None, None]
    np.testing.assert_array_equal(out, expected)


def test_output_dtype_and_list_input(conv2d):
    out = conv2d([[[[1, 2], [3, 4]]]], [[[[1]]]], [1])
    assert isinstance(out, np.ndarray) and out.dtype == np.float64
    np.testing.assert_array_equal(out, [[[[2, 3], [4, 5]]]])


@pytest.mark.parametrize("kwargs", [
    dict(stride=1, padding=0, dilation=1, groups=1),
    dict(stride=(2, 1), padding=(1, 2), dilation=(2, 1), groups=1),
    dict(stride=3, padding=2, dilation=(1, 3), groups=2),
    dict(stride=(1, 2), padding=(0, 1), dilation=2, groups=4),
])
def test_matches_scipy_hand_picked(conv2d, kwargs):
    rng = np.random.default_rng(7)
    groups = kwargs["groups"]
    x = rng.normal(size=(2, 4, 9, 8))
    weight = rng.normal(size=(4, 4 // groups, 3, 2))
    bias = rng.normal(size=4)
    pair = lambda v: (v, v) if isinstance(v, int) else v  # noqa: E731
    expected = scipy_conv2d(x, weight, bias, pair(kwargs["stride"]), pair(kwargs["padding"]),
                            pair(kwargs["dilation"]), groups)
    np.testing.assert_allclose(conv2d(x, weight, bias, **kwargs), expected, rtol=1e-10, atol=1e-12)


def test_matches_scipy_random(conv2d):
    rng = np.random.default_rng(11)
    checked = 0
    while checked < 40:
        groups = int(rng.integers(1, 4))
        c, o = groups * int(rng.integers(1, 3)), groups * int(rng.integers(1, 4))
        n, h, w = (int(v) for v in rng.integers(1, 10, size=3))
        kh, kw = (int(v) for v in rng.integers(1, 5, size=2))
        stride = tuple(int(v) for v in rng.integers(1, 4, size=2))
        padding = tuple(int(v) for v in rng.integers(0, 3, size=2))
        dilation = tuple(int(v) for v in rng.integers(1, 3, size=2))
        if h + 2 * padding[0] < dilation[0] * (kh - 1) + 1 or w + 2 * padding[1] < dilation[1] * (kw - 1) + 1:
            continue
        x = rng.normal(size=(n, c, h, w))
        weight = rng.normal(size=(o, c // groups, kh, kw))
        bias = rng.normal(size=o) if rng.random() < 0.5 else None
        got = conv2d(x, weight, bias, stride=stride, padding=padding, dilation=dilation, groups=groups)
        np.testing.assert_allclose(got, scipy_conv2d(x, weight, bias, stride, padding, dilation, groups),
                                   rtol=1e-10, atol=1e-12)
        checked += 1


def _golden_cases():
    data = np.load(GOLDEN, allow_pickle=False)
    for i, name in enumerate(data["names"].tolist()):
        sh, sw, ph, pw, dh, dw, groups = (int(v) for v in data[f"{i}_params"])
        bias = data[f"{i}_bias"] if f"{i}_bias" in data.files else None
        yield name, data[f"{i}_x"], data[f"{i}_weight"], bias, (sh, sw), (ph, pw), (dh, dw), groups, data[f"{i}_out"]


def test_golden_file_is_small_and_covers_the_issue():
    assert GOLDEN.stat().st_size < 200_000
    names = {case[0] for case in _golden_cases()}
    assert {"stride_pair", "padding_pair", "dilation_pair", "all_pairs", "groups_2", "depthwise",
            "asymmetric_kernel_bias", "batch_of_3", "kernel_1x1", "full_size_kernel"} <= names


@pytest.mark.parametrize("case", list(_golden_cases()), ids=lambda case: case[0])
def test_matches_torch_golden(conv2d, case):
    name, x, weight, bias, stride, padding, dilation, groups, out = case
    got = conv2d(x, weight, bias, stride=stride, padding=padding, dilation=dilation, groups=groups)
    np.testing.assert_allclose(got, out, rtol=1e-10, atol=1e-12)
    # Equal pairs may also be spelled as ints.
    if len(set(stride)) == len(set(padding)) == len(set(dilation)) == 1:
        got = conv2d(x, weight, bias, stride=stride[0], padding=padding[0], dilation=dilation[0], groups=groups)
        np.testing.assert_allclose(got, out, rtol=1e-10, atol=1e-12)


def test_matches_torch_live(conv2d):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    for _ in range(25):
        groups = int(rng.integers(1, 4))
        c, o = groups * int(rng.integers(1, 3)), groups * int(rng.integers(1, 4))
        stride = tuple(int(v) for v in rng.integers(1, 4, size=2))
        padding = tuple(int(v) for v in rng.integers(0, 3, size=2))
        dilation = tuple(int(v) for v in rng.integers(1, 3, size=2))
        x = rng.normal(size=(int(rng.integers(1, 3)), c, 8, 9))
        weight = rng.normal(size=(o, c // groups, int(rng.integers(1, 4)), int(rng.integers(1, 4))))
        bias = rng.normal(size=o)
        expected = torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(weight), torch.from_numpy(bias),
                                              stride=stride, padding=padding, dilation=dilation, groups=groups)
        got = conv2d(x, weight, bias, stride=stride, padding=padding, dilation=dilation, groups=groups)
        np.testing.assert_allclose(got, expected.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("x_shape, w_shape, kwargs", [
    ((1, 3, 4, 4), (2, 1, 2, 2), dict(groups=2)),           # C = 3 not divisible by 2
    ((1, 4, 4, 4), (3, 2, 2, 2), dict(groups=2)),           # O = 3 not divisible by 2
    ((1, 3, 4, 4), (2, 2, 3, 3), dict()),                   # weight expects 2 channels, x has 3
    ((1, 1, 4, 6), (1, 1, 5, 3), dict()),                   # OH = (4 - 4 - 1) // 1 + 1 = 0
    ((1, 1, 3, 3), (1, 1, 5, 5), dict()),                   # OH = -1
    ((1, 1, 8, 6), (1, 1, 3, 3), dict(dilation=3)),         # OW = (6 - 6 - 1) // 1 + 1 = 0
    ((1, 1, 2, 2), (1, 1, 3, 3), dict(padding=(1, 0))),     # OW = (2 - 2 - 1) // 1 + 1 = 0
])
def test_bad_input_raises_value_error(conv2d, x_shape, w_shape, kwargs):
    with pytest.raises(ValueError) as raised:
        conv2d(np.ones(x_shape), np.ones(w_shape), **kwargs)
    assert_raised_by_the_contract(raised)


def test_suite_sizes_fit_a_naive_loop(conv2d):
    suite = catalog.get("conv2d").suite()
    for seed in (0, 1, 2):
        for case in suite.cases(np.random.default_rng(seed)):
            try:
                out = conv2d(*case.args, **case.kwargs)
            except ValueError:
                continue
            # Multiply-adds of the seven-loop answer: each output element reads one (C/g, KH, KW) kernel.
            assert out.size * np.asarray(case.args[1])[0].size <= 60_000, case.name


# --- grading ---------------------------------------------------------------------------------------

def _grade(path):
    result = grade_attempt("conv2d", path)
    return result, {c.name: c for c in result.cases}


def test_reference_and_naive_loops_pass():
    for path in (catalog.get("conv2d").solution_path, FIXTURES / "slow" / "conv2d_loops.py"):
        result, _ = _grade(path)
        assert result.passed, [(c.name, c.message) for c in result.cases if not c.passed]
        # The seven-loop answer must stay far inside the default 3 s per case.
        assert max(c.seconds for c in result.cases) < 1.0


def test_wrong_attempts_get_useful_messages():
    """Where a fixture fails is tests/test_mistakes.py's job; here, what the learner is told."""
    _, raised = _grade(FIXTURES / "wrong" / "conv2d" / "empty_output_not_raised.py")
    for name in ("output_size_zero", "dilation_output_size_zero"):
        assert "should raise ValueError" in raised[name].message
    # The public example shows where and by how much: out[0,0,0,0] is 1*1 + 2*2 = 5, flipped 2*4 + 1*5 = 13.
    _, flipped = _grade(FIXTURES / "wrong" / "conv2d" / "flip_kernel.py")
    message = flipped["docstring_no_flip"].message
    assert "expected 5, got 13" in message and "[0, 0, 0, 0]" in message
