"""conv2d: Naive 2-d convolution (PyTorch conv2d semantics). The catalog entry; the hidden suite is ``suite.py`` beside it."""

from grader.catalog import Exercise

EXERCISE = Exercise(
    name="conv2d",
    track="layers",
    title="Naive 2-d convolution (PyTorch conv2d semantics)",
    functions=("conv2d",),
    difficulty="hard",
    minutes=30,
    hints=(
        "Deep-learning 'convolution' is cross-correlation: do not flip the kernel.",
        "Normalise stride, padding and dilation to (h, w) pairs, zero-pad the input, and compute "
        "OH = (H + 2*ph - dh*(KH-1) - 1) // sh + 1 (likewise OW); raise ValueError when it is below 1.",
        "With groups g, output channel o reads input channels [(o // (O // g)) * (C // g), ...) of size "
        "C // g; C and O must both be divisible by g. Add bias[o] at the end.",
    ),
)
