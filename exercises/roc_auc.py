"""The ROC curve of a binary classifier and the area under it (AUC), as scikit-learn computes them.

Inputs may be lists or numpy arrays, both 1-d and of the same length n >= 1:
  y_true:  the true labels, each 0 or 1 (ints or floats) or a bool (True is positive). Any other
           label (-1, 2, 0.5, "a") raises ValueError: no other two-valued labels are guessed at.
  y_score: finite numbers, higher meaning "more likely positive" (probabilities, logits, ranks...).
Both classes must be present. ValueError is raised, by both functions, when the input is empty, the
lengths differ, an input is not 1-d, a label is not 0/1, a score is nan or +-inf, or only one class
is present (scikit-learn warns and returns nan there; here it is an error).

Ties: samples with equal scores are let in together, so they make one step of the curve, and a
positive and a negative with equal scores count one half in the AUC.

Floating results are compared with rtol=1e-5, atol=1e-6. n goes up to 100,000: an O(n log n)
solution (one sort) is expected; comparing every positive with every negative, O(n^2), runs out
of time.

Write it by hand with Python and numpy: sklearn, scipy and the like are refused.
Check your work with `grade roc_auc`; stuck? `grade hint roc_auc`.
"""

import numpy as np


def roc_curve(y_true, y_score):
    """The ROC curve, as sklearn.metrics.roc_curve(y_true, y_score, drop_intermediate=False).

    Lower a threshold t from +inf past each distinct score, highest first. At each t, the samples
    with score >= t are predicted positive:
      tpr = (positives with score >= t) / (number of positives)
      fpr = (negatives with score >= t) / (number of negatives)
    Return (fpr, tpr, thresholds), three float arrays of length k + 1 for k distinct scores:
    thresholds = [inf, then the distinct scores in decreasing order], and point i is the curve at
    thresholds[i]. So the curve starts at (0, 0) with threshold inf, ends at (1, 1) with the lowest
    score, and no point is dropped (even where three points lie on a line).

    Example:
        >>> fpr, tpr, thresholds = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> fpr
        array([0. , 0. , 0.5, 0.5, 1. ])
        >>> tpr
        array([0. , 0.5, 0.5, 1. , 1. ])
        >>> thresholds
        array([ inf, 0.8 , 0.4 , 0.35, 0.1 ])

        At t = 0.8 one of the two positives is in; at 0.4 a negative joins it; at 0.35 the other
        positive; at 0.1 the other negative.

        >>> fpr, tpr, thresholds = roc_curve([0, 1, 0, 1], [0.2, 0.6, 0.6, 0.9])
        >>> fpr, tpr, thresholds
        (array([0. , 0. , 0.5, 1. ]), array([0. , 0.5, 1. , 1. ]), array([inf, 0.9, 0.6, 0.2]))

        The two samples scored 0.6 (a positive and a negative) are let in by the same threshold:
        one step from (0, 0.5) to (0.5, 1), not two.
    """
    # TODO: your code here
    raise NotImplementedError


def roc_auc(y_true, y_score):
    """The area under the ROC curve, as a float: sklearn.metrics.roc_auc_score(y_true, y_score).

    The area under roc_curve's points joined by straight lines (the trapezoidal rule). It is also the
    probability that a random positive scores higher than a random negative, a tie counting one half:
    (wins + ties / 2) / (positives * negatives) over all positive-negative pairs.

    Example:
        >>> roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        0.75

        Of the 4 positive-negative pairs, 3 have the positive scored higher.

        >>> roc_auc([0, 1, 0, 1], [0.2, 0.6, 0.6, 0.9])
        0.875

        The positive 0.6 beats the negative 0.2 and ties with the negative 0.6; the positive 0.9
        beats both: (3 + 1/2) / 4. On the curve, the tie is the diagonal step from (0, 0.5) to
        (0.5, 1), a trapezoid of area 0.5 * (0.5 + 1) / 2.
    """
    # TODO: your code here
    raise NotImplementedError
