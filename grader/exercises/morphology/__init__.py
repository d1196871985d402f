"""morphology: Erosion, dilation, opening and closing (OpenCV semantics). The catalog entry; the hidden suite is ``suite.py`` beside it."""

from grader.catalog import Exercise

EXERCISE = Exercise(
    name="morphology",
    track="image processing",
    title="Erosion, dilation, opening and closing (OpenCV semantics)",
    functions=("erode", "dilate", "opening", "closing"),
    difficulty="medium",
    minutes=25,
    hints=(
        "Erosion is the minimum, dilation the maximum, over the pixels under the kernel's 1 entries, the "
        "kernel's anchor (kh // 2, kw // 2) on the output pixel.",
        "Pixels outside the image never win: read them as the dtype's largest value for erosion (255 for uint8, "
        "np.finfo(dtype).max for floats) and its smallest for dilation (0, -np.finfo(dtype).max), never as 0, "
        "and not as +-inf: where every 1 of the kernel falls outside the image, that extreme is the result. "
        "Like OpenCV, do not flip the kernel for dilation.",
        "iterations=n applies the operation n times. Opening is erosion then dilation, closing dilation then "
        "erosion, each with the same iterations (erode n times, then dilate n times). Keep the input's dtype.",
    ),
)
