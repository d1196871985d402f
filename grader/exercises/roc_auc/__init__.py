"""roc_auc: ROC curve and the area under it. The catalog entry; the hidden suite is ``suite.py`` beside it."""

from grader.catalog import Exercise

EXERCISE = Exercise(
    name="roc_auc",
    track="machine learning",
    title="ROC curve and the area under it",
    functions=("roc_curve", "roc_auc"),
    difficulty="medium",
    minutes=20,
    hints=(
        "Sort by score, highest first, and lower the threshold one distinct score at a time: each step "
        "lets through every sample with that score, raising TP for positives and FP for negatives.",
        "Tied scores are one step, not several: emit a point only where the score changes (and at the end), "
        "and start the curve at (0, 0) with threshold inf. fpr = FP / negatives, tpr = TP / positives.",
        "AUC is the trapezoid area under that curve, np.trapezoid(tpr, fpr) (y first, then x): a tie between "
        "a positive and a negative counts one half. O(n log n) from the sort; counting all pairs is O(n^2) "
        "and too slow. One class only is a ValueError.",
    ),
)
