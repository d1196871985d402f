"""bilinear: Bilinear resize with and without align_corners. The catalog entry; the hidden suite is ``suite.py`` beside it."""

from grader.catalog import Exercise

EXERCISE = Exercise(
    name="bilinear",
    track="image processing",
    title="Bilinear resize with and without align_corners",
    functions=("bilinear_resize",),
    difficulty="medium",
    minutes=25,
    hints=(
        "For every output pixel compute a source coordinate per axis, then mix the four neighbouring input "
        "pixels by the fractional parts.",
        "align_corners=False uses half-pixel centres: src = (dst + 0.5) * in / out - 0.5, clamped at 0 "
        "below. align_corners=True maps corner to corner: src = dst * (in - 1) / (out - 1).",
        "Clamp the lower neighbour to in - 1 and the upper one to min(lower + 1, in - 1). size is "
        "(out_h, out_w), not OpenCV's (w, h), and the result is float64.",
    ),
)
