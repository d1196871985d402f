"""soft_nms: Soft-NMS (Bodla et al. 2017). The catalog entry; the hidden suite is ``suite.py`` beside it."""

from grader.catalog import Exercise

EXERCISE = Exercise(
    name="soft_nms",
    track="detection",
    title="Soft-NMS (Bodla et al. 2017)",
    functions=("soft_nms",),
    difficulty="hard",
    minutes=30,
    hints=(
        "Unlike hard NMS, scores change as you go, so the order is not fixed up front: after each selection "
        "pick the remaining box with the highest *current* score.",
        "After selecting a box, decay every remaining box: gaussian multiplies by exp(-iou**2 / sigma); "
        "linear multiplies by (1 - iou) only when iou > iou_threshold.",
        "Drop boxes below score_threshold before starting and after each decay (a score equal to the "
        "threshold stays). Return the selected indices and their scores at the moment they were selected.",
    ),
)
