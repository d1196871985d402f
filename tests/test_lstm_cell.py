"""lstm_cell: the reference against torch.nn.LSTMCell (golden values, live when installed), then the grading."""

from pathlib import Path

import numpy as np
import pytest

from grader import catalog
from wrong_attempts import assert_catalogue_holds, assert_reference_and_loops_pass, graded_wrong, assert_raised_by_the_contract

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "lstm_cell.npz"
lstm_cell = catalog.get("lstm_cell").reference().lstm_cell


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# --- the reference against hand-derived values and the oracles ------------------------------------

def test_docstring_examples_by_hand():
    w_ih, w_hh = np.array([[1.0], [2.0], [-1.0], [0.0]]), np.zeros((4, 1))
    # x = 1, h = 0: the gates are the weights themselves, i = 1, f = 2, g = -1, o = 0.
    c_new = sigmoid(2) * 0.5 + sigmoid(1) * np.tanh(-1)
    h_new, got_c = lstm_cell([[1.0]], [[0.0]], [[0.5]], w_ih, w_hh)
    np.testing.assert_allclose(got_c, [[c_new]], rtol=1e-14)
    np.testing.assert_allclose(h_new, [[0.5 * np.tanh(c_new)]], rtol=1e-14)
    # Unbatched, with b_ih + b_hh adding 2 to the o gate only.
    h_new, got_c = lstm_cell([1.0], [0.0], [0.5], w_ih, w_hh, b_ih=[0, 0, 0, 1.0], b_hh=[0, 0, 0, 1.0])
    assert h_new.shape == got_c.shape == (1,)
    np.testing.assert_allclose(got_c, [c_new], rtol=1e-14)
    np.testing.assert_allclose(h_new, [sigmoid(2) * np.tanh(c_new)], rtol=1e-14)


def test_saturated_gates_by_hand():
    # Forget gate open and input gate shut: the cell state passes through; the output gate open: h = tanh(c).
    w_ih, w_hh = np.zeros((8, 1)), np.zeros((8, 2))
    b = np.repeat([-1e3, 1e3, 0.0, 1e3], 2)
    h_new, c_new = lstm_cell([[0.3]], [[0.1, 0.2]], [[0.7, -0.4]], w_ih, w_hh, b_ih=b)
    np.testing.assert_allclose(c_new, [[0.7, -0.4]], rtol=1e-14)
    np.testing.assert_allclose(h_new, np.tanh([[0.7, -0.4]]), rtol=1e-14)


def _golden_cases():
    data = np.load(GOLDEN, allow_pickle=False)
    for i, name in enumerate(data["names"].tolist()):
        biases = {b: data[f"{i}_{b}"] for b in ("b_ih", "b_hh") if f"{i}_{b}" in data.files}
        args = tuple(data[f"{i}_{a}"] for a in ("x", "h", "c", "w_ih", "w_hh"))
        yield name, args, biases, data[f"{i}_h_new"], data[f"{i}_c_new"]


def test_golden_file_is_small_and_covers_the_issue():
    assert GOLDEN.stat().st_size < 100_000
    names = {case[0] for case in _golden_cases()}
    assert {"batch_of_4", "batch_of_1", "hidden_size_1", "no_biases", "only_b_ih", "only_b_hh", "unbatched",
            "unbatched_no_biases", "large_preactivations"} <= names


@pytest.mark.parametrize("case", list(_golden_cases()), ids=lambda case: case[0])
def test_matches_torch_golden(case):
    name, args, biases, h_new, c_new = case
    got_h, got_c = lstm_cell(*args, **biases)
    np.testing.assert_allclose(got_h, h_new, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got_c, c_new, rtol=1e-10, atol=1e-12)


def test_matches_torch_live():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(8)
    for trial in range(30):
        input_size, hidden_size = (int(v) for v in rng.integers(1, 6, size=2))
        batched = trial % 3 != 0
        shape = (int(rng.integers(1, 5)),) if batched else ()
        scale = 100.0 if trial % 5 == 0 else 1.0
        x = rng.normal(size=(*shape, input_size))
        h, c = rng.normal(size=(*shape, hidden_size)), rng.normal(size=(*shape, hidden_size))
        cell = torch.nn.LSTMCell(input_size, hidden_size, dtype=torch.float64)
        with torch.no_grad():
            for p in cell.parameters():
                p.copy_(torch.from_numpy(scale * rng.normal(size=tuple(p.shape))))
            want_h, want_c = cell(torch.from_numpy(x), (torch.from_numpy(h), torch.from_numpy(c)))
        got_h, got_c = lstm_cell(x, h, c, cell.weight_ih.detach().numpy(), cell.weight_hh.detach().numpy(),
                                 cell.bias_ih.detach().numpy(), cell.bias_hh.detach().numpy())
        np.testing.assert_allclose(got_h, want_h.numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(got_c, want_c.numpy(), rtol=1e-10, atol=1e-12)


def test_huge_preactivations_stay_finite_without_overflow():
    # Every gate at +-1e4: no exp may overflow (underflow to 0 is harmless), the result is exact.
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        for x in (1.0, -1.0):
            h_new, c_new = lstm_cell([[x]], [[0.0]], [[0.0]], np.full((4, 1), 1e4), np.zeros((4, 1)))
            expected_c = np.tanh(1e4 * x) if x > 0 else 0.0   # i = sigmoid(+-1e4) is 1 or 0
            np.testing.assert_allclose(c_new, [[expected_c]], atol=1e-300)
            assert np.isfinite(h_new).all()


def test_output_dtype_and_list_input():
    h_new, c_new = lstm_cell([[1, 2]], [[0]], [[0]], [[0, 0]] * 4, [[0]] * 4)
    assert h_new.dtype == c_new.dtype == np.float64
    # All gates 0: c_new = 0.5 * 0 + 0.5 * tanh(0) = 0.
    np.testing.assert_array_equal(c_new, [[0.0]])


@pytest.mark.parametrize("shapes, biases", [
    (((2, 3), (2, 2), (2, 2), (6, 3), (8, 2)), {}),            # w_ih has 3*H rows
    (((2, 3), (2, 2), (2, 2), (7, 3), (7, 2)), {}),            # rows not a multiple of 4
    (((2, 4), (2, 2), (2, 2), (8, 3), (8, 2)), {}),            # x has I = 4, w_ih expects 3
    (((2, 3), (2, 2), (2, 3), (8, 3), (8, 2)), {}),            # c differs from h
    (((3,), (2, 2), (2, 2), (8, 3), (8, 2)), {}),              # unbatched x, batched state
    (((2, 3), (2,), (2,), (8, 3), (8, 2)), {}),                # batched x, unbatched state
    (((2, 3), (2, 2), (2, 2), (8, 3), (8, 3)), {}),            # w_hh not (4H, H)
    (((2, 3), (2, 2), (2, 2), (8, 3), (8, 2)), {"b_ih": np.ones(4)}),
])
def test_bad_input_raises_value_error(shapes, biases):
    with pytest.raises(ValueError) as raised:
        lstm_cell(*(np.ones(s) for s in shapes), **biases)
    assert_raised_by_the_contract(raised)


def test_suite_sizes_fit_a_naive_loop():
    suite = catalog.get("lstm_cell").suite()
    for case in suite.cases(np.random.default_rng(0)):
        x, h = np.atleast_2d(case.args[0]), np.atleast_2d(case.args[1])
        # Multiply-adds of the per-(sample, unit, gate) loop.
        assert x.shape[0] * 4 * h.shape[1] * (x.shape[1] + h.shape[1]) <= 1000, case.name


# --- grading ---------------------------------------------------------------------------------------

def test_reference_and_loop_answer_pass_within_limits():
    assert_reference_and_loops_pass("lstm_cell", "lstm_cell_loops")


def test_catalogue_has_the_classic_mistakes():
    assert_catalogue_holds("lstm_cell", {"gate_order_ifog", "candidate_sigmoid", "tanh_sigmoid_swapped",
                                         "c_new_from_h", "biases_ignored", "unbatched_not_supported"})


@pytest.mark.parametrize("mistake, case, words", [
    ("gate_order_ifog", "gate_order", "i (input), f (forget), g (candidate), o (output)"),
    ("candidate_sigmoid", "candidate_uses_tanh", "takes tanh, not sigmoid"),
    ("c_new_from_h", "forget_gate_keeps_c", "old CELL state"),
    ("h_new_from_old_c", "output_gate", "NEW cell state"),
    ("biases_ignored", "both_biases", "biases are missing"),
    ("b_hh_ignored", "both_biases", "b_hh is missing"),
    ("sigmoid_exp_ratio", "large_preactivations", "exp(-|z|)"),
])
def test_hidden_cases_name_the_mistake_without_data(mistake, case, words):
    found = next(c for c in graded_wrong("lstm_cell", mistake).cases if c.name == case)
    assert found.hidden and words in found.message, found.message
