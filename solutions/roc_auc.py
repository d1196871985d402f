"""Reference: sort once by descending score, one curve point per distinct score, O(n log n)."""

import numpy as np


def _positives_and_scores(y_true, y_score):
    """The labels as a bool array (True = positive) and the scores as floats, after the contract's checks."""
    y = np.asarray(y_true)
    try:
        s = np.asarray(y_score, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("y_score must hold numbers") from None
    if y.ndim != 1 or y.shape != s.shape:
        raise ValueError("y_true and y_score must be 1-d and of the same length")
    # Only 0/1 (ints or floats) or bools: 2, -1 or "a" are refused rather than guessed at.
    if y.dtype.kind not in "biuf" or not np.all((y == 0) | (y == 1)):
        raise ValueError("y_true must hold only 0/1 or bools")
    if not np.all(np.isfinite(s)):
        raise ValueError("y_score must be finite")
    positive = y == 1
    if positive.all() or not positive.any():  # an empty input has neither class
        raise ValueError("y_true must hold both classes (and not be empty)")
    return positive, s


def roc_curve(y_true, y_score):
    positive, s = _positives_and_scores(y_true, y_score)
    order = np.argsort(-s, kind="stable")
    s, positive = s[order], positive[order]
    # The last index of each run of equal scores: lowering the threshold past a score lets all of them in.
    last = np.flatnonzero(np.r_[s[1:] != s[:-1], True])
    tps = np.cumsum(positive)[last]
    fps = (last + 1) - tps
    fpr = np.r_[0.0, fps / fps[-1]]
    tpr = np.r_[0.0, tps / tps[-1]]
    return fpr, tpr, np.r_[np.inf, s[last]]


def roc_auc(y_true, y_score):
    fpr, tpr, _ = roc_curve(y_true, y_score)
    # Trapezoids: a step that takes in tied positives and negatives together is a diagonal, worth one half.
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1])) / 2)
