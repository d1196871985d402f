"""knn: k-nearest-neighbour classification. The catalog entry; the hidden suite is ``suite.py`` beside it."""

from grader.catalog import Exercise

EXERCISE = Exercise(
    name="knn",
    track="machine learning",
    title="k-nearest-neighbour classification",
    functions=("knn_predict",),
    difficulty="easy",
    minutes=15,
    hints=(
        "For each test point, compute its distance to every training point, keep the k closest, and "
        "vote with their labels.",
        "Order by distance with a stable sort (np.argsort(d, kind='stable')) so that among equal distances "
        "the lower training index comes first; the k nearest are the first k of that order.",
        "Count votes per label (np.unique(..., return_counts=True)) and take the smallest label among those "
        "with the most votes; 'first seen' or 'nearest wins' is not the rule. k larger than the training "
        "set, or below 1, is a ValueError.",
    ),
)
