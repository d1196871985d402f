"""attention: the reference against PyTorch's scaled_dot_product_attention (golden values, live when installed),
then the grading."""

from pathlib import Path

import numpy as np
import pytest

from grader import catalog
from wrong_attempts import assert_catalogue_holds, assert_reference_and_loops_pass, graded_wrong, assert_raised_by_the_contract

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "attention.npz"
attention = catalog.get("attention").reference().scaled_dot_product_attention


# --- the reference against hand-derived values and the oracles ------------------------------------

def test_docstring_examples_by_hand():
    out, weights = attention([[2.0, 0, 0, 0]], [[2.0, 0, 0, 0], [0, 0, 0, 0]], [[1.0, 0], [0, 1]])
    # Scores [2*2 / sqrt(4), 0] = [2, 0]: weights e^2 / (e^2 + 1) and 1 / (e^2 + 1).
    first = np.e ** 2 / (np.e ** 2 + 1)
    np.testing.assert_allclose(weights, [[first, 1 - first]], rtol=1e-15)
    np.testing.assert_allclose(out, [[first, 1 - first]], rtol=1e-15)
    # Zero queries give equal scores: causal weights are uniform over keys 0..i.
    out, weights = attention(np.zeros((3, 2)), np.zeros((3, 2)), [[3.0], [6.0], [9.0]], causal=True)
    np.testing.assert_allclose(weights, [[1, 0, 0], [1 / 2, 1 / 2, 0], [1 / 3, 1 / 3, 1 / 3]], rtol=1e-15)
    np.testing.assert_allclose(out, [[3.0], [4.5], [6.0]], rtol=1e-15)
    out, weights = attention(np.ones((2, 2)), np.ones((2, 2)), [[1.0, 2.0], [3.0, 4.0]],
                             mask=np.array([[True, False], [False, False]]))
    np.testing.assert_array_equal(weights, [[1, 0], [0, 0]])
    np.testing.assert_array_equal(out, [[1, 2], [0, 0]])


def _golden_cases():
    data = np.load(GOLDEN, allow_pickle=False)
    for i, name in enumerate(data["names"].tolist()):
        mask = data[f"{i}_mask"] if f"{i}_mask" in data.files else None
        yield (name, data[f"{i}_q"], data[f"{i}_k"], data[f"{i}_v"], mask, bool(data[f"{i}_causal"]),
               data[f"{i}_out"], data[f"{i}_weights"])


def test_golden_file_is_small_and_covers_the_issue():
    assert GOLDEN.stat().st_size < 100_000
    names = {case[0] for case in _golden_cases()}
    assert {"value_dim_differs", "heads_4d", "causal_square", "causal_more_keys", "causal_more_queries", "mask",
            "mask_broadcast_over_batch", "key_padding_mask", "fully_masked_row", "large_scores"} <= names


@pytest.mark.parametrize("case", list(_golden_cases()), ids=lambda case: case[0])
def test_matches_torch_golden(case):
    name, q, k, v, mask, causal, out, weights = case
    got_out, got_weights = attention(q, k, v, mask=mask, causal=causal)
    np.testing.assert_allclose(got_out, out, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got_weights, weights, rtol=1e-10, atol=1e-12)
    if name == "fully_masked_row":  # the rule the stub states, as torch applies it
        assert not np.any(weights[0, 1]) and not np.any(out[0, 1])


def test_matches_torch_live():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    rng = np.random.default_rng(21)
    for trial in range(40):
        lead = [(), (3,), (2, 2)][trial % 3]
        length, keys, e, ev = (int(v) for v in rng.integers(1, 7, size=4))
        scale = [1.0, 1.0, 60.0][trial % 3]  # some scores in the thousands
        q, k = scale * rng.normal(size=(*lead, length, e)), scale * rng.normal(size=(*lead, keys, e))
        v = rng.normal(size=(*lead, keys, ev))
        kind = trial % 4
        mask = (rng.random((*lead, length, keys)) < 0.5) if kind == 2 else None  # fully masked rows happen
        causal = kind == 3
        kwargs = dict(attn_mask=None if mask is None else torch.from_numpy(mask), is_causal=causal)
        tq, tk = torch.from_numpy(q), torch.from_numpy(k)
        out = F.scaled_dot_product_attention(tq, tk, torch.from_numpy(v), **kwargs).numpy()
        # Values = identity: torch's output is then its attention weights.
        eye = torch.eye(keys, dtype=torch.float64).expand(*lead, keys, keys)
        weights = F.scaled_dot_product_attention(tq, tk, eye, **kwargs).numpy()
        got_out, got_weights = attention(q, k, v, mask=mask, causal=causal)
        np.testing.assert_allclose(got_out, out, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(got_weights, weights, rtol=1e-10, atol=1e-12)


def test_huge_scores_stay_finite():
    q = np.array([[1e2, -1e2], [-1e2, 1e2]])
    out, weights = attention(q, q * 50, np.eye(2))                 # scores of +-7e5 and 0
    assert np.isfinite(out).all() and np.isfinite(weights).all()
    np.testing.assert_array_equal(weights, np.eye(2))
    out, weights = attention(q, -q * 50, np.eye(2))                # every score -7e5 or 0 in a row
    np.testing.assert_array_equal(weights, [[0, 1], [1, 0]])


def test_output_dtype_and_list_input():
    out, weights = attention([[1, 0]], [[1, 0]], [[5, 6]])
    assert out.dtype == weights.dtype == np.float64
    np.testing.assert_array_equal(out, [[5, 6]])


@pytest.mark.parametrize("q_shape, k_shape, v_shape, kwargs", [
    ((2, 4), (3, 3), (3, 2), {}),                                            # E differs
    ((2, 4), (3, 4), (4, 2), {}),                                            # S differs
    ((2, 2), (2, 2), (2, 2), dict(mask=np.ones((2, 2), bool), causal=True)),  # torch refuses both
    ((2, 2), (3, 2), (3, 2), dict(mask=np.ones((3, 2), bool))),              # mask does not broadcast
    ((4,), (3, 4), (3, 2), {}),                                              # q has no query axis
])
def test_bad_input_raises_value_error(q_shape, k_shape, v_shape, kwargs):
    with pytest.raises(ValueError) as raised:
        attention(np.ones(q_shape), np.ones(k_shape), np.ones(v_shape), **kwargs)
    assert_raised_by_the_contract(raised)


def test_suite_sizes_fit_a_naive_loop():
    suite = catalog.get("attention").suite()
    for seed in (0, 1, 2):
        for case in suite.cases(np.random.default_rng(seed)):
            q, k, v = (np.asarray(a) for a in case.args)
            # Multiply-adds of the per-(query, key) loop: every score, then every weighted value.
            assert q.size // q.shape[-1] * k.shape[-2] * (q.shape[-1] + v.shape[-1]) <= 2000, case.name


# --- grading ---------------------------------------------------------------------------------------

def test_reference_and_loop_answer_pass_within_limits():
    assert_reference_and_loops_pass("attention", "attention_loops")


def test_catalogue_has_the_classic_mistakes():
    assert_catalogue_holds("attention", {"no_scaling", "causal_excludes_diagonal", "mask_polarity_inverted",
                                         "softmax_over_queries", "unstable_softmax", "fully_masked_nan"})


@pytest.mark.parametrize("mistake, case, words", [
    ("unstable_softmax", "large_scores", "stable softmax"),
    ("softmax_over_queries", "softmax_over_keys", "over the keys"),
    ("masked_fill_large_negative", "fully_masked_row", "all-zero weights"),
    ("mask_polarity_inverted", "key_padding_mask", "True means may attend"),
    ("causal_excludes_diagonal", "causal_square", "keeps the diagonal"),
    ("no_scaling", "scale_sqrt_e", "sqrt(E)"),
])
def test_hidden_cases_say_why_without_data(mistake, case, words):
    found = next(c for c in graded_wrong("attention", mistake).cases if c.name == case)
    assert found.hidden and words in found.message, found.message
