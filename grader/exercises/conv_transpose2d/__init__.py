"""conv_transpose2d: Transposed 2-d convolution (PyTorch conv_transpose2d semantics). The catalog entry; the hidden suite is ``suite.py`` beside it."""

from grader.catalog import Exercise

EXERCISE = Exercise(
    name="conv_transpose2d",
    track="layers",
    title="Transposed 2-d convolution (PyTorch conv_transpose2d semantics)",
    functions=("conv_transpose2d",),
    difficulty="hard",
    minutes=35,
    hints=(
        "Think scatter, not gather: every input pixel (i, j) adds x[n, c, i, j] * weight[c, o] (input "
        "channel first in this weight) into the output at (i*sh + a*dh, j*sw + b*dw) for each tap (a, b); "
        "the kernel is not flipped.",
        "Scatter into a 'full' array of (H-1)*sh + dh*(KH-1) + 1 rows (W likewise) plus output_padding, "
        "then crop padding from both sides: OH = (H-1)*sh - 2*ph + dh*(KH-1) + oph + 1. The extra "
        "output_padding rows sit at the bottom (columns at the right).",
        "Raise ValueError unless oph < max(sh, dh) and opw < max(sw, dw), and when OH or OW is below 1. "
        "With groups g, input channel c feeds output channels (c // (C_in // g)) * Cg_out + o for "
        "o < weight.shape[1]. Add bias[o] once per output pixel at the end.",
    ),
)
