"""nms: Non-maximum suppression. The catalog entry; the hidden suite is ``suite.py`` beside it."""

from grader.catalog import Exercise

EXERCISE = Exercise(
    name="nms",
    track="detection",
    title="Non-maximum suppression",
    functions=("nms",),
    difficulty="medium",
    minutes=20,
    hints=(
        "Greedy: visit boxes from the highest score down. The first box you visit is always kept.",
        "Sort with a stable sort on the negated scores (np.argsort(-scores, kind='stable')) so that equal "
        "scores keep the lower index first. Return indices into the original input, in the order kept.",
        "A box is suppressed only if its IoU with an already *kept* box is strictly greater than the "
        "threshold (> not >=). A suppressed box suppresses nothing, so a chain A-B-C can keep A and C.",
    ),
)
