"""pooling: Max and average pooling, forward and backward. The catalog entry; the hidden suite is ``suite.py`` beside it."""

from grader.catalog import Exercise

EXERCISE = Exercise(
    name="pooling",
    track="layers",
    title="Max and average pooling, forward and backward",
    functions=("max_pool2d", "avg_pool2d", "max_pool2d_backward", "avg_pool2d_backward"),
    difficulty="medium",
    minutes=30,
    hints=(
        "Normalise kernel_size, stride (None means the kernel) and padding to (h, w) pairs; the output size "
        "is (H + 2*ph - kh) // sh + 1. Window (i, j) starts at row i*sh - ph, column j*sw - pw.",
        "Pad max pooling with -inf (padding must never win), average pooling with 0, and divide every "
        "window by kh * kw (count_include_pad=True). Padding above half the kernel is a ValueError.",
        "Backward: route each dy to its window's argmax, the FIRST maximum in row-major order on ties (use > "
        "when scanning, not >=), and spread dy / (kh * kw) for the average; use += since windows overlap, "
        "work on a padded gradient and crop the padding off at the end.",
    ),
)
