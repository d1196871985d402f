"""kmeans: the reference against scikit-learn's KMeans(algorithm="lloyd", tol=0) and an independent pure-Python
brute force, hand-derived values, the one place the contract leaves sklearn (empty clusters), the named
cases' freedom from near-ties, the checkers' diagnoses, then the loop answer and the mistake catalogue."""

import warnings

import numpy as np
import pytest

from grader import catalog
from grader.exercises.kmeans import suite as suite
from wrong_attempts import assert_catalogue_holds, assert_reference_and_loops_pass, graded_wrong

ref = catalog.get("kmeans").reference()


def brute_force(points, centers, max_iter=100):
    """Independent of the reference: pure Python, the contract read literally. Also says whether any cluster
    was empty at an update (where sklearn, which relocates such a centre, is no oracle)."""
    points = [[float(v) for v in p] for p in points]
    centers = [[float(v) for v in c] for c in centers]

    def nearest(p):
        dist = [sum((a - b) ** 2 for a, b in zip(p, c)) for c in centers]
        best = 0
        for j in range(1, len(dist)):
            if dist[j] < dist[best]:  # strictly nearer: a tie stays with the lower index
                best = j
        return best

    labels, emptied = [nearest(p) for p in points], False
    for _ in range(max_iter):
        for j in range(len(centers)):
            members = [p for p, lab in zip(points, labels) if lab == j]
            if members:
                centers[j] = [sum(col) / len(members) for col in zip(*members)]
            else:
                emptied = True
        new = [nearest(p) for p in points]
        if new == labels:
            break
        labels = new
    return np.array(centers), np.array(labels), emptied


def sklearn_kmeans(x, init, max_iter):
    from sklearn.cluster import KMeans

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning when max_iter ends the run
        km = KMeans(n_clusters=len(init), init=init, n_init=1, algorithm="lloyd", tol=0.0, max_iter=max_iter).fit(x)
    return km.cluster_centers_, km.labels_, km.n_iter_


def _blobs(rng):
    n, k, d = int(rng.integers(10, 200)), int(rng.integers(2, 7)), int(rng.integers(1, 5))
    means = rng.normal(scale=float(rng.choice([2.0, 5.0])), size=(k, d))
    x = means[rng.integers(0, k, size=n)] + rng.normal(size=(n, d))
    return x, x[rng.choice(n, size=k, replace=False)].copy()


# --- scikit-learn ----------------------------------------------------------------------------------

def test_matches_sklearn_lloyd_tol_0_including_runs_cut_by_max_iter():
    """sklearn's loop: assign + update, stop when the labels repeat (or the centres did not move at all: the
    same output), and when max_iter ends the run, one more assignment so that labels match the centres.
    That is the contract, except for empty clusters: runs where one empties are left out."""
    compared = cut = 0
    worst = 0.0
    for seed in range(160):
        rng = np.random.default_rng(seed)
        x, init = _blobs(rng)
        max_iter = int(rng.choice([1, 2, 3, 5, 100]))
        _, _, emptied = brute_force(x, init, max_iter)
        if emptied:
            continue
        centers, labels = ref.kmeans(x, init, max_iter)
        sk_centers, sk_labels, n_iter = sklearn_kmeans(x, init, max_iter)
        np.testing.assert_array_equal(labels, sk_labels)
        np.testing.assert_allclose(centers, sk_centers, rtol=1e-10, atol=1e-10)
        worst = max(worst, float(np.abs(centers - sk_centers).max()))
        compared += 1
        # sklearn ran max_iter iterations without its labels repeating: the run was cut.
        cut += n_iter == max_iter and not np.array_equal(ref.kmeans(x, init, max_iter + 1)[1], labels)
    assert compared >= 120 and cut >= 20, (compared, cut)
    assert worst < 1e-10


def test_sklearn_relocates_an_empty_cluster_the_contract_keeps_it():
    x, init = [[0, 0], [0, 2], [4, 0]], [[0, 0], [4, 0], [10, 10]]
    centers, labels = ref.kmeans(x, init)
    np.testing.assert_array_equal(centers, [[0, 1], [4, 0], [10, 10]])
    sk_centers, _, _ = sklearn_kmeans(np.array(x, float), np.array(init, float), 100)
    assert not np.allclose(sk_centers[2], [10, 10])  # sklearn moved it onto a data point


# --- brute force and hand-derived values -----------------------------------------------------------

@pytest.mark.parametrize("seed", range(40))
def test_matches_brute_force(seed):
    rng = np.random.default_rng(1000 + seed)
    x, init = _blobs(rng)
    if seed % 2:  # small integers: exact ties between centres happen, and empty clusters
        x = rng.integers(-3, 4, size=x.shape)
        init = rng.integers(-3, 4, size=init.shape)
    max_iter = int(rng.choice([0, 1, 2, 4, 100]))
    centers, labels = ref.kmeans(x, init, max_iter)
    b_centers, b_labels, _ = brute_force(x, init, max_iter)
    np.testing.assert_array_equal(labels, b_labels)
    np.testing.assert_allclose(centers, b_centers, rtol=1e-12, atol=1e-12)
    assert centers.dtype == np.float64 and labels.dtype.kind == "i" and labels.shape == (len(x),)


def test_hand_derived_cases():
    x = [[0.0], [1.0], [2.0], [6.0], [7.0]]
    # labels [0,1,1,1,1] -> centres 0, 4 -> point 2 tied (4 = 4) goes to 0 -> centres 1, 6.5 -> same labels.
    centers, labels = ref.kmeans(x, [[0.0], [1.0]])
    np.testing.assert_array_equal(centers, [[1.0], [6.5]])
    np.testing.assert_array_equal(labels, [0, 0, 0, 1, 1])
    # One update: centres 0 and 4, and the labels of those centres, not [0, 1, 1, 1, 1].
    centers, labels = ref.kmeans(x, [[0.0], [1.0]], max_iter=1)
    np.testing.assert_array_equal(centers, [[0.0], [4.0]])
    np.testing.assert_array_equal(labels, [0, 0, 0, 1, 1])
    # max_iter = 0: the initial centres as floats, and their labels.
    centers, labels = ref.kmeans([[0, 0], [3, 0]], [[1, 0], [2, 0]], max_iter=0)
    assert centers.dtype == np.float64 and centers.tolist() == [[1, 0], [2, 0]] and labels.tolist() == [0, 1]
    # (0, 0) and (0, 1) are each as near to (-2, 0) as to (2, 0): both go to centre 0.
    centers, labels = ref.kmeans([[0, 0], [0, 1], [-3, 0], [3, 0]], [[-2, 0], [2, 0]])
    np.testing.assert_allclose(centers, [[-1, 1 / 3], [3, 0]])
    np.testing.assert_array_equal(labels, [0, 0, 0, 1])
    # Every point first goes to centre 0, which then moves to their mean 13 / 4; centre 1 keeps its place.
    centers, labels = ref.kmeans([[0.0], [1.0], [2.0], [10.0]], [[5.0], [100.0]])
    np.testing.assert_array_equal(centers, [[3.25], [100.0]])


def test_init_centers_left_alone():
    x = np.random.default_rng(0).normal(size=(30, 2))
    init = x[:3].copy()
    before = init.copy()
    ref.kmeans(x, init)
    np.testing.assert_array_equal(init, before)


def test_named_cases_have_no_near_ties():
    """At every assignment of every named case, each point's two nearest centres are exactly as near (a tie
    the case means, on values every method computes exactly) or clearly apart: an answer computing distances
    another legitimate way (|x|^2 - 2 x.c + |c|^2) must get the same labels."""
    for case in suite.cases(np.random.default_rng(0)):
        if "random" in case.name:
            continue
        x = np.asarray(case.args[0], dtype=float)
        centers = np.array(case.args[1], dtype=float)
        max_iter = case.kwargs.get("max_iter", 100)
        labels = None
        for step in range(max_iter + 1):
            d = ((x[:, None] - centers[None]) ** 2).sum(-1)
            if centers.shape[0] > 1:
                two = np.sort(d, axis=1)[:, :2]
                gap = two[:, 1] - two[:, 0]
                assert np.all((gap == 0) | (gap > 1e-6 * two[:, 1])), (case.name, step)
                expanded = (x * x).sum(1)[:, None] - 2 * x @ centers.T + (centers * centers).sum(1)
                np.testing.assert_array_equal(expanded.argmin(1), d.argmin(1), err_msg=case.name)
            new = d.argmin(1)
            if labels is not None and np.array_equal(new, labels) or step == max_iter:
                break
            labels = new
            for j in range(len(centers)):
                if np.any(labels == j):
                    centers[j] = x[labels == j].mean(0)


# --- the checkers ----------------------------------------------------------------------------------

def test_checker_sentences():
    check = suite.CHECKS["kmeans"]
    exp = (np.array([[0.0, 1.0], [4.0, 0.0], [10.0, 10.0]]), np.array([0, 0, 1]))
    assert check(exp, exp) is None
    assert check(exp, (exp[0].tolist(), exp[1].tolist())) is None
    assert "never dropped" in check(exp, (exp[0][:2], exp[1])).text
    nan = exp[0].copy()
    nan[2] = np.nan
    assert "count of 0" in check(exp, (nan, exp[1])).text
    assert "float64 copy" in check(exp, (exp[0].astype(int), exp[1])).text
    assert "integers" in check(exp, (exp[0], exp[1].astype(float))).text
    assert "one label per point" in check(exp, (exp[0], exp[1][:2])).text
    assert "tuple" in check(exp, exp[0]).text
    for actual in ((exp[0][:2], exp[1]), (nan, exp[1]), (exp[0], exp[1].astype(float)), None, "x"):
        assert check(exp, actual).safe
    # Centres off by a little while labels differ: the labels are reported, not "close".
    far = (exp[0] + 1e6, exp[1])
    problem = check(far, (far[0] + 1.0, np.array([0, 1, 1])))
    assert problem.text.startswith("labels:") and not problem.safe


@pytest.mark.parametrize("switches, sentence", suite._MISTAKES, ids=[s[:40] for _, s in suite._MISTAKES])
def test_each_mistake_is_named_on_some_named_case(switches, sentence):
    cases = {c.name: c for c in suite.cases(np.random.default_rng(0))}
    named = []
    for case in cases.values():
        if "random" in case.name:
            continue
        expected = ref.kmeans(*case.args, **case.kwargs)
        actual = suite._lloyd(*case.args, **case.kwargs, **switches)
        problem = case.check(expected, actual)
        if problem is not None and problem.safe and sentence in problem.text:
            named.append(case.name)
    assert named, sentence


# --- grading ---------------------------------------------------------------------------------------

def test_public_failure_shows_the_labels_of_the_returned_centres():
    case = next(c for c in graded_wrong("kmeans", "stale_labels").cases if c.name == "docstring_max_iter_1")
    assert case.actual == "(array([[0.], [4.]]), array([0, 1, 1, 1, 1]))"
    assert "assign the points to the returned centres once more" in case.message


def test_reference_and_loop_answer_pass_within_limits():
    assert_reference_and_loops_pass("kmeans", "kmeans_loops")


def test_catalogue_has_the_classic_mistakes():
    assert_catalogue_holds("kmeans", {"reseeds_empty_cluster", "drops_empty_cluster", "nan_empty_cluster",
                                      "ties_to_higher_index", "ignores_max_iter", "single_update",
                                      "one_update_too_many", "modifies_init_in_place", "tolerance_stop_allclose",
                                      "online_updates", "integer_centres", "stale_labels"})
