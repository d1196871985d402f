"""k-nearest-neighbour classification.

train_x is an (N, D) array of training points and train_y their N labels; test_x is an (M, D) array of
points to classify, and M may be 0. All may be nested lists or numpy arrays. Labels are any ints: they
may be negative and need not be 0..C-1 (e.g. -1, 3, 10).

Distance is Euclidean (comparing squared distances gives the same order). Ties: among training points
at the same distance from a test point, the lower training index counts as nearer (a stable sort);
among labels with the same number of votes, the smallest label wins.
ValueError: k < 1 or k > N.

Labels are compared exactly.

Write it by hand with Python and numpy: cv2, torch, torchvision, scipy, sklearn and the like are refused.
Check your work with `grade knn`; stuck? `grade hint knn`.
"""

import numpy as np


def knn_predict(train_x, train_y, test_x, k):
    """The label of every test point by a majority vote of its k nearest training points, as
    sklearn.neighbors.KNeighborsClassifier(n_neighbors=k, algorithm="brute").fit(train_x, train_y)
    .predict(test_x) gives it where there are no distance ties.

    For each test point: order the training points by their distance to it (equal distances: the
    lower training index first), keep the first k, and count one vote per neighbour for its label,
    however near or far it is. The label with the most votes wins; on equal votes, the smallest label.
    A training point equal to the test point is a neighbour at distance 0 like any other.

    k is an int; raise ValueError if k < 1 or k > N (the number of training points).

    Returns an int array of shape (M,): the predicted label of each test point, in test_x's order
    (an empty test_x gives an empty result).

    Example:
        >>> train_x = [[0.0], [1.0], [2.0], [3.0]]
        >>> train_y = [5, 5, -1, 2]
        >>> knn_predict(train_x, train_y, [[0.4], [1.4]], 2)
        array([ 5, -1])

        0.4: the two nearest are points 0 and 1, two votes for 5. 1.4: the two nearest are points 1
        (label 5, distance 0.4) and 2 (label -1, distance 0.6): one vote each, the smaller label -1
        wins, not the label of the nearest point.

        >>> knn_predict(train_x, train_y, [[1.5]], 1)
        array([5])

        Points 1 and 2 are both at distance 0.5 from 1.5: the lower index, point 1, is the nearest.
    """
    # TODO: your code here
    raise NotImplementedError
