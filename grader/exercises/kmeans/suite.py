"""Hidden suite for kmeans: the stopping rule (no label changes) and what max_iter counts, the labels
returned after the last update, ties to the lowest centre index, empty clusters kept in place, integer
input, the caller's init_centers left alone, and data scaled so that a centre-shift tolerance stops too
early.

When an answer is wrong, the checker re-runs the classic mistakes on the case's own inputs and names
the one the answer matches (without quoting data).
"""

from dataclasses import replace

import numpy as np

from grader.grading import compare
from grader.grading.suite import hidden, public
from grader.grading.generators import named_rng
from grader.grading.compare import tuple_of
from grader.grading.suite import diagnosing
def check_centers(expected, actual):
    """float64 (K, D) centres; the two classic causes of a wrong shape or of NaN, in words."""
    arr = compare.numeric_array(actual)
    exp = np.asarray(expected, dtype=np.float64)
    if arr is not None and arr.ndim == 2 and arr.shape[0] < exp.shape[0] and arr.shape[1:] == exp.shape[1:]:
        return compare.safe("fewer centres than init_centers: a cluster that gets no point keeps its centre, it "
                            "is never dropped", compare.SHAPE)
    if arr is not None and arr.shape != exp.shape:
        return compare.safe("return the centres as a (K, D) array, one row per initial centre", compare.SHAPE)
    if isinstance(actual, np.ndarray) and arr is not None and arr.dtype.kind in "iub":
        return compare.safe(f"centres of dtype {arr.dtype}: the mean of integer points is not an integer; work on "
                            "a float64 copy (np.array(init_centers, dtype=float))", compare.DTYPE)
    problem = compare.float_array(expected, actual, dtype=np.float64)
    if problem is not None and problem.kind == compare.NAN:
        return compare.safe("NaN in the centres: a cluster that gets no point keeps its centre; never divide by "
                            "its count of 0", compare.NAN)
    return problem


def check_labels(expected, actual):
    """One integer label per point, exactly."""
    exp = np.asarray(expected).reshape(-1)
    arr = compare.numeric_array(actual)
    if arr is None:
        return compare.safe("return the labels as an int array of shape (N,)", compare.TYPE)
    if arr.shape != exp.shape and not (arr.size == exp.size == 0):
        return compare.safe("return one label per point: an int array of shape (N,)", compare.SHAPE)
    if arr.dtype.kind not in "iu" and arr.size:
        return compare.safe(f"labels of dtype {arr.dtype}: return integers (np.argmin gives them)", compare.DTYPE)
    bad = np.flatnonzero(arr.astype(np.int64) != exp)
    if bad.size == 0:
        return None
    first = int(bad[0])
    return compare.wrong(f"{bad.size} of {exp.size} labels differ, the first at point {first}: expected "
                         f"{int(exp[first])}, got {int(arr[first])}")


_pair = tuple_of(("centers", check_centers), ("labels", check_labels))


def check_result(expected, actual):
    """(centers, labels). Centres only just outside the tolerance while labels differ are not a precision
    problem: then the labels' difference is the one reported (and diagnosed)."""
    problem = _pair(expected, actual)
    if problem is not None and problem.safe and problem.kind == compare.VALUE and problem.text.startswith("centers"):
        labels = compare.as_problem(check_labels(expected[1], actual[1]))
        if labels is not None:
            return labels.prefixed("labels: ")
    return problem


CHECKS = {"kmeans": check_result}


# --- the classic mistakes, to name the one an answer made (never for expected values) ----------------

def _lloyd(x, init_centers, max_iter=100, *, high_ties=False, updates=None, stale=False, zero_start=False,
           tol_stop=None, reseed=False, online=False):
    x = np.asarray(x, dtype=np.float64)
    centers = np.array(init_centers, dtype=np.float64)
    k = len(centers)

    def assign(c):
        d = ((x[:, None, :] - c[None, :, :]) ** 2).sum(axis=2)
        return k - 1 - np.argmin(d[:, ::-1], axis=1) if high_ties else np.argmin(d, axis=1)

    labels = assign(centers)
    if zero_start and not labels.any():
        return centers, labels  # "previous labels" started at zeros: stopped before the first update
    limit = max_iter if updates is None else updates(max_iter)
    done = 0
    while done < limit:
        old = centers.copy()
        if online:  # MacQueen: each point moves its nearest centre at once, by a running mean
            counts = np.zeros(k)
            for point in x:
                j = int(np.argmin(((centers - point) ** 2).sum(axis=1)))
                counts[j] += 1
                centers[j] += (point - centers[j]) / counts[j]
        else:
            for j in range(k):
                members = x[labels == j]
                if len(members):
                    centers[j] = members.mean(axis=0)
                elif reseed:  # sklearn's relocation: the point farthest from its own centre
                    far = int(np.argmax(((x - old[labels]) ** 2).sum(axis=1)))
                    centers[j] = x[far]
        done += 1
        if tol_stop is not None and tol_stop(centers, old):
            break
        new = assign(centers)
        if np.array_equal(new, labels):
            return centers, labels
        if stale and done == limit:
            return centers, labels
        labels = new
    return centers, assign(centers)


_TOLERANCE = ("stopped when the centres moved less than a tolerance (np.allclose, a norm below 1e-4...): stop "
              "only when no label changes")

_MISTAKES = [
    (dict(high_ties=True), "a point exactly as near to two centres takes the LOWER centre index (np.argmin "
                           "does), not the higher"),
    (dict(stale=True), "the labels are those the last update was computed from: when max_iter ends the run, "
                       "assign the points to the returned centres once more"),
    (dict(updates=lambda m: m + 1), "one update too many: max_iter counts centre updates, stop after max_iter "
                                    "of them"),
    (dict(updates=lambda m: max(m - 1, 0)), "one update too few: max_iter = m allows m centre updates, each "
                                            "followed by an assignment"),
    (dict(updates=lambda m: 1), "stopped after one update: repeat update + assignment until no label changes "
                                "(or max_iter updates are done)"),
    (dict(updates=lambda m: 10**4), "max_iter is ignored: stop after max_iter updates even if labels still "
                                    "change"),
    (dict(zero_start=True), "stopped before the first update because every point started in cluster 0: the "
                            "first assignment has no earlier labels to compare with"),
    (dict(tol_stop=np.allclose), _TOLERANCE),
    (dict(tol_stop=lambda c, old: np.abs(c - old).max() < 1e-4), _TOLERANCE),
    (dict(reseed=True), "an empty cluster was moved to a far point: here it keeps its centre"),
    (dict(online=True), "the centres moved point by point (online, MacQueen): Lloyd's update moves each centre "
                        "once per step, to the mean of all its points"),
]


def _known_mistakes(x, init_centers, max_iter=100):
    """Each mistake's answer on this case (diagnosing names every one that fits: ignoring max_iter and one
    update too many, say, can give the same answer)."""
    for switches, sentence in _MISTAKES:
        try:
            yield _lloyd(x, init_centers, max_iter, **switches), sentence
        except (ValueError, IndexError, FloatingPointError):
            continue


# --- the data ----------------------------------------------------------------------------------------

def _chain(offset=0.0, scale=1.0):
    """33 points at t**1.5 on a line, started from the first three: ten updates to converge, one point
    changing cluster at a time, no point ever near a tie."""
    t = np.arange(33.0) ** 1.5
    x = (t[:, None] * scale) + offset
    return x, x[:3].copy()


def _blobs(rng, n, k, d, spread=1.0, separation=6.0):
    means = rng.normal(scale=separation, size=(k, d))
    x = means[rng.integers(0, k, size=n)] + rng.normal(scale=spread, size=(n, d))
    return x, x[rng.choice(n, size=k, replace=False)].copy()


def _random(rng, i):
    n, k, d = int(rng.integers(20, 150)), int(rng.integers(2, 6)), int(rng.integers(1, 5))
    x, init = _blobs(rng, n, k, d, spread=float(rng.choice([0.5, 1.0, 3.0])))
    max_iter = int(rng.choice([1, 2, 3, 100, 100]))
    return hidden(f"random_{i}", "random blobs started from random points; max_iter 1, 2, 3 or 100", "kmeans",
                  x, init, max_iter=max_iter)


def cases(seeded):
    rng = named_rng()  # the named cases' data is the same at every seed; random cases use `seeded`
    chain, chain_init = _chain()
    blob_x, blob_init = _blobs(rng, 60, 3, 2)
    wide_x, wide_init = _blobs(rng, 80, 4, 6, spread=2.0)
    keep_x, keep_init = _blobs(rng, 40, 3, 3)
    out = [
        public("docstring_two_steps", "the first example in the docstring", "kmeans",
               [[0.0], [1.0], [2.0], [6.0], [7.0]], [[0.0], [1.0]]),
        public("docstring_max_iter_1", "the second example: max_iter=1", "kmeans",
               [[0.0], [1.0], [2.0], [6.0], [7.0]], [[0.0], [1.0]], max_iter=1),
        public("docstring_empty_cluster", "the third example: a centre that gets no point", "kmeans",
               [[0, 0], [0, 2], [4, 0]], [[0, 0], [4, 0], [10, 10]]),

        # Stopping, and what max_iter counts.
        hidden("blobs", "three blobs in 2-D started from three of their points", "kmeans", blob_x, blob_init),
        hidden("slow_chain", "points on a line that take ten updates to converge", "kmeans", chain, chain_init),
        hidden("max_iter_1", "the slow chain with max_iter=1: one update, then the labels of those centres",
               "kmeans", chain, chain_init, max_iter=1),
        hidden("max_iter_2", "the slow chain with max_iter=2", "kmeans", chain, chain_init, max_iter=2),
        hidden("max_iter_5", "the slow chain with max_iter=5", "kmeans", chain, chain_init, max_iter=5),
        hidden("max_iter_one_short", "the slow chain with max_iter one below the updates it needs", "kmeans",
               chain, chain_init, max_iter=9),
        hidden("max_iter_just_enough", "the slow chain with max_iter exactly the updates it needs", "kmeans",
               chain, chain_init, max_iter=10),
        hidden("max_iter_0", "max_iter=0: no update, the initial centres (as floats) and their labels", "kmeans",
               blob_x, blob_init, max_iter=0),
        hidden("already_converged", "initial centres that are already the means: one update changes nothing",
               "kmeans", [[0.0, 0.0], [2.0, 0.0], [10.0, 10.0], [12.0, 10.0]], [[1.0, 0.0], [11.0, 10.0]]),
        hidden("all_start_in_cluster_0", "every point is first nearest to centre 0: it still gets updated",
               "kmeans", [[0.0], [1.0], [2.0], [10.0]], [[5.0], [100.0]]),

        # Ties.
        hidden("tie_two_centres", "points exactly midway between two centres go to the lower index", "kmeans",
               [[0, 0], [0, 1], [-3, 0], [3, 0]], [[-2, 0], [2, 0]]),
        hidden("tie_four_centres", "a point at the same distance from four centres goes to the lowest index",
               "kmeans", [[0, 0], [4, 0], [0, 4], [-4, 0], [0, -4], [5, 0], [0, 5]],
               [[2, 0], [0, 2], [-2, 0], [0, -2]]),
        hidden("duplicate_centres", "two identical initial centres: the second never gets a point and stays put",
               "kmeans", blob_x[:30], np.vstack([blob_init[:2], blob_init[1:2]])),

        # Empty clusters.
        hidden("empty_from_start", "a centre far from every point: it keeps its position, no NaN, not dropped",
               "kmeans", keep_x, np.vstack([keep_init, [[50.0, 50.0, 50.0]]])),
        hidden("empties_later", "a cluster that loses its last point after the first update keeps its centre",
               "kmeans", [[7.0], [9.0], [14.0], [15.0]], [[3.5], [13.5], [15.0]]),
        hidden("one_cluster", "K = 1: the centre is the mean of all points", "kmeans", keep_x, keep_init[:1]),
        hidden("k_equals_n", "as many centres as points, given in another order", "kmeans",
               keep_x[:6], keep_x[[3, 0, 5, 1, 4, 2]]),
        hidden("duplicate_points", "repeated points", "kmeans",
               np.repeat([[1.0, 1.0], [1.0, 3.0], [6.0, 2.0]], [5, 3, 4], axis=0), [[1.0, 1.0], [1.0, 2.5], [3.0, 2.0]]),

        # Types and inputs.
        hidden("int_input", "integer points and centres: the centres are float64 means", "kmeans",
               np.array([[0, 0], [1, 0], [0, 1], [7, 7], [8, 8], [8, 6]]), np.array([[0, 0], [8, 8]])),
        hidden("list_input", "nested Python lists", "kmeans", blob_x[:20].round(2).tolist(),
               blob_init.round(2).tolist()),
        replace(hidden("keeps_init_centers", "a float64 init_centers array must be left as it was", "kmeans",
                       keep_x, keep_init), keeps_inputs=True),
        hidden("six_dimensions", "four blobs in 6-D", "kmeans", wide_x, wide_init),

        # Scale: a tolerance on how far the centres moved stops too early, labels still change.
        hidden("tiny_scale", "the slow chain scaled by 1e-10: centres move very little, labels still change",
               "kmeans", *_chain(scale=1e-10)),
        hidden("far_from_origin", "the slow chain moved to 1e6: centres move little relative to their size",
               "kmeans", *_chain(offset=1e6)),
    ]
    out += [_random(seeded, i) for i in range(5)]
    return [diagnosing(case, CHECKS["kmeans"], _known_mistakes) for case in out]
