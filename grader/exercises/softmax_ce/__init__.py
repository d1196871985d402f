"""softmax_ce: Stable softmax and cross-entropy with its gradient. The catalog entry; the hidden suite is ``suite.py`` beside it."""

from grader.catalog import Exercise

EXERCISE = Exercise(
    name="softmax_ce",
    track="layers",
    title="Stable softmax and cross-entropy with its gradient",
    functions=("softmax", "cross_entropy"),
    difficulty="medium",
    minutes=20,
    hints=(
        "exp(1e4) is inf in float64. softmax(x) = softmax(x - c) for any constant c per slice, so pick c "
        "to make every exponent <= 0.",
        "Subtract x.max(axis=axis, keepdims=True) (each slice's own max, with keepdims so it broadcasts "
        "along the right axis). For the loss never take np.log of a softmax: a probability that underflows "
        "to 0 gives -inf; use log p = (x - max) - log(sum(exp(x - max))).",
        "Keep only the rows whose label != ignore_index; the loss is the mean of -log p[label] over those V "
        "rows (nan when V = 0), and dlogits = (softmax - onehot) / V on those rows, 0 on the others. "
        "Check labels first: outside [0, C) and not ignore_index is a ValueError.",
    ),
)
