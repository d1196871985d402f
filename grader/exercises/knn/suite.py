"""Hidden suite for knn_predict: vote ties (the smallest label, not the nearest's), distance ties (the lower
training index), exactly k neighbours, a training point at distance 0 counting like any other, Euclidean
and not Manhattan, unweighted votes, labels that are negative or not 0..C-1, an empty test set and
invalid k.

When an answer is wrong, the checker re-runs the classic mistakes on the case's own inputs and names
the one the answer matches (without quoting data).
"""

import numpy as np

from grader.grading import compare
from grader.grading.suite import hidden, public
from grader.grading.generators import named_rng
from grader.grading.suite import diagnosing
def check_labels(expected, actual):
    """One integer label per test point, exactly."""
    exp = np.asarray(expected).reshape(-1)
    arr = compare.numeric_array(actual)
    if arr is None:
        return compare.safe("return the labels as an int array of shape (M,), one per test point", compare.TYPE)
    if arr.size == exp.size == 0:
        return None
    if arr.shape != exp.shape:
        return compare.safe("return one label per test point: an int array of shape (M,)", compare.SHAPE)
    if arr.dtype.kind not in "iu":
        return compare.safe(f"labels of dtype {arr.dtype}: return ints, the labels of train_y themselves",
                            compare.DTYPE)
    bad = np.flatnonzero(arr.astype(np.int64) != exp)
    if bad.size == 0:
        return None
    first = int(bad[0])
    return compare.wrong(f"{bad.size} of {exp.size} labels differ, the first at test point {first}: expected "
                         f"{int(exp[first])}, got {int(arr[first])}")


CHECKS = {"knn_predict": check_labels}


# --- the classic mistakes, to name the one an answer made (never for expected values) ----------------

def _predict(train_x, train_y, test_x, k, *, metric="l2", high_ties=False, extra=0, skip_first=False,
             skip_zero=False, weighted=False, vote="smallest", as_index=False):
    train_y = np.asarray(train_y).reshape(-1)
    train_x = np.asarray(train_x, dtype=np.float64).reshape(len(train_y), -1)
    test_x = np.asarray(test_x, dtype=np.float64).reshape(-1, train_x.shape[1])
    diff = test_x[:, None, :] - train_x[None, :, :]
    dist = np.abs(diff).sum(axis=2) if metric == "l1" else np.sqrt((diff ** 2).sum(axis=2))
    classes = np.unique(train_y)
    out = []
    for row in dist:
        order = list(np.argsort(row, kind="stable"))
        if high_ties:  # equal distances: the higher index first
            order = sorted(range(len(row)), key=lambda j: (row[j], -j))
        if skip_zero:
            order = [j for j in order if row[j] > 0]
        order = order[1:k + 1] if skip_first else order[:k + extra]
        votes = {}
        for j in order:  # insertion order = nearest first
            label = int(train_y[j])
            votes[label] = votes.get(label, 0) + (1.0 / row[j] if weighted and row[j] > 0 else
                                                  np.inf if weighted else 1)
        best = max(votes.values())
        tied = [label for label in votes if votes[label] == best]
        label = {"smallest": min(tied), "largest": max(tied), "first": tied[0]}[vote]
        out.append(int(np.searchsorted(classes, label)) if as_index else label)
    return np.array(out, dtype=np.int64)


_MISTAKES = [
    (dict(vote="first"), "a vote tie goes to the smallest label, not to the label seen first (the nearest's, as "
                         "Counter.most_common gives it)"),
    (dict(vote="largest"), "a vote tie goes to the smallest label, not the largest"),
    (dict(high_ties=True), "at equal distances the lower training index comes first (np.argsort(..., "
                           "kind='stable'))"),
    (dict(extra=1), "exactly k neighbours vote, not k + 1"),
    (dict(extra=-1), "exactly k neighbours vote, not k - 1"),
    (dict(skip_first=True), "the nearest neighbour votes too: a test point is not one of the training points"),
    (dict(skip_zero=True), "a training point at distance 0 is a neighbour and votes like any other"),
    (dict(metric="l1"), "the distance is Euclidean, not Manhattan (the sum of |differences|)"),
    (dict(weighted=True), "every neighbour's vote counts 1, not 1 / distance"),
    (dict(as_index=True), "return the label itself, not its position among the distinct labels"),
]


def _known_mistakes(train_x, train_y, test_x, k):
    """Each mistake's answer on this case (diagnosing names every one that fits: a few test points often
    cannot tell them apart)."""
    for switches, sentence in _MISTAKES:
        try:
            yield _predict(train_x, train_y, test_x, k, **switches), sentence
        except (ValueError, IndexError):
            continue


# --- the data ----------------------------------------------------------------------------------------

def _grid(rng, side, labels):
    """Training points on an integer grid: many exactly equal distances from integer test points."""
    xs, ys = np.meshgrid(np.arange(side), np.arange(side))
    x = np.stack([xs.ravel(), ys.ravel()], axis=1).astype(np.float64)
    return x, rng.choice(labels, size=len(x))


def _random(rng, i):
    n, m, d = int(rng.integers(5, 150)), int(rng.integers(1, 40)), int(rng.integers(1, 5))
    labels = rng.choice([-7, -2, 0, 1, 3, 8, 15], size=int(rng.integers(2, 6)), replace=False)
    train_x = rng.normal(scale=3.0, size=(n, d))
    return hidden(f"random_{i}", "random points and labels, k from 1 to 15", "knn_predict", train_x,
                  rng.choice(labels, size=n), rng.normal(scale=3.0, size=(m, d)), int(rng.integers(1, min(n, 15) + 1)))


def cases(seeded):
    rng = named_rng()  # the named cases' data is the same at every seed; random cases use `seeded`
    line, line_y = [[0.0], [1.0], [2.0], [3.0]], [5, 5, -1, 2]
    grid_x, grid_y = _grid(rng, 5, [0, 1, 2, 3])
    grid_test = np.array([[2, 2], [0, 0], [1, 3], [4, 1], [2.5, 2.5], [3, 0.5], [1.5, 1.5]])
    cloud_x = rng.normal(size=(40, 3))
    cloud_y = rng.choice([-3, 4, 9], size=40)
    cloud_test = rng.normal(size=(25, 3))
    big_x = rng.normal(size=(300, 3)) * 2
    big_y = (big_x[:, 0] > 0).astype(int) * 2 - (big_x[:, 1] > 1)  # labels -1, 0, 1, 2 in regions
    out = [
        public("docstring_votes", "the first example in the docstring", "knn_predict",
               line, line_y, [[0.4], [1.4]], 2),
        public("docstring_distance_tie", "the second example: two training points at the same distance",
               "knn_predict", line, line_y, [[1.5]], 1),

        # Votes.
        hidden("vote_tie_nearest_is_larger", "one vote each: the smaller label wins, not the nearest's",
               "knn_predict", [[0.0, 0.0], [3.0, 0.0], [0.0, 10.0], [3.0, 10.0]], [7, 2, 7, 2],
               [[1.0, 0.0], [1.0, 10.0], [2.0, 0.0]], 2),
        hidden("vote_tie_three_labels", "three neighbours, three labels: the smallest label wins", "knn_predict",
               [[0.0], [1.5], [-2.5], [10.0]], [9, 4, 6, 1], [[0.2], [-0.2], [0.5]], 3),
        hidden("vote_tie_two_against_two", "k = 4, two votes each: the smaller label wins", "knn_predict",
               [[0.0, 0.0], [1.0, 0.0], [0.0, 1.2], [1.3, 1.3], [9.0, 9.0]], [3, 3, 1, 1, 0],
               [[0.1, 0.1], [0.6, 0.65]], 4),
        hidden("vote_tie_negative_labels", "a vote tie between negative labels: the most negative wins",
               "knn_predict", [[0.0], [1.0], [5.0], [6.0]], [-1, -4, -4, -1], [[0.4], [5.6], [0.6]], 2),
        hidden("majority_beats_nearest", "the nearest point is outvoted by two slightly farther ones",
               "knn_predict", [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [5.0, 5.0]], [1, 2, 2, 1],
               [[0.0, 0.01], [0.5, 0.5]], 3),
        hidden("k_1", "k = 1: the label of the nearest training point", "knn_predict",
               cloud_x, cloud_y, cloud_test, 1),
        hidden("k_3", "k = 3 on scattered 3-D points", "knn_predict", cloud_x, cloud_y, cloud_test, 3),
        hidden("k_equals_n", "k = N: every training point votes", "knn_predict",
               [[0.0], [1.0], [2.0], [3.0], [4.0]], [2, 0, 2, 0, 2], [[-10.0], [0.0], [10.0]], 5),

        # Distances.
        hidden("distance_tie_at_k", "two points at the same distance compete for the last place: the lower index",
               "knn_predict", [[0.0, 0.0], [0.0, 2.0], [2.0, 0.0], [0.0, -2.0], [-2.0, 0.0]], [0, 1, 1, 0, 0],
               [[0.0, 0.0], [0.1, 0.0]], 3),
        hidden("grid_with_many_ties", "a grid of 25 training points and test points at equal distances from many",
               "knn_predict", grid_x, grid_y, grid_test, 4),
        hidden("grid_k_2", "the same grid with k = 2", "knn_predict", grid_x, grid_y, grid_test, 2),
        hidden("test_point_on_training_point", "test points equal to training points: those count at distance 0",
               "knn_predict", cloud_x, cloud_y, cloud_x[[0, 5, 9, 20]], 3),
        hidden("duplicate_training_points", "repeated training points, some equal to a test point", "knn_predict",
               [[1.0, 1.0], [1.0, 1.0], [1.0, 1.0], [2.0, 2.0], [2.0, 2.0]], [4, 8, 8, 4, 4],
               [[1.0, 1.0], [2.0, 2.0], [1.4, 1.4]], 3),
        hidden("euclidean_not_manhattan", "a point nearer by Euclidean distance but farther by Manhattan",
               "knn_predict", [[3.0, 3.0], [5.0, 0.0], [0.0, -5.5]], [1, 2, 3], [[0.0, 0.0]], 1),
        hidden("unweighted_votes", "a very near point is outvoted: every vote counts 1, whatever the distance",
               "knn_predict", [[0.001], [3.0], [-3.0], [20.0]], [6, 2, 2, 6], [[0.0]], 3),

        # Labels.
        hidden("non_contiguous_labels", "labels 10, 20 and 30: return the label, not its position", "knn_predict",
               cloud_x, rng.choice([10, 20, 30], size=40), cloud_test, 3),
        hidden("negative_labels", "negative labels (np.bincount cannot count them)", "knn_predict",
               cloud_x, rng.choice([-5, -2, -9], size=40), cloud_test, 5),
        hidden("one_label", "every training label the same", "knn_predict", cloud_x[:10], np.full(10, 3),
               cloud_test[:4], 4),

        # Shapes and inputs.
        hidden("as_many_tests_as_train", "as many test points as training points: sort each test point's row",
               "knn_predict", cloud_x[:12], cloud_y[:12], cloud_test[:12], 3),
        hidden("empty_test", "no test point: an empty int array", "knn_predict", cloud_x, cloud_y, np.zeros((0, 3)), 3),
        hidden("one_test_point", "a single test point", "knn_predict", cloud_x, cloud_y, cloud_test[:1], 3),
        hidden("one_dimensional", "D = 1", "knn_predict", rng.normal(size=(30, 1)), rng.choice([0, 1], size=30),
               rng.normal(size=(9, 1)), 5),
        hidden("eight_dimensions", "D = 8", "knn_predict", rng.normal(size=(50, 8)), rng.choice([1, 2, 3], size=50),
               rng.normal(size=(10, 8)), 7),
        hidden("list_input", "nested Python lists", "knn_predict", cloud_x[:15].round(2).tolist(),
               cloud_y[:15].tolist(), cloud_test[:5].round(2).tolist(), 3),
        hidden("many_points", "300 training points, 60 test points", "knn_predict", big_x, big_y,
               rng.normal(size=(60, 3)) * 2, 9),

        # Invalid k.
        hidden("k_zero", "k = 0 raises ValueError", "knn_predict", line, line_y, [[0.5]], 0),
        hidden("k_negative", "k = -1 raises ValueError", "knn_predict", line, line_y, [[0.5]], -1),
        hidden("k_above_n", "k = N + 1 raises ValueError", "knn_predict", line, line_y, [[0.5]], 5),
        hidden("k_zero_no_test", "k = 0 raises ValueError even with no test point", "knn_predict",
               line, line_y, np.zeros((0, 1)), 0),
        hidden("k_above_n_no_test", "k = N + 1 raises ValueError even with no test point", "knn_predict",
               line, line_y, np.zeros((0, 1)), 5),
    ]
    out += [_random(seeded, i) for i in range(5)]
    return [diagnosing(case, CHECKS["knn_predict"], _known_mistakes) for case in out]
