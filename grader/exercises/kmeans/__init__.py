"""kmeans: k-means (Lloyd's algorithm) from given centres. The catalog entry; the hidden suite is ``suite.py`` beside it."""

from grader.catalog import Exercise

EXERCISE = Exercise(
    name="kmeans",
    track="machine learning",
    title="k-means (Lloyd's algorithm) from given centres",
    functions=("kmeans",),
    difficulty="medium",
    minutes=20,
    hints=(
        "Alternate two steps from the centres you are given: assign every point to its nearest centre, then "
        "move every centre to the mean of its points. Stop as soon as no label changes.",
        "Squared Euclidean distances of all points to all centres in one (N, K) array; np.argmin takes the "
        "lowest index on ties, which is the contract. max_iter counts centre updates: after the last one, "
        "assign the points once more, so the labels you return belong to the centres you return.",
        "A centre that gets no point keeps its position: never drop it, never reseed it, never divide by a "
        "count of 0. Do not modify init_centers in place; return float centres and integer labels.",
    ),
)
