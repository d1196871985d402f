"""dropout: Inverted dropout, forward and backward. The catalog entry; the hidden suite is ``suite.py`` beside it."""

from grader.catalog import Exercise

EXERCISE = Exercise(
    name="dropout",
    track="layers",
    title="Inverted dropout, forward and backward",
    functions=("dropout", "dropout_backward"),
    difficulty="easy",
    minutes=15,
    hints=(
        "Inverted dropout scales at training time so that evaluation can be the plain identity: the "
        "expected value of y must equal x.",
        "Draw exactly as the docstring says: rng = np.random.default_rng(seed); mask = rng.random(x.shape) "
        ">= p (one call). In training y = x * mask / (1 - p); in evaluation y = x and the mask is all True.",
        "p = 1 drops everything: return zeros rather than dividing by 1 - p = 0. Check 0 <= p <= 1 first, in "
        "evaluation too. The backward pass applies the same mask and the same 1 / (1 - p).",
    ),
)
