"""softmax_ce: the reference against PyTorch (golden values, live when installed) and central finite
differences, the checkers' messages, then the grading of the loop answer and the mistake catalogue."""

from pathlib import Path

import numpy as np
import pytest

from grader import catalog
from grader.exercises.softmax_ce import suite as suite
from wrong_attempts import assert_catalogue_holds, assert_reference_and_loops_pass, assert_raised_by_the_contract

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "softmax_ce.npz"
ref = catalog.get("softmax_ce").reference()


# --- the reference against hand-derived values and the oracles ------------------------------------

def test_docstring_examples_by_hand():
    e = np.exp([1.0, 2.0, 3.0])
    np.testing.assert_allclose(ref.softmax(np.array([[1.0, 2.0, 3.0], [1e4, 0.0, -1e4]])),
                               [e / e.sum(), [1.0, 0.0, 0.0]], rtol=1e-15)
    np.testing.assert_allclose(ref.softmax([[0.0, 0.0], [0.0, np.log(3)]], axis=0),
                               [[0.5, 0.25], [0.5, 0.75]], rtol=1e-15)
    loss, grad = ref.cross_entropy(np.array([[0.0, 0.0], [0.0, 1e4], [3.0, 1.0]]), np.array([1, 0, -100]))
    assert loss == pytest.approx((np.log(2) + 1e4) / 2, rel=1e-15)
    np.testing.assert_array_equal(grad, [[0.25, -0.25], [-0.5, 0.5], [0.0, 0.0]])


def _golden():
    data = np.load(GOLDEN, allow_pickle=False)
    soft = [(str(name), data[f"s{i}_x"], int(data[f"s{i}_axis"]), data[f"s{i}_out"])
            for i, name in enumerate(data["softmax_names"])]
    ce = [(str(name), data[f"c{i}_logits"], data[f"c{i}_labels"], int(data[f"c{i}_ignore"]),
           float(data[f"c{i}_loss"]), data[f"c{i}_grad"]) for i, name in enumerate(data["ce_names"])]
    return soft, ce


def test_golden_file_is_small_and_covers_the_issue():
    assert GOLDEN.stat().st_size < 100_000
    soft, ce = _golden()
    assert {"huge_logits", "columns", "middle_axis_3d"} <= {c[0] for c in soft}
    assert {"huge_logits", "ignored_rows", "custom_ignore_index", "all_ignored"} <= {c[0] for c in ce}


@pytest.mark.parametrize("case", _golden()[0], ids=lambda c: c[0])
def test_softmax_matches_torch_golden(case):
    _, x, axis, out = case
    np.testing.assert_allclose(ref.softmax(x, axis=axis), out, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("case", _golden()[1], ids=lambda c: c[0])
def test_cross_entropy_matches_torch_golden(case):
    _, logits, labels, ignore, loss, grad = case
    got_loss, got_grad = ref.cross_entropy(logits, labels, ignore_index=ignore)
    np.testing.assert_allclose(got_loss, loss, rtol=1e-10, atol=1e-12)  # nan matches nan
    np.testing.assert_allclose(got_grad, grad, rtol=1e-10, atol=1e-12)


def test_matches_torch_live():
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    rng = np.random.default_rng(5)
    for _ in range(40):
        n, c = int(rng.integers(1, 9)), int(rng.integers(1, 7))
        logits = rng.normal(scale=float(rng.choice([1.0, 30.0, 1e4])), size=(n, c))
        ignore = int(rng.choice([-100, -1, 0]))
        labels = rng.integers(0, c, size=n)
        labels[rng.random(n) < 0.3] = ignore
        t = torch.from_numpy(logits).requires_grad_(True)
        expected = F.cross_entropy(t, torch.from_numpy(labels), ignore_index=ignore)
        expected.backward()
        loss, grad = ref.cross_entropy(logits, labels, ignore_index=ignore)
        np.testing.assert_allclose(loss, expected.item(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(grad, t.grad.numpy(), rtol=1e-10, atol=1e-12)
        axis = int(rng.integers(-2, 2))
        np.testing.assert_allclose(ref.softmax(logits, axis=axis), torch.softmax(t.detach(), dim=axis).numpy(),
                                   rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_gradient_matches_central_differences(seed):
    rng = np.random.default_rng(seed)
    n, c = int(rng.integers(1, 6)), int(rng.integers(2, 6))
    logits = rng.normal(scale=2.0, size=(n, c))
    labels = rng.integers(0, c, size=n)
    labels[0] = -100 if n > 1 else labels[0]
    _, grad = ref.cross_entropy(logits, labels)
    h, numeric = 1e-6, np.zeros_like(logits)
    for idx in np.ndindex(*logits.shape):
        up, down = logits.copy(), logits.copy()
        up[idx] += h
        down[idx] -= h
        numeric[idx] = (ref.cross_entropy(up, labels)[0] - ref.cross_entropy(down, labels)[0]) / (2 * h)
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)


def test_stable_for_huge_logits():
    loss, grad = ref.cross_entropy(np.array([[1e4, -1e4]]), np.array([1]))
    assert loss == 2e4 and np.all(np.isfinite(grad))
    assert np.all(np.isfinite(ref.softmax(np.full((2, 3), -1e4))))


@pytest.mark.parametrize("call", [
    lambda: ref.softmax(3.0),
    lambda: ref.softmax(np.ones((2, 3)), axis=2),
    lambda: ref.softmax(np.ones(3), axis=-2),
    lambda: ref.cross_entropy(np.zeros((2, 3)), np.array([0, 3])),
    lambda: ref.cross_entropy(np.zeros((2, 3)), np.array([0, -1])),
    lambda: ref.cross_entropy(np.zeros((2, 3)), np.array([0, 1, 2])),
    lambda: ref.cross_entropy(np.zeros(3), np.array([0])),
    lambda: ref.cross_entropy(np.zeros((2, 3)), np.array([0.0, 1.0])),
])
def test_bad_input_raises_value_error(call):
    with pytest.raises(ValueError) as raised:
        call()
    assert_raised_by_the_contract(raised)


# --- the checkers ------------------------------------------------------------------------------------

def test_checkers_name_the_mistake_without_data():
    x = np.array([[1e4, 0.0], [1.0, 2.0]])
    nan = suite.check_softmax(ref.softmax(x), np.array([[np.nan, 0.0], [0.27, 0.73]]))
    assert nan.safe and "maximum" in nan.text
    wrong_axis = suite.check_softmax(ref.softmax(np.array([[1.0, 2.0], [3.0, 5.0]]), axis=0),
                                     ref.softmax(np.array([[1.0, 2.0], [3.0, 5.0]]), axis=1))
    assert wrong_axis.safe and "wrong axis" in wrong_axis.text

    logits, labels = np.array([[1.0, 2.0], [0.5, 0.0], [3.0, 1.0]]), np.array([0, -100, 1])
    loss, grad = ref.cross_entropy(logits, labels)
    problems = {
        "over all N": (loss * 2 / 3, grad),
        "summed": (loss * 2, grad),
        "underflowed": (float("-inf"), grad),
        "constant factor": (loss, grad * 2),
        "wrong sign": (loss, -grad),
        "zero gradient": (loss, np.vstack([grad[:1], [[0.1, -0.1]], grad[2:]])),
    }
    for words, actual in problems.items():
        problem = suite.check_loss_and_grad((loss, grad), actual)
        assert problem.safe and words in problem.text, (words, problem)
    assert "nan" in suite.check_loss_and_grad(ref.cross_entropy(logits, [-100] * 3), (0.0, np.zeros((3, 2)))).text
    assert suite.check_loss_and_grad((loss, grad), (loss, grad)) is None
    assert "tuple" in suite.check_loss_and_grad((loss, grad), grad).text


def test_checkers_never_raise_on_odd_values():
    expected = ref.cross_entropy(np.eye(3), [0, 1, -100])
    for actual in (None, "x", 3, (1.0,), (1.0, 2.0, 3.0), ("a", "b"), (np.nan, [[1]]), ([1.0, 2.0], np.eye(3)),
                   (1.0, [[1, 2], [3]]), (True, np.eye(3))):
        assert suite.check_loss_and_grad(expected, actual) is not None
    for actual in (None, "x", [[1, 2], [3]], np.ones((3, 3)), np.ones(2)):
        assert suite.check_softmax(ref.softmax(np.eye(3)), actual) is not None


# --- grading ---------------------------------------------------------------------------------------

def test_reference_and_loop_answer_pass_within_limits():
    assert_reference_and_loops_pass("softmax_ce", "softmax_ce_loops")


def test_catalogue_has_the_classic_mistakes():
    assert_catalogue_holds("softmax_ce", {"unstable_softmax", "log_of_softmax", "mean_over_all_rows",
                                          "ignore_index_hardcoded"})
