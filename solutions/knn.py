"""Reference: k-nearest-neighbour majority vote, distance ties to the lower training index, vote ties to
the smallest label (as sklearn's KNeighborsClassifier, whose argmax runs over its sorted classes)."""

import numbers

import numpy as np


def knn_predict(train_x, train_y, test_x, k):
    train_y = np.asarray(train_y).reshape(-1)
    n = len(train_y)
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 1 <= k <= n:
        raise ValueError(f"k must be an int in [1, {n}], got {k!r}")
    train_x = np.asarray(train_x, dtype=np.float64).reshape(n, -1)
    test_x = np.asarray(test_x, dtype=np.float64).reshape(-1, train_x.shape[1])
    # Squared distances order the points as the distances do, with one rounding fewer.
    d2 = ((test_x[:, None, :] - train_x[None, :, :]) ** 2).sum(axis=2)
    # A stable sort along each row: among equal distances the lower training index comes first.
    nearest = np.argsort(d2, axis=1, kind="stable")[:, :k]
    out = np.empty(len(test_x), dtype=np.int64)
    for i, row in enumerate(nearest):
        labels, counts = np.unique(train_y[row], return_counts=True)
        out[i] = labels[np.argmax(counts)]  # np.unique sorts: the first of the most voted is the smallest
    return out
