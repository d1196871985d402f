"""dropout: the reference against PyTorch's semantics (golden values, live when installed), the mask
draw the contract states re-derived by hand, central finite differences, the checkers' diagnoses,
then the grading of the loop answer and the mistake catalogue."""

from pathlib import Path

import numpy as np
import pytest

from grader import catalog
from grader.exercises.dropout import suite as suite
from wrong_attempts import assert_catalogue_holds, assert_reference_and_loops_pass, assert_raised_by_the_contract

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "dropout.npz"
ref = catalog.get("dropout").reference()


# --- the contract's draw, by hand ------------------------------------------------------------------

def test_docstring_examples_by_hand():
    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    # default_rng(0).random((2, 3)) = [[0.637, 0.270, 0.041], [0.017, 0.813, 0.913]]: >= 0.5 kept, doubled.
    y, mask = ref.dropout(x, 0.5, True, 0)
    np.testing.assert_array_equal(mask, [[True, False, False], [False, True, True]])
    np.testing.assert_array_equal(y, [[2, 0, 0], [0, 10, 12]])
    assert mask.dtype == bool and y.dtype == np.float64
    y, mask = ref.dropout(x, 0.5, False, 0)
    np.testing.assert_array_equal(y, x)
    assert mask.all()
    np.testing.assert_array_equal(ref.dropout_backward(np.ones((2, 3)), mask & [[1, 0, 1], [0, 1, 1]], 0.75),
                                  [[4, 0, 4], [0, 4, 4]])


@pytest.mark.parametrize("shape, p, seed", [((4, 5), 0.3, 1), ((2, 3, 4), 0.7, 99), ((7,), 0.5, 12345)])
def test_mask_is_one_draw_kept_where_at_least_p(shape, p, seed):
    u = np.random.default_rng(seed).random(shape)
    y, mask = ref.dropout(np.ones(shape), p, True, seed)
    np.testing.assert_array_equal(mask, u >= p)
    np.testing.assert_allclose(y, np.where(u >= p, 1 / (1 - p), 0.0), rtol=1e-15)


def test_a_draw_equal_to_p_is_kept():
    u = np.random.default_rng(4).random((2, 2))
    _, mask = ref.dropout(np.ones((2, 2)), float(u[0, 0]), True, 4)
    assert mask[0, 0]


def test_keep_fraction_is_one_minus_p():
    for p in (0.1, 0.5, 0.9):
        _, mask = ref.dropout(np.ones(200_000), p, True, 3)
        assert abs(mask.mean() - (1 - p)) < 0.005


# --- torch's semantics -----------------------------------------------------------------------------

def _golden():
    data = np.load(GOLDEN, allow_pickle=False)
    for i, name in enumerate(data["names"].tolist()):
        yield name, {key.split("_", 1)[1]: data[key] for key in data.files if key.startswith(f"{i}_")}


def test_golden_file_is_small_and_covers_the_issue():
    assert GOLDEN.stat().st_size < 100_000
    assert {"p_0_5", "p_0", "p_1", "evaluation_p_0_5"} <= {name for name, _ in _golden()}


def _agrees_with_torch(x, dy, p, training, y_torch, grad_torch):
    """torch drew its own mask: on the elements torch kept, our backward pass must give torch's gradient,
    and our forward pass must scale kept elements exactly as torch did."""
    kept = y_torch != 0
    np.testing.assert_allclose(ref.dropout_backward(dy, kept, p) if training else dy, grad_torch,
                               rtol=1e-10, atol=1e-12)
    if not training:
        np.testing.assert_array_equal(ref.dropout(x, p, False, 0)[0], y_torch)
        return
    y, mask = ref.dropout(x, p, True, 0)
    np.testing.assert_array_equal(y[~mask], 0.0)
    if p < 1 and kept.any():
        np.testing.assert_allclose(y[mask] / x[mask], np.median(y_torch[kept] / x[kept]), rtol=1e-10)
    if p == 1:
        np.testing.assert_array_equal(y, y_torch)


@pytest.mark.parametrize("name, case", list(_golden()), ids=lambda v: v if isinstance(v, str) else "")
def test_matches_torch_golden(name, case):
    p, training = float(case["params"][0]), bool(case["params"][1])
    _agrees_with_torch(case["x"], case["dy"], p, training, case["y"], case["grad"])


def test_matches_torch_live():
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    rng = np.random.default_rng(10)
    for _ in range(30):
        shape = tuple(int(v) for v in rng.integers(1, 7, size=int(rng.integers(1, 4))))
        p, training = float(rng.choice([0.0, 0.1, 0.5, 0.9, 1.0, float(rng.random())])), bool(rng.random() < 0.8)
        x = rng.uniform(0.5, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)
        dy = rng.normal(size=shape)
        t = torch.from_numpy(x.copy()).requires_grad_(True)
        y = F.dropout(t, p=p, training=training)
        y.backward(torch.from_numpy(dy))
        _agrees_with_torch(x, dy, p, training, y.detach().numpy(), t.grad.numpy())
    for p in (-0.1, 1.5):
        with pytest.raises(ValueError):
            F.dropout(torch.ones(2), p=p)


def test_backward_matches_central_differences():
    rng = np.random.default_rng(2)
    x, dy = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    for p in (0.0, 0.3, 0.75, 1.0):
        _, mask = ref.dropout(x, p, True, 7)
        numeric, h = np.zeros_like(x), 1e-6
        for idx in np.ndindex(*x.shape):
            up, down = x.copy(), x.copy()
            up[idx] += h
            down[idx] -= h
            numeric[idx] = np.sum(dy * (ref.dropout(up, p, True, 7)[0] - ref.dropout(down, p, True, 7)[0])) / (2 * h)
        np.testing.assert_allclose(ref.dropout_backward(dy, mask, p), numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("call", [
    lambda: ref.dropout(np.ones(3), -0.1, True, 0),
    lambda: ref.dropout(np.ones(3), 1.5, True, 0),
    lambda: ref.dropout(np.ones(3), 1.5, False, 0),
    lambda: ref.dropout_backward(np.ones(3), np.ones(3, dtype=bool), 1.01),
    lambda: ref.dropout_backward(np.ones((2, 3)), np.ones((3, 2), dtype=bool), 0.5),
])
def test_bad_input_raises_value_error(call):
    with pytest.raises(ValueError) as raised:
        call()
    assert_raised_by_the_contract(raised)


def test_p_one_gives_zeros_not_nan():
    y, mask = ref.dropout(np.ones((2, 2)), 1.0, True, 0)
    assert not mask.any() and np.array_equal(y, np.zeros((2, 2)))
    assert np.array_equal(ref.dropout_backward(np.ones((2, 2)), mask, 1.0), np.zeros((2, 2)))


# --- the checkers ----------------------------------------------------------------------------------

def test_diagnosis_names_each_mistake_without_data():
    x = np.random.default_rng(0).normal(size=(4, 5)) + 2
    for training, p in ((True, 0.3), (False, 0.3)):
        expected = ref.dropout(x, p, training, 5)
        for text, switches in suite.DROPOUT_MISTAKES.items():
            actual = suite._dropout_variant(x, p, training, 5, **switches)
            problem = suite._diagnose((x, p, training, 5), {}, expected, actual)
            if suite._forward(expected, actual) is None:
                continue  # this mistake does not show in this mode (or needs a draw equal to p)
            assert problem.safe and problem.text == text, (training, text, problem)
    dy, mask = np.ones((2, 3)), np.array([[True, False, True], [True, True, False]])
    expected = ref.dropout_backward(dy, mask, 0.5)
    assert "1 / (1 - p)" in suite.check_backward(expected, dy * mask, p=0.5).text
    assert "twice" in suite.check_backward(expected, expected * 2, p=0.5).text
    assert suite.check_backward(expected, expected, p=0.5) is None


def test_mask_checker():
    mask = np.array([True, False, True])
    assert suite.check_mask(mask, np.array([1, 0, 1])) is None
    assert suite.check_mask(mask, mask.astype(float)) is None
    assert "scaled" in suite.check_mask(mask, np.array([2.0, 0.0, 2.0])).text
    for actual in (None, "x", np.ones(2), [[1], [1, 2]], ~mask):
        assert suite.check_mask(mask, actual).safe


# --- grading ---------------------------------------------------------------------------------------

def test_reference_and_loop_answer_pass_within_limits():
    assert_reference_and_loops_pass("dropout", "dropout_loops")


def test_catalogue_has_the_classic_mistakes():
    assert_catalogue_holds("dropout", {"no_inverse_scaling", "scales_in_evaluation", "keep_greater_than_p",
                                       "legacy_global_rng", "p_one_divides_by_zero", "p_not_validated"})
