"""pooling: the reference against PyTorch (golden values, live when installed), central finite
differences and brute force, the tie rule, the checkers' diagnoses, then the grading of the loop
answer and the mistake catalogue."""

from pathlib import Path

import numpy as np
import pytest

from grader import catalog
from grader.exercises.pooling import suite as suite
from wrong_attempts import assert_catalogue_holds, assert_reference_and_loops_pass, assert_raised_by_the_contract

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "pooling.npz"
ref = catalog.get("pooling").reference()


# --- the reference against hand-derived values and the oracles ------------------------------------

def test_docstring_examples_by_hand():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    np.testing.assert_array_equal(ref.max_pool2d(x, 2), [[[[5, 7], [13, 15]]]])
    np.testing.assert_array_equal(ref.avg_pool2d(x, 2), [[[[2.5, 4.5], [10.5, 12.5]]]])
    neg = np.array([[[[-1.0, -2.0], [-3.0, -4.0]]]])
    # Every window of the padded 4x4 holds a real cell; padding (-inf) never wins.
    np.testing.assert_array_equal(ref.max_pool2d(neg, 2, stride=1, padding=1),
                                  [[[[-1, -1, -2], [-1, -1, -2], [-3, -3, -4]]]])
    np.testing.assert_array_equal(ref.avg_pool2d(neg, 2, stride=1, padding=1),
                                  np.array([[[[-1, -3, -2], [-4, -10, -6], [-3, -7, -4]]]]) / 4)
    ties = np.array([[[[1.0, 5.0, 5.0], [5.0, 2.0, 5.0], [0.0, 5.0, 1.0]]]])
    np.testing.assert_array_equal(ref.max_pool2d_backward(np.ones((1, 1, 2, 2)), ties, 2, stride=1),
                                  [[[[0, 2, 0], [1, 0, 1], [0, 0, 0]]]])
    np.testing.assert_array_equal(ref.avg_pool2d_backward(np.ones((1, 1, 2, 2)), (1, 1, 3, 3), 2, stride=1),
                                  np.array([[[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]]) / 4)


def _golden():
    data = np.load(GOLDEN, allow_pickle=False)
    for i, name in enumerate(data["names"].tolist()):
        kh, kw, sh, sw, ph, pw = (int(v) for v in data[f"{i}_params"])
        yield name, dict(kernel_size=(kh, kw), stride=(sh, sw), padding=(ph, pw)), {
            key.split("_", 1)[1]: data[key] for key in data.files if key.startswith(f"{i}_")}


def test_golden_file_is_small_and_covers_the_issue():
    assert GOLDEN.stat().st_size < 100_000
    names = {name for name, _, _ in _golden()}
    assert {"ties_overlapping", "ties_padded", "constant_plane_padded", "negative_padded", "padding_pair"} <= names


@pytest.mark.parametrize("name, params, case", list(_golden()), ids=lambda v: v if isinstance(v, str) else "")
def test_matches_torch_golden(name, params, case):
    x, dy = case["x"], case["dy"]
    np.testing.assert_allclose(ref.max_pool2d(x, **params), case["max"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ref.avg_pool2d(x, **params), case["avg"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ref.max_pool2d_backward(dy, x, **params), case["dmax"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ref.avg_pool2d_backward(dy, x.shape, **params), case["davg"], rtol=1e-10, atol=1e-12)


def test_matches_torch_live():
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    rng = np.random.default_rng(9)
    checked = 0
    while checked < 40:
        kernel = tuple(int(v) for v in rng.integers(1, 4, size=2))
        stride = tuple(int(v) for v in rng.integers(1, 4, size=2))
        padding = tuple(int(rng.integers(0, k // 2 + 1)) for k in kernel)
        shape = (int(rng.integers(1, 3)), int(rng.integers(1, 3))) + tuple(int(v) for v in rng.integers(1, 8, size=2))
        if any(s + 2 * p < k for s, p, k in zip(shape[2:], padding, kernel)):
            continue
        x = rng.integers(-2, 2, size=shape).astype(np.float64) if checked % 2 else rng.normal(size=shape)
        for pool, forward, backward, first in (("max", ref.max_pool2d, ref.max_pool2d_backward, x),
                                               ("avg", ref.avg_pool2d, ref.avg_pool2d_backward, shape)):
            t = torch.from_numpy(x.copy()).requires_grad_(True)
            y = (F.max_pool2d(t, kernel, stride, padding) if pool == "max"
                 else F.avg_pool2d(t, kernel, stride, padding, count_include_pad=True))
            dy = rng.normal(size=tuple(y.shape))
            y.backward(torch.from_numpy(dy))
            np.testing.assert_allclose(forward(x, kernel, stride, padding), y.detach().numpy(), rtol=1e-10, atol=1e-12)
            np.testing.assert_allclose(backward(dy, first, kernel, stride, padding), t.grad.numpy(),
                                       rtol=1e-10, atol=1e-12)
        checked += 1


def test_torch_cpu_routes_a_tie_to_the_first_maximum_in_row_major_order():
    """The rule the stub states, checked against the installed torch: in each window below the tied
    maxima sit at different row-major ranks, and the whole gradient lands on the first."""
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    x = np.array([[[[0.0, 7.0, 1.0, 0.0],
                    [7.0, 7.0, 0.0, 1.0],
                    [2.0, 0.0, 3.0, 3.0],
                    [0.0, 2.0, 3.0, 3.0]]]])
    t = torch.from_numpy(x.copy()).requires_grad_(True)
    F.max_pool2d(t, 2).backward(torch.ones(1, 1, 2, 2, dtype=torch.float64))
    expected = np.zeros_like(x)
    expected[0, 0, 0, 1] = expected[0, 0, 0, 2] = expected[0, 0, 2, 0] = expected[0, 0, 2, 2] = 1.0
    np.testing.assert_array_equal(t.grad.numpy(), expected)
    np.testing.assert_array_equal(ref.max_pool2d_backward(np.ones((1, 1, 2, 2)), x, 2), expected)


def _brute_force(x, kernel, stride, padding, pool):
    """Windows cut from an explicitly padded array (-inf for max, 0 for average)."""
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=-np.inf if pool == "max" else 0.0)
    oh, ow = (xp.shape[2] - kh) // sh + 1, (xp.shape[3] - kw) // sw + 1
    out = np.zeros(x.shape[:2] + (oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw]
            out[:, :, i, j] = patch.max(axis=(2, 3)) if pool == "max" else patch.sum(axis=(2, 3)) / (kh * kw)
    return out


@pytest.mark.parametrize("seed", range(4))
def test_forward_matches_brute_force_and_gradients_match_central_differences(seed):
    rng = np.random.default_rng(seed)
    kernel, stride, padding = (3, 2), (2, 1), (1, 1)
    x = rng.permutation(60).reshape(1, 2, 5, 6) / 7.0  # distinct values: no ties, the max is differentiable
    dy_shape = ref.max_pool2d(x, kernel, stride, padding).shape
    dy = rng.normal(size=dy_shape)
    for pool, forward, backward, first in (("max", ref.max_pool2d, ref.max_pool2d_backward, x),
                                           ("avg", ref.avg_pool2d, ref.avg_pool2d_backward, x.shape)):
        np.testing.assert_allclose(forward(x, kernel, stride, padding), _brute_force(x, kernel, stride, padding, pool),
                                   rtol=1e-12)
        numeric, h = np.zeros_like(x), 1e-6
        for idx in np.ndindex(*x.shape):
            up, down = x.copy(), x.copy()
            up[idx] += h
            down[idx] -= h
            numeric[idx] = np.sum(dy * (forward(up, kernel, stride, padding) - forward(down, kernel, stride, padding)))
        np.testing.assert_allclose(backward(dy, first, kernel, stride, padding), numeric / (2 * h),
                                   rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("call", [
    lambda: ref.max_pool2d(np.ones((1, 4, 4)), 2),
    lambda: ref.max_pool2d(np.ones((1, 1, 4, 4)), 2, padding=2),
    lambda: ref.avg_pool2d(np.ones((1, 1, 4, 4)), 3, padding=(0, 2)),
    lambda: ref.avg_pool2d(np.ones((1, 1, 2, 5)), 3),
    lambda: ref.max_pool2d(np.ones((1, 1, 4, 4)), 0),
    lambda: ref.max_pool2d(np.ones((1, 1, 4, 4)), 2, stride=0),
    lambda: ref.max_pool2d(np.ones((1, 1, 4, 4)), 2, padding=-1),
    lambda: ref.max_pool2d_backward(np.ones((1, 1, 3, 3)), np.ones((1, 1, 4, 4)), 2),
    lambda: ref.avg_pool2d_backward(np.ones((1, 1, 2, 3)), (1, 1, 4, 4), 2),
    lambda: ref.avg_pool2d_backward(np.ones((1, 1, 2, 2)), (4, 4), 2),
])
def test_bad_input_raises_value_error(call):
    with pytest.raises(ValueError) as raised:
        call()
    assert_raised_by_the_contract(raised)


# --- the checkers ----------------------------------------------------------------------------------

def test_diagnosis_names_each_mistake_without_data():
    by_name = {c.name: c for c in suite.cases(np.random.default_rng(0))}
    mistakes = {"max_padding_negative": dict(pad_is_zero=True), "avg_padding_counts_pad": dict(exclude_pad=True),
                "max_backward_ties": dict(ties="all"), "max_backward_constant_plane": dict(ties="last"),
                "max_backward_overlap_sum": dict(overwrite=True), "avg_backward_overlap": dict(divisor="none"),
                "avg_backward_padding": dict(divisor="cells")}
    for name, switches in mistakes.items():
        case = by_name[name]
        variant, texts = suite.VARIANTS[case.func]
        expected = getattr(ref, case.func)(*case.args, **case.kwargs)
        problem = case.check(expected, variant(*case.args, **case.kwargs, **switches))
        assert problem.safe and problem.text in texts and texts[problem.text] == switches, name
        assert case.check(expected, expected) is None


def test_checkers_never_raise_on_odd_values():
    for case in suite.cases(np.random.default_rng(0))[:6]:
        expected = getattr(ref, case.func)(*case.args, **case.kwargs)
        for actual in (None, 1.0, "x", [[1], [1, 2]], np.ones((2, 2)), np.full(np.shape(expected), np.nan)):
            problem = case.check(expected, actual)
            assert problem is not None
        assert case.check(expected, np.ones((1, 1, 9, 9))).safe  # a wrong shape is explained without data


# --- grading ---------------------------------------------------------------------------------------

def test_reference_and_loop_answer_pass_within_limits():
    assert_reference_and_loops_pass("pooling", "pooling_loops")


def test_catalogue_has_the_classic_mistakes():
    assert_catalogue_holds("pooling", {"max_grad_to_every_tie", "max_pads_with_zero", "avg_excludes_padding",
                                       "output_size_ignores_padding"})
