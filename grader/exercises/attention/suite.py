"""Hidden suite for attention: the scale, the softmax axis, the causal diagonal, the mask's polarity and
broadcasting, rows with nothing to attend to, and scores large enough to overflow a naive exp."""

import numpy as np

from grader.grading import compare
from grader.grading.suite import hidden, public
from grader.grading.generators import named_rng
from grader.grading.compare import tensor_check, tuple_of
_WEIGHTS = tensor_check("...", "L", "S")


def check_weights(expected, actual):
    """The weights, and when they are wrong, which rule of the softmax they break (no data quoted)."""
    problem = _WEIGHTS(expected, actual)
    if problem is None or problem.kind not in (compare.VALUE, compare.NAN):
        return problem
    exp = np.asarray(expected, dtype=np.float64)
    act = compare.numeric_array(actual).astype(np.float64)
    empty = np.all(exp == 0, axis=-1)                   # rows with nothing to attend to
    if np.isnan(act[empty]).any() or (empty.any() and not np.allclose(act[empty], 0)):
        return compare.safe("a query whose mask row is all False must get all-zero weights and a zero output "
                            "row (not NaN, not uniform weights)")
    if np.isnan(act).any() or np.isinf(act).any():
        return compare.safe("NaN or inf in the weights: exp overflowed or underflowed; subtract each row's "
                            "maximum score before exp (a stable softmax)", compare.NAN)
    if ((exp == 0) & (np.abs(act) > 1e-9)).any():
        return compare.safe("some weight falls on a key the query may not attend to (mask: True means may "
                            "attend; causal: query i sees keys j <= i)")
    if np.all(act == 0, axis=-1)[~empty].any():
        return compare.safe("a query that may attend to some keys got no weight at all: a mask's True means "
                            "may attend, causal keeps the diagonal (j <= i), and exp must not underflow "
                            "(subtract the row maximum first)")
    if not np.allclose(act.sum(axis=-1)[~empty], 1.0, atol=1e-6):
        if act.shape[-2] > 1 and np.allclose(act.sum(axis=-2), 1.0, atol=1e-6):
            return compare.safe("each column of weights sums to 1: take the softmax over the keys (the last "
                                "axis), not over the queries")
        return compare.safe("a row of weights (one query) does not sum to 1 over the keys it may attend to")
    if ((exp > 1e-9) & (act == 0)).any():
        return compare.safe("a key the query may attend to got zero weight (mask: True means may attend; "
                            "causal: query i sees keys j <= i, its own position included)")
    return problem.explained("the weights are a valid softmax but the wrong one: check the scores, "
                             "q @ k^T divided by sqrt(E) (E = q.shape[-1])", safe=True)


_PAIR = tuple_of(("out", tensor_check("...", "L", "Ev")), ("weights", check_weights))


def check_attention(expected, actual):
    """out, then weights; when out is wrong in a way only data could show, the weights' diagnosis (free of
    data) is the sentence worth showing: a wrong softmax is why the output is wrong."""
    problem = compare.as_problem(_PAIR(expected, actual))
    if problem is None or problem.safe or not (isinstance(actual, (tuple, list)) and len(actual) == 2):
        return problem
    weights = compare.as_problem(check_weights(expected[1], actual[1]))
    return weights.prefixed("weights: ") if weights is not None and weights.safe else problem


CHECKS = {"scaled_dot_product_attention": check_attention}

FUNC = "scaled_dot_product_attention"


def _ints(rng, *shape):
    # Small integer queries and keys give scores of a few units: softmax weights far from 0 and 1.
    return rng.integers(-2, 3, size=shape).astype(np.float64)


def _mask(rng, *shape):
    """A random boolean mask with at least one True in every row."""
    mask = rng.random(shape) < 0.6
    rows = mask.reshape(-1, shape[-1])
    rows[~rows.any(axis=1), 0] = True
    return rows.reshape(shape)


def _random_case(rng, i):
    lead = [tuple(), (2,), (2, 2)][int(rng.integers(0, 3))]
    length, keys = (int(v) for v in rng.integers(1, 6, size=2))
    e, ev = (int(v) for v in rng.integers(1, 7, size=2))
    q, k, v = rng.normal(size=(*lead, length, e)), rng.normal(size=(*lead, keys, e)), rng.normal(size=(*lead, keys, ev))
    kind = int(rng.integers(0, 3))
    if kind == 1:
        return hidden(f"random_{i}", "random shapes, causal", FUNC, q, k, v, causal=True)
    if kind == 2:
        return hidden(f"random_{i}", "random shapes, a random mask", FUNC, q, k, v, mask=_mask(rng, length, keys))
    return hidden(f"random_{i}", "random shapes, no mask", FUNC, q, k, v)


def cases(rng):
    fixed = named_rng()  # the named cases are the same at every seed; only the random ones vary
    out = [
        public("docstring_scaling", "the first example in the docstring: scores divided by sqrt(E)", FUNC,
               np.array([[2.0, 0, 0, 0]]), np.array([[2.0, 0, 0, 0], [0, 0, 0, 0]]), np.array([[1.0, 0], [0, 1]])),
        public("docstring_causal", "the second example: causal, the diagonal included", FUNC,
               np.zeros((3, 2)), np.zeros((3, 2)), [[3.0], [6.0], [9.0]], causal=True),
        public("docstring_fully_masked", "the third example: a query that may attend to nothing", FUNC,
               np.ones((2, 2)), np.ones((2, 2)), [[1.0, 2.0], [3.0, 4.0]],
               mask=np.array([[True, False], [False, False]])),

        # The scores.
        hidden("scale_sqrt_e", "E = 16: scores are divided by sqrt(E) = 4", FUNC,
               _ints(fixed, 3, 16), _ints(fixed, 4, 16), fixed.normal(size=(4, 2))),
        hidden("scale_uses_query_dim", "E = 9 and Ev = 4: the scale is 1/sqrt(E), E from q and k, not v", FUNC,
               _ints(fixed, 2, 9), _ints(fixed, 5, 9), fixed.normal(size=(5, 4))),
        hidden("softmax_over_keys", "2 queries over 5 keys: each query's weights sum to 1 over the keys", FUNC,
               _ints(fixed, 2, 3), _ints(fixed, 5, 3), fixed.normal(size=(5, 3))),
        hidden("softmax_over_keys_square", "4 queries over 4 keys: the softmax runs over the last axis", FUNC,
               _ints(fixed, 4, 3), _ints(fixed, 4, 3), fixed.normal(size=(4, 2))),
        hidden("single_key", "S = 1: every weight is 1", FUNC, _ints(fixed, 3, 2), _ints(fixed, 1, 2),
               fixed.normal(size=(1, 3))),
        hidden("single_query", "L = 1 over 6 keys", FUNC,
               _ints(fixed, 1, 4), _ints(fixed, 6, 4), fixed.normal(size=(6, 2))),
        hidden("list_input", "nested lists as input", FUNC,
               _ints(fixed, 2, 2).tolist(), _ints(fixed, 3, 2).tolist(), _ints(fixed, 3, 2).tolist()),

        # Stability.
        hidden("large_scores", "scores near +2e4: exp overflows unless the row maximum is subtracted first", FUNC,
               fixed.uniform(90, 110, size=(3, 4)), fixed.uniform(90, 110, size=(4, 4)), fixed.normal(size=(4, 2))),
        hidden("large_negative_scores", "every score near -2e4: exp underflows to 0/0 unless the maximum is "
               "subtracted first", FUNC,
               fixed.uniform(90, 110, size=(3, 4)), -fixed.uniform(90, 110, size=(4, 4)), fixed.normal(size=(4, 2))),
        hidden("large_scores_masked", "huge scores with a mask: the maximum is taken over the allowed keys", FUNC,
               fixed.uniform(90, 110, size=(3, 4)), fixed.uniform(90, 110, size=(5, 4)), fixed.normal(size=(5, 3)),
               mask=_mask(fixed, 3, 5)),

        # Causal.
        hidden("causal_square", "causal with L = S = 5: query i sees keys 0..i, the diagonal included", FUNC,
               _ints(fixed, 5, 3), _ints(fixed, 5, 3), fixed.normal(size=(5, 2)), causal=True),
        hidden("causal_more_keys", "causal with L = 3 < S = 5: query i still sees keys 0..i (top-left aligned)",
               FUNC, _ints(fixed, 3, 2), _ints(fixed, 5, 2), fixed.normal(size=(5, 2)), causal=True),
        hidden("causal_more_queries", "causal with L = 5 > S = 3: the last queries see every key", FUNC,
               _ints(fixed, 5, 2), _ints(fixed, 3, 2), fixed.normal(size=(3, 2)), causal=True),
        hidden("causal_batched", "causal over a (2, 3) batch of heads", FUNC,
               _ints(fixed, 2, 3, 4, 2), _ints(fixed, 2, 3, 4, 2), fixed.normal(size=(2, 3, 4, 3)), causal=True),

        # Masks.
        hidden("mask_true_may_attend", "a boolean mask: True means the query may attend to the key", FUNC,
               _ints(fixed, 4, 3), _ints(fixed, 5, 3), fixed.normal(size=(5, 2)), mask=_mask(fixed, 4, 5)),
        hidden("mask_all_true", "an all-True mask changes nothing", FUNC,
               _ints(fixed, 3, 2), _ints(fixed, 3, 2), fixed.normal(size=(3, 2)), mask=np.ones((3, 3), dtype=bool)),
        hidden("mask_broadcast_over_batch", "an (L, S) mask shared by a batch of 2", FUNC,
               _ints(fixed, 2, 3, 2), _ints(fixed, 2, 4, 2), fixed.normal(size=(2, 4, 2)), mask=_mask(fixed, 3, 4)),
        hidden("key_padding_mask", "a (B, 1, S) mask hiding padded keys of each sequence", FUNC,
               _ints(fixed, 2, 3, 2), _ints(fixed, 2, 4, 2), fixed.normal(size=(2, 4, 3)),
               mask=np.array([[[True, True, True, False]], [[True, True, False, False]]])),
        hidden("fully_masked_row", "one query's mask row is all False: zero weights and a zero output row", FUNC,
               _ints(fixed, 2, 3, 2), _ints(fixed, 2, 3, 2), fixed.normal(size=(2, 3, 2)),
               mask=np.array([[[True, False, True], [False, False, False], [True, True, True]],
                              [[False, True, False], [True, True, False], [False, False, False]]])),
        hidden("mask_all_false", "an all-False mask: every weight and every output is 0", FUNC,
               _ints(fixed, 2, 2), _ints(fixed, 3, 2), fixed.normal(size=(3, 2)), mask=np.zeros((2, 3), dtype=bool)),

        # Leading axes.
        hidden("batched_3d", "a batch of 3: (B, L, E) inputs, each attended on its own", FUNC,
               _ints(fixed, 3, 2, 4), _ints(fixed, 3, 4, 4), fixed.normal(size=(3, 4, 2))),
        hidden("heads_4d", "(B, H, L, E) inputs: batch and heads", FUNC,
               _ints(fixed, 2, 2, 3, 2), _ints(fixed, 2, 2, 4, 2), fixed.normal(size=(2, 2, 4, 3))),

        # Errors.
        hidden("query_key_dim_mismatch", "q and k with different E raise ValueError", FUNC,
               np.ones((2, 4)), np.ones((3, 3)), np.ones((3, 2))),
        hidden("key_value_count_mismatch", "k and v with different S raise ValueError", FUNC,
               np.ones((2, 4)), np.ones((3, 4)), np.ones((4, 2))),
        hidden("mask_and_causal", "a mask together with causal=True raises ValueError", FUNC,
               np.ones((2, 2)), np.ones((2, 2)), np.ones((2, 2)), mask=np.ones((2, 2), dtype=bool), causal=True),
    ]
    return out + [_random_case(rng, i) for i in range(6)]
