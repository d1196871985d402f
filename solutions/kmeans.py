"""Reference: Lloyd's k-means from given centres, with sklearn's KMeans(algorithm="lloyd", tol=0) stopping
rule and final labels, and empty clusters kept where they are."""

import numpy as np


def _assign(x, centers):
    # Squared distances from the differences (not |x|^2 - 2 x.c + |c|^2): two equal distances stay
    # exactly equal, and np.argmin gives such a tie to the lowest centre index.
    return np.argmin(((x[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2), axis=1)


def kmeans(x, init_centers, max_iter=100):
    x = np.asarray(x, dtype=np.float64)
    centers = np.array(init_centers, dtype=np.float64)  # np.array copies: the caller's array is left alone
    labels = _assign(x, centers)
    for _ in range(max_iter):
        counts = np.bincount(labels, minlength=len(centers))
        sums = np.zeros_like(centers)
        np.add.at(sums, labels, x)
        filled = counts > 0  # an empty cluster keeps its centre: no reseeding, no 0 / 0
        centers[filled] = sums[filled] / counts[filled, None]
        new = _assign(x, centers)
        if np.array_equal(new, labels):
            break
        labels = new
    # labels is always the assignment to the returned centres: on convergence it is the fixed point,
    # and when max_iter ends the run it is the assignment made after the last update (as sklearn does).
    return centers, labels
