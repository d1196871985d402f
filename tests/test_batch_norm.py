"""batch_norm: the reference against PyTorch (golden values, live when installed) and central finite
differences, the checkers' diagnoses, the in-place check, then the grading of the loop answer and the
mistake catalogue."""

from pathlib import Path

import numpy as np
import pytest

from grader import catalog
from grader.grading.attempt import grade_attempt
from grader.exercises.batch_norm import suite as suite
from wrong_attempts import assert_catalogue_holds, assert_reference_and_loops_pass, assert_raised_by_the_contract

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "batch_norm.npz"
ref = catalog.get("batch_norm").reference()
DOC_X = np.array([[1.0, 10.0], [3.0, 20.0], [5.0, 30.0], [7.0, 40.0]])


# --- the reference against hand-derived values and the oracles ------------------------------------

def test_docstring_examples_by_hand():
    y, rm, rv = ref.batch_norm(DOC_X, [1.0, 2.0], [0.0, 1.0], np.zeros(2), np.ones(2), training=True)
    # Channel 0: mean 4, biased variance 5; channel 1: mean 25, biased variance 125.
    np.testing.assert_allclose(y[:, 0], (DOC_X[:, 0] - 4) / np.sqrt(5 + 1e-5), rtol=1e-14)
    np.testing.assert_allclose(y[:, 1], 2 * (DOC_X[:, 1] - 25) / np.sqrt(125 + 1e-5) + 1, rtol=1e-14)
    np.testing.assert_allclose(rm, [0.4, 2.5], rtol=1e-14)
    np.testing.assert_allclose(rv, [0.9 + 0.1 * 20 / 3, 0.9 + 0.1 * 500 / 3], rtol=1e-14)
    y, rm, rv = ref.batch_norm(DOC_X, np.ones(2), np.zeros(2), [4.0, 25.0], [4.0, 100.0], False, eps=0.0)
    np.testing.assert_array_equal(y, [[-1.5, -1.5], [-0.5, -0.5], [0.5, 0.5], [1.5, 1.5]])
    np.testing.assert_array_equal(rm, [4.0, 25.0])
    dy = np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, -1.0]])
    _, dgamma, dbeta = ref.batch_norm_backward(dy, DOC_X, [1.0, 2.0])
    np.testing.assert_allclose(dgamma, [-3 / np.sqrt(5 + 1e-5), -15 / np.sqrt(125 + 1e-5)], rtol=1e-14)
    np.testing.assert_array_equal(dbeta, [1.0, -1.0])


def _golden():
    data = np.load(GOLDEN, allow_pickle=False)
    for i, name in enumerate(data["names"].tolist()):
        yield name, {key.split("_", 1)[1]: data[key] for key in data.files if key.startswith(f"{i}_")}


def test_golden_file_is_small_and_covers_the_issue():
    assert GOLDEN.stat().st_size < 100_000
    names = {name for name, _ in _golden()}
    assert {"train_2d", "train_4d", "train_batch_of_2", "eval_2d", "eval_4d", "train_momentum_1"} <= names


@pytest.mark.parametrize("name, case", list(_golden()), ids=lambda v: v if isinstance(v, str) else "")
def test_matches_torch_golden(name, case):
    training, momentum, eps = bool(case["params"][0]), float(case["params"][1]), float(case["params"][2])
    y, rm, rv = ref.batch_norm(case["x"], case["gamma"], case["beta"], case["rm"], case["rv"], training,
                               momentum=momentum, eps=eps)
    for got, want in ((y, case["y"]), (rm, case["rm_out"]), (rv, case["rv_out"])):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    if training:
        for got, want in zip(ref.batch_norm_backward(case["dy"], case["x"], case["gamma"], eps=eps),
                             (case["dx"], case["dgamma"], case["dbeta"])):
            np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def test_matches_torch_live():
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    rng = np.random.default_rng(8)
    for _ in range(30):
        c = int(rng.integers(1, 5))
        shape = (int(rng.integers(1, 4)), c) + tuple(int(v) for v in rng.integers(1, 5, size=int(rng.integers(0, 3))))
        training = bool(rng.random() < 0.7 and np.prod(shape) // c > 1)
        momentum, eps = float(rng.uniform(0, 1)), float(rng.choice([1e-5, 1e-3, 0.5]))
        x = rng.normal(loc=rng.normal(scale=5), scale=rng.uniform(0.1, 4), size=shape)
        gamma, beta, rm, rv = rng.normal(size=c), rng.normal(size=c), rng.normal(size=c), rng.uniform(0.1, 3, size=c)
        tx, tg, tb = (torch.from_numpy(a.copy()).requires_grad_(True) for a in (x, gamma, beta))
        trm, trv = torch.from_numpy(rm.copy()), torch.from_numpy(rv.copy())
        y = F.batch_norm(tx, trm, trv, tg, tb, training=training, momentum=momentum, eps=eps)
        got = ref.batch_norm(x, gamma, beta, rm, rv, training, momentum=momentum, eps=eps)
        for mine, theirs in zip(got, (y.detach(), trm, trv)):
            np.testing.assert_allclose(mine, theirs.numpy(), rtol=1e-10, atol=1e-12)
        if training:
            dy = rng.normal(size=shape)
            y.backward(torch.from_numpy(dy))
            for mine, theirs in zip(ref.batch_norm_backward(dy, x, gamma, eps=eps), (tx.grad, tg.grad, tb.grad)):
                np.testing.assert_allclose(mine, theirs.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("shape", [(5, 3), (2, 2, 3, 2), (1, 2, 2, 3)])
def test_backward_matches_central_differences(shape):
    rng = np.random.default_rng(sum(shape))
    x, dy = rng.normal(size=shape) * 2 + 1, rng.normal(size=shape)
    gamma, beta = rng.normal(size=shape[1]), rng.normal(size=shape[1])
    c = shape[1]

    def loss(x_, gamma_, beta_):  # <dy, y>: its gradient is the backward pass applied to dy
        y, _, _ = ref.batch_norm(x_, gamma_, beta_, np.zeros(c), np.ones(c), True)
        return float(np.sum(dy * y))

    def numeric(index_of, base):
        grad, h = np.zeros_like(base), 1e-6
        for idx in np.ndindex(*base.shape):
            up, down = base.copy(), base.copy()
            up[idx] += h
            down[idx] -= h
            grad[idx] = (index_of(up) - index_of(down)) / (2 * h)
        return grad

    dx, dgamma, dbeta = ref.batch_norm_backward(dy, x, gamma)
    np.testing.assert_allclose(dx, numeric(lambda v: loss(v, gamma, beta), x), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(dgamma, numeric(lambda v: loss(x, v, beta), gamma), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(dbeta, numeric(lambda v: loss(x, gamma, v), beta), rtol=1e-6, atol=1e-7)


def test_reference_leaves_its_inputs_alone():
    x, rm, rv = DOC_X.copy(), np.zeros(2), np.ones(2)
    y, new_rm, new_rv = ref.batch_norm(x, np.ones(2), np.zeros(2), rm, rv, True)
    np.testing.assert_array_equal(x, DOC_X)
    np.testing.assert_array_equal(rm, [0, 0])
    np.testing.assert_array_equal(rv, [1, 1])
    _, same_rm, _ = ref.batch_norm(x, np.ones(2), np.zeros(2), rm, rv, False)
    assert same_rm is not rm


@pytest.mark.parametrize("call", [
    lambda: ref.batch_norm(np.ones(3), np.ones(3), np.zeros(3), np.zeros(3), np.ones(3), True),
    lambda: ref.batch_norm(np.ones((1, 3)), np.ones(3), np.zeros(3), np.zeros(3), np.ones(3), True),
    lambda: ref.batch_norm(np.ones((1, 3, 1, 1)), np.ones(3), np.zeros(3), np.zeros(3), np.ones(3), True),
    lambda: ref.batch_norm(np.ones((4, 3)), np.ones(2), np.zeros(3), np.zeros(3), np.ones(3), True),
    lambda: ref.batch_norm(np.ones((4, 3)), np.ones(3), np.zeros(3), np.zeros(3), np.ones(4), False),
    lambda: ref.batch_norm_backward(np.ones((4, 2)), np.ones((4, 3)), np.ones(3)),
    lambda: ref.batch_norm_backward(np.ones((4, 3)), np.ones((4, 3)), np.ones(2)),
    lambda: ref.batch_norm_backward(np.ones((1, 3)), np.ones((1, 3)), np.ones(3)),
])
def test_bad_input_raises_value_error(call):
    with pytest.raises(ValueError) as raised:
        call()
    assert_raised_by_the_contract(raised)


def test_evaluation_of_one_example_is_fine():
    y, _, _ = ref.batch_norm(np.ones((1, 2)), np.ones(2), np.zeros(2), np.zeros(2), np.ones(2), False, eps=0.0)
    np.testing.assert_array_equal(y, [[1.0, 1.0]])


# --- the checkers ----------------------------------------------------------------------------------

def test_diagnosis_names_each_mistake_without_data():
    x = np.random.default_rng(0).normal(size=(2, 3, 2, 2)) + 1
    args = (x, np.array([1.0, 2.0, -1.0]), np.zeros(3), np.full(3, 0.5), np.full(3, 2.0))
    big_eps = {"eps": 0.5}  # with eps = 1e-5, where eps goes is within tolerance of var ~ 1
    expected = ref.batch_norm(*args, True, **big_eps)
    for text, switches in suite.FORWARD_MISTAKES.items():
        if "evaluation" in text:
            continue
        actual = suite._forward_variant(*args, True, **big_eps, **switches)
        problem = suite._diagnose(suite._forward, suite._forward_variant, suite.FORWARD_MISTAKES,
                                  args + (True,), big_eps, expected, actual)
        assert problem.safe and problem.text == text
    eval_expected = ref.batch_norm(*args, False)
    actual = suite._forward_variant(*args, False, batch_in_eval=True)
    problem = suite._diagnose(suite._forward, suite._forward_variant, suite.FORWARD_MISTAKES, args + (False,), {},
                              eval_expected, actual)
    assert problem.safe and "running_mean and running_var" in problem.text
    dy = np.random.default_rng(1).normal(size=x.shape)
    expected = ref.batch_norm_backward(dy, x, args[1])
    for text, switches in suite.BACKWARD_MISTAKES.items():
        actual = suite._backward_variant(dy, x, args[1], **switches)
        problem = suite._diagnose(suite._backward, suite._backward_variant, suite.BACKWARD_MISTAKES,
                                  (dy, x, args[1]), {}, expected, actual)
        assert problem.safe and problem.text == text


def test_checkers_never_raise_on_odd_values():
    case = next(c for c in suite.cases(np.random.default_rng(0)) if c.name == "train_2d")
    expected = ref.batch_norm(*case.args, **case.kwargs)
    for actual in (None, 1.0, "y", (1, 2), (np.ones((6, 3)), None, None), [np.ones((6, 3))] * 3,
                   (np.full((6, 3), np.nan), expected[1], expected[2]), (expected[0], [[1], [1, 2]], expected[2])):
        assert case.check(expected, actual) is not None
    assert case.check(expected, expected) is None


# --- grading ---------------------------------------------------------------------------------------

def test_in_place_answer_fails_only_the_cases_that_look():
    result = grade_attempt("batch_norm", HERE / "fixtures" / "wrong" / "batch_norm" / "running_stats_in_place.py")
    failed = {c.name: c for c in result.cases if not c.passed}
    assert set(failed) == {"train_leaves_inputs_unchanged"}
    assert "argument 'running_mean' in place" in failed["train_leaves_inputs_unchanged"].message


def test_reference_and_loop_answer_pass_within_limits():
    assert_reference_and_loops_pass("batch_norm", "batch_norm_loops")


def test_catalogue_has_the_classic_mistakes():
    assert_catalogue_holds("batch_norm", {"running_var_biased", "normalise_with_unbiased", "running_stats_in_place",
                                          "batch_stats_in_eval", "momentum_reversed"})
