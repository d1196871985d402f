"""knn_predict: the reference against scikit-learn's KNeighborsClassifier(algorithm="brute") on data without
distance ties (vote ties included: sklearn takes the smallest label too) and against an independent pure-Python
brute force on data full of ties, hand-derived values, the named cases' freedom from near-ties, the checker's
diagnoses, then the loop answer and the mistake catalogue."""

import numpy as np
import pytest

from grader import catalog
from grader.exercises.knn import suite as suite
from wrong_attempts import assert_catalogue_holds, assert_reference_and_loops_pass, graded_wrong

ref = catalog.get("knn").reference()


def brute_force(train_x, train_y, test_x, k):
    """Independent of the reference: pure Python, the contract read literally."""
    out = []
    for p in test_x:
        dist = [sum((a - b) ** 2 for a, b in zip(q, p)) ** 0.5 for q in train_x]
        order = sorted(range(len(dist)), key=lambda j: (dist[j], j))[:k]
        labels = [train_y[j] for j in order]
        best = max(labels.count(label) for label in labels)
        out.append(min(label for label in labels if labels.count(label) == best))
    return out


def sklearn_predict(train_x, train_y, test_x, k):
    from sklearn.neighbors import KNeighborsClassifier

    return KNeighborsClassifier(n_neighbors=k, algorithm="brute").fit(train_x, train_y).predict(test_x)


def _vote_tie_count(train_x, train_y, test_x, k):
    ties = 0
    for p in test_x:
        nearest = np.argsort(((train_x - p) ** 2).sum(1), kind="stable")[:k]
        _, counts = np.unique(train_y[nearest], return_counts=True)
        ties += int((counts == counts.max()).sum() > 1)
    return ties


# --- scikit-learn ----------------------------------------------------------------------------------

def test_matches_sklearn_brute_on_tie_free_distances():
    """Continuous points: no two distances are equal, so sklearn's neighbours are the contract's. Even k and
    few labels make many vote ties, which sklearn also gives to the smallest label (its argmax runs over the
    sorted classes_)."""
    ties = 0
    for seed in range(120):
        rng = np.random.default_rng(seed)
        n, m, d = int(rng.integers(5, 120)), int(rng.integers(1, 30)), int(rng.integers(1, 5))
        k = int(rng.choice([1, 2, 4, 6, int(rng.integers(1, n + 1))]))
        k = min(k, n)
        labels = rng.choice([-9, -2, 0, 3, 4, 17], size=int(rng.integers(2, 5)), replace=False)
        train_x, test_x = rng.normal(size=(n, d)), rng.normal(size=(m, d))
        train_y = rng.choice(labels, size=n)
        np.testing.assert_array_equal(ref.knn_predict(train_x, train_y, test_x, k),
                                      sklearn_predict(train_x, train_y, test_x, k))
        ties += _vote_tie_count(train_x, train_y, test_x, k)
    assert ties > 300


def test_sklearn_gives_a_vote_tie_to_the_smallest_label_not_the_nearest():
    train_x, train_y = [[0.0], [1.0], [2.0], [3.0]], [5, 5, -1, 2]
    # 1.4: nearest point 1 (label 5), then point 2 (label -1): one vote each.
    assert sklearn_predict(train_x, train_y, [[1.4]], 2).tolist() == [-1]
    assert ref.knn_predict(train_x, train_y, [[1.4]], 2).tolist() == [-1]


# --- brute force and hand-derived values -----------------------------------------------------------

@pytest.mark.parametrize("seed", range(40))
def test_matches_brute_force_with_ties(seed):
    """Integer points: many equal distances, many vote ties."""
    rng = np.random.default_rng(500 + seed)
    n, m, d = int(rng.integers(1, 60)), int(rng.integers(0, 20)), int(rng.integers(1, 4))
    train_x = rng.integers(-3, 4, size=(n, d))
    test_x = rng.integers(-3, 4, size=(m, d)) + rng.choice([0.0, 0.5], size=(m, d))
    train_y = rng.choice([-4, -1, 2, 6], size=n)
    k = int(rng.integers(1, n + 1))
    got = ref.knn_predict(train_x, train_y, test_x, k)
    assert got.dtype.kind == "i" and got.shape == (m,)
    assert got.tolist() == brute_force(train_x.tolist(), train_y.tolist(), test_x.tolist(), k)


def test_hand_derived_cases():
    train_x, train_y = [[0.0], [1.0], [2.0], [3.0]], [5, 5, -1, 2]
    assert ref.knn_predict(train_x, train_y, [[0.4], [1.4]], 2).tolist() == [5, -1]
    # 1.5 is 0.5 from points 1 and 2: the lower index, point 1 (label 5).
    assert ref.knn_predict(train_x, train_y, [[1.5]], 1).tolist() == [5]
    # k = N: all four vote, 5 twice.
    assert ref.knn_predict(train_x, train_y, [[100.0]], 4).tolist() == [5]
    # A test point on a training point: that point is its nearest neighbour.
    assert ref.knn_predict(train_x, train_y, [[2.0]], 1).tolist() == [-1]
    # Euclidean: (3, 3) is 4.24 away, (5, 0) is 5; by Manhattan it would be 6 against 5.
    assert ref.knn_predict([[3, 3], [5, 0]], [1, 2], [[0, 0]], 1).tolist() == [1]
    empty = ref.knn_predict(train_x, train_y, np.zeros((0, 1)), 2)
    assert empty.shape == (0,) and empty.dtype.kind == "i"


@pytest.mark.parametrize("k", [0, -1, 5, 100])
def test_bad_k_raises_value_error(k):
    with pytest.raises(ValueError):
        ref.knn_predict([[0.0], [1.0], [2.0], [3.0]], [1, 2, 3, 4], [[0.5]], k)


def test_named_cases_have_no_near_ties():
    """Two squared distances from a test point are either exactly equal (a tie the case means, on values
    every method computes exactly) or clearly apart, so an answer computing them another legitimate way
    (np.linalg.norm, the sqrt or not, |x|^2 - 2 x.y + |y|^2) gets the same neighbours."""
    for case in suite.cases(np.random.default_rng(0)):
        if "random" in case.name or case.name.startswith("k_") and case.args[3] < 1:
            continue
        train_x = np.asarray(case.args[0], dtype=float).reshape(len(case.args[1]), -1)
        test_x = np.asarray(case.args[2], dtype=float).reshape(-1, train_x.shape[1])
        d = np.sort(((test_x[:, None] - train_x[None]) ** 2).sum(-1), axis=1)
        gap = np.diff(d, axis=1)
        assert np.all((gap == 0) | (gap > 1e-9 * (1 + d[:, 1:]))), case.name
        expanded = (test_x ** 2).sum(1)[:, None] - 2 * test_x @ train_x.T + (train_x ** 2).sum(1)
        np.testing.assert_array_equal(np.argsort(expanded, axis=1, kind="stable")[:, :case.args[3]],
                                      np.argsort(((test_x[:, None] - train_x[None]) ** 2).sum(-1), axis=1,
                                                 kind="stable")[:, :case.args[3]], err_msg=case.name)


# --- the checker -----------------------------------------------------------------------------------

def test_checker_sentences():
    check = suite.CHECKS["knn_predict"]
    exp = np.array([5, -1, 3])
    assert check(exp, exp) is None and check(exp, [5, -1, 3]) is None
    assert check(np.zeros(0, int), []) is None
    assert "dtype float64" in check(exp, exp.astype(float)).text
    assert "one label per test point" in check(exp, exp[:2]).text
    assert "one label per test point" in check(exp, [[5, -1, 3]]).text
    for actual in (exp.astype(float), exp[:2], None, "x", [[1], [1, 2]]):
        assert check(exp, actual).safe
    problem = check(exp, np.array([5, 3, 3]))
    assert not problem.safe and "1 of 3" in problem.text


@pytest.mark.parametrize("switches, sentence", suite._MISTAKES, ids=[s[:40] for _, s in suite._MISTAKES])
def test_each_mistake_is_named_on_some_named_case(switches, sentence):
    named = []
    for case in suite.cases(np.random.default_rng(0)):
        if "random" in case.name or case.name.startswith("k_") and case.args[3] < 1:
            continue
        try:
            expected = ref.knn_predict(*case.args)
        except ValueError:
            continue
        try:
            with np.errstate(all="ignore"):
                actual = suite._predict(*case.args, **switches)
        except ValueError:  # k - 1 = 0 neighbours: that mistake is not defined here
            continue
        problem = case.check(expected, actual)
        if problem is not None and problem.safe and sentence in problem.text:
            named.append(case.name)
    assert named, sentence


# --- grading ---------------------------------------------------------------------------------------

def test_public_failure_shows_the_vote_tie():
    case = next(c for c in graded_wrong("knn", "vote_ties_first_seen").cases if c.name == "docstring_votes")
    assert case.expected == "array([ 5, -1], dtype=int64)" and case.actual == "array([5, 5], dtype=int64)"
    assert "smallest label" in case.message


def test_reference_and_loop_answer_pass_within_limits():
    assert_reference_and_loops_pass("knn", "knn_loops")


def test_catalogue_has_the_classic_mistakes():
    assert_catalogue_holds("knn", {"vote_ties_first_seen", "vote_ties_largest", "distance_ties_higher_index",
                                   "k_plus_one", "skips_nearest_as_itself", "skips_zero_distance", "manhattan",
                                   "distance_weighted", "bincount_votes", "returns_label_index",
                                   "argsort_wrong_axis", "no_k_validation"})
