"""im2col: im2col and col2im (PyTorch unfold / fold). The catalog entry; the hidden suite is ``suite.py`` beside it."""

from grader.catalog import Exercise

EXERCISE = Exercise(
    name="im2col",
    track="layers",
    title="im2col and col2im (PyTorch unfold / fold)",
    functions=("im2col", "col2im"),
    difficulty="medium",
    minutes=25,
    hints=(
        "Zero-pad the input once, then loop over the kernel taps (a, b): each tap reads one strided slice "
        "of the padded input, an (OH, OW) grid of pixels, one per window.",
        "Collect the slices in an array of shape (N, C, KH, KW, OH, OW) and reshape it to "
        "(N, C*KH*KW, OH*OW): C-order flattening gives row c*KH*KW + a*KW + b and column i*OW + j.",
        "col2im undoes the layout: reshape to (N, C, KH, KW, OH, OW) and ADD each tap's slice into a "
        "zero padded image (+=, not =, since windows overlap), then cut the padding off. Check that "
        "L == OH * OW and raise ValueError otherwise.",
    ),
)
