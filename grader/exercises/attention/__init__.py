"""attention: Scaled dot-product attention with masks. The catalog entry; the hidden suite is ``suite.py`` beside it."""

from grader.catalog import Exercise

EXERCISE = Exercise(
    name="attention",
    track="layers",
    title="Scaled dot-product attention with masks",
    functions=("scaled_dot_product_attention",),
    difficulty="medium",
    minutes=20,
    hints=(
        "scores = q @ swapaxes(k, -1, -2) / sqrt(E), with E = q.shape[-1]; k.T would reverse every axis "
        "and break batched input. out = weights @ v.",
        "Turn the mask (or causal: np.tril(np.ones((L, S), bool)), the diagonal included) into 'allowed', "
        "set the scores of keys that are not allowed to -inf, and take the softmax over the last axis.",
        "Stable softmax: subtract each row's maximum before exp. A row whose every key is masked has "
        "maximum -inf: subtract 0 there instead, and give it zero weights (divide only where the row "
        "sum is positive). Both mask and causal=True is a ValueError.",
    ),
)
