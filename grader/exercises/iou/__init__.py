"""iou: Intersection over union of boxes. The catalog entry; the hidden suite is ``suite.py`` beside it."""

from grader.catalog import Exercise

EXERCISE = Exercise(
    name="iou",
    track="detection",
    title="Intersection over union of boxes",
    functions=("iou", "pairwise_iou"),
    difficulty="easy",
    minutes=10,
    hints=(
        "The intersection is itself a box: its corners are the max of the top-left corners and the min of "
        "the bottom-right ones. When that box is empty its width or height comes out negative.",
        "Clamp the intersection's width and height at 0 before multiplying, and use (x2 - x1) * (y2 - y1) "
        "for areas: these are continuous coordinates, so no '+1 pixel'.",
        "Union = area_a + area_b - intersection. When the union is 0 (two degenerate boxes) return 0.0 "
        "instead of dividing. For pairwise_iou, broadcast boxes_a[:, None, :] against boxes_b[None, :, :] "
        "and make sure empty inputs give shape (0, M) or (N, 0).",
    ),
)
