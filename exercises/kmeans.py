"""k-means clustering with Lloyd's algorithm, started from centres you are given.

x is an (N, D) array of N >= 1 points and init_centers a (K, D) array of K >= 1 starting centres; both
may be nested lists or numpy arrays, of ints or floats. Distances are squared Euclidean, computed in
float64. Nothing is random: the same input always gives the same answer. The inputs are valid: no
ValueError is asked for.

Ties: a point exactly as near to two or more centres takes the LOWEST centre index (as np.argmin).
Empty clusters: a centre that gets no point keeps its position; it is never dropped or reseeded.

The centres are compared with rtol=1e-5, atol=1e-6, the labels exactly.

Write it by hand with Python and numpy: cv2, torch, torchvision, scipy, sklearn and the like are refused.
Check your work with `grade kmeans`; stuck? `grade hint kmeans`.
"""

import numpy as np


def kmeans(x, init_centers, max_iter=100):
    """Lloyd's algorithm, as sklearn.cluster.KMeans(n_clusters=K, init=init_centers, n_init=1,
    algorithm="lloyd", tol=0, max_iter=max_iter) runs it (sklearn moves an empty cluster; you don't).

    Work on a float64 copy of init_centers (never change the caller's array) and use two steps:
      assignment: label every point with the index of its nearest centre (lowest index on ties);
      update:     move every centre to the mean of the points labelled with it; a centre with no
                  point keeps its position (never divide by a count of 0).
    Start with an assignment, then repeat update + assignment. Stop as soon as an assignment gives
    every point the label it already had (converged), or once max_iter updates are done. max_iter
    (an int >= 0) counts updates: max_iter = 0 only labels the points by init_centers.

    Return (centers, labels):
      centers: a float64 (K, D) array, the centres after the last update;
      labels:  an int array (N,), every point's nearest centre among those returned centres (the
               assignment made after the last update, also when max_iter ends the run).

    Example:
        >>> x = [[0.0], [1.0], [2.0], [6.0], [7.0]]
        >>> centers, labels = kmeans(x, [[0.0], [1.0]])
        >>> centers
        array([[1. ],
               [6.5]])
        >>> labels
        array([0, 0, 0, 1, 1])

        Assignment: 0 -> centre 0, every other point -> centre 1. Update: centres 0 and
        (1 + 2 + 6 + 7) / 4 = 4. Assignment: point 2 is as near to 0 as to 4 (squared distance 4),
        so it takes the lower index 0: labels [0, 0, 0, 1, 1]. Update: centres 1 and 6.5.
        Assignment: the same labels, so it stops.

        >>> centers, labels = kmeans(x, [[0.0], [1.0]], max_iter=1)
        >>> centers
        array([[0.],
               [4.]])
        >>> labels
        array([0, 0, 0, 1, 1])

        One update only: the centres 0 and 4, and the labels of THOSE centres (not the labels
        [0, 1, 1, 1, 1] the update was computed from).

        >>> centers, labels = kmeans([[0, 0], [0, 2], [4, 0]], [[0, 0], [4, 0], [10, 10]])
        >>> centers
        array([[ 0.,  1.],
               [ 4.,  0.],
               [10., 10.]])
        >>> labels
        array([0, 0, 1])

        No point is nearest to (10, 10): that centre keeps its place.
    """
    # TODO: your code here
    raise NotImplementedError
