"""roc_auc: the reference against scikit-learn (roc_curve with drop_intermediate=False, roc_auc_score),
an independent brute-force threshold sweep for the curve and the Mann-Whitney pair count for the AUC,
hand-worked values; then the suite's cases and checkers, and the grading of the slow answers and the
mistake catalogue.

scikit-learn differs from the contract in one place only: with one class present it warns and returns
nan (roc_auc_score) or a curve of nans (roc_curve), where the contract raises ValueError.
"""

import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score
from sklearn.metrics import roc_curve as sk_roc_curve

from grader import catalog
from grader.grading import compare
from grader.grading.attempt import grade_attempt
from grader.sandbox.limits import Limits
from grader.grading.suite import hidden
from grader.grading.suite import diagnosing
from grader.exercises.roc_auc import suite as suite
from wrong_attempts import assert_catalogue_holds, assert_reference_and_loops_pass, graded_wrong, assert_raised_by_the_contract

ref = catalog.get("roc_auc").reference()
SLOW = Path(__file__).parent / "fixtures" / "slow"


def sweep(y_true, y_score):
    """The curve by definition: for t = inf and each distinct score, highest first, the share of the
    positives and of the negatives scored >= t. O(n * k), plain Python."""
    labels = [bool(v) for v in y_true]
    scores = [float(v) for v in y_score]
    n_pos = sum(labels)
    n_neg = len(labels) - n_pos
    fpr, tpr = [], []
    thresholds = [float("inf")] + sorted(set(scores), reverse=True)
    for t in thresholds:
        fpr.append(sum(1 for l, s in zip(labels, scores) if s >= t and not l) / n_neg)
        tpr.append(sum(1 for l, s in zip(labels, scores) if s >= t and l) / n_pos)
    return np.array(fpr), np.array(tpr), np.array(thresholds)


def pair_count(y_true, y_score):
    """Mann-Whitney U over all positive-negative pairs, a tie one half, as an exact fraction."""
    pos = [float(s) for l, s in zip(y_true, y_score) if l]
    neg = [float(s) for l, s in zip(y_true, y_score) if not l]
    wins = sum(Fraction(1) if p > n else Fraction(1, 2) if p == n else Fraction(0) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def random_input(rng):
    """Labels with both classes, scores continuous, on a coarse grid (ties) or integers."""
    n = int(rng.integers(2, 80))
    y = rng.integers(0, 2, size=n)
    y[rng.permutation(n)[:2]] = [0, 1]
    kind = rng.integers(3)
    if kind == 0:
        s = rng.normal(size=n) + y * rng.uniform(0, 2)
    elif kind == 1:
        s = np.round(rng.normal(size=n) + y, 1)
    else:
        s = rng.integers(-3, 4, size=n).astype(np.float64)
    return y, s


def sk_curve(y, s):
    return sk_roc_curve(y, s, drop_intermediate=False)


# --- the reference against the oracles ---------------------------------------------------------------

def test_matches_sklearn_and_brute_force_on_random_inputs():
    rng = np.random.default_rng(0)
    worst_curve = worst_auc = 0.0
    tied = 0
    for _ in range(600):
        y, s = random_input(rng)
        fpr, tpr, thr = ref.roc_curve(y, s)
        for ours, sk, bf in zip((fpr, tpr, thr), sk_curve(y, s), sweep(y, s)):
            assert ours.shape == sk.shape == bf.shape and ours.dtype == np.float64
            np.testing.assert_array_equal(ours, bf)  # thresholds exactly, rates as the same divisions
            finite = np.isfinite(sk)
            np.testing.assert_array_equal(np.isfinite(ours), finite)
            worst_curve = max(worst_curve, float(np.max(np.abs(ours[finite] - sk[finite]))))
        auc = ref.roc_auc(y, s)
        assert isinstance(auc, float)
        worst_auc = max(worst_auc, abs(auc - roc_auc_score(y, s)), abs(auc - float(pair_count(y, s))))
        tied += len(thr) < len(s) + 1
    assert worst_curve == 0.0
    assert worst_auc < 1e-12
    assert tied > 300, "most inputs must have ties"


def test_matches_sklearn_on_the_suite_cases():
    """Every case of the suite whose input is valid, the named ones included, at two seeds."""
    checked = 0
    for seed in (0, 1):
        for case in suite.cases(np.random.default_rng(seed)):
            y, s = case.args
            try:
                expected = ref.roc_curve(y, s) if case.func == "roc_curve" else ref.roc_auc(y, s)
            except ValueError:
                continue
            if case.func == "roc_curve":
                for ours, sk in zip(expected, sk_curve(y, s)):
                    np.testing.assert_allclose(ours, sk, rtol=1e-12, atol=0, err_msg=case.name)
            else:
                assert expected == pytest.approx(roc_auc_score(y, s), rel=1e-12, abs=1e-12), case.name
            checked += 1
    assert checked >= 80


def test_large_case_matches_sklearn():
    cases = {c.name: c for c in suite.cases(np.random.default_rng(0))}
    y, s = cases["large_auc"].args
    assert ref.roc_auc(y, s) == pytest.approx(roc_auc_score(y, s), rel=1e-12)
    y, s = cases["large_curve"].args
    for ours, sk in zip(ref.roc_curve(y, s), sk_curve(y, s)):
        np.testing.assert_allclose(ours, sk, rtol=1e-12, atol=0)


def test_labels_of_every_spelling_agree():
    scores = [0.8, 0.35, 0.2, 0.75, 0.6, 0.1]
    ints = [1, 0, 1, 1, 0, 0]
    expected = ref.roc_curve(ints, scores)
    for labels in ([bool(v) for v in ints], np.array(ints, dtype=np.float32), np.array(ints, dtype=np.uint8)):
        for ours, exp in zip(ref.roc_curve(labels, scores), expected):
            np.testing.assert_array_equal(ours, exp)
        assert ref.roc_auc(labels, np.array(scores)) == ref.roc_auc(ints, scores)


# --- by hand -----------------------------------------------------------------------------------------

def test_docstring_examples_by_hand():
    # Scores 0.8 (P), 0.4 (N), 0.35 (P), 0.1 (N): the threshold lets them in one at a time.
    fpr, tpr, thr = ref.roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    np.testing.assert_array_equal(fpr, [0, 0, 0.5, 0.5, 1])
    np.testing.assert_array_equal(tpr, [0, 0.5, 0.5, 1, 1])
    np.testing.assert_array_equal(thr, [np.inf, 0.8, 0.4, 0.35, 0.1])
    # 0.9 (P), then 0.6 (P and N together, one step), then 0.2 (N).
    fpr, tpr, thr = ref.roc_curve([0, 1, 0, 1], [0.2, 0.6, 0.6, 0.9])
    np.testing.assert_array_equal(fpr, [0, 0, 0.5, 1])
    np.testing.assert_array_equal(tpr, [0, 0.5, 1, 1])
    np.testing.assert_array_equal(thr, [np.inf, 0.9, 0.6, 0.2])
    # 3 of 4 pairs won; 3 won and one tie of 4.
    assert ref.roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
    assert ref.roc_auc([0, 1, 0, 1], [0.2, 0.6, 0.6, 0.9]) == 0.875


@pytest.mark.parametrize("y, s, auc", [
    ([0, 1, 1, 0, 1], [0.5] * 5, 0.5),                      # all tied: every pair a tie
    ([1, 1, 0, 0, 1, 0], [0.9, 0.8, 0.3, 0.2, 0.7, 0.6], 1.0),
    ([1, 1, 0, 0, 1, 0], [0.1, 0.2, 0.7, 0.8, 0.3, 0.6], 0.0),
    ([0, 1], [0.3, 0.7], 1.0),
    ([0, 1], [0.7, 0.7], 0.5),
    # positives 0.7, 0.9, 0.4; negatives 0.9, 0.2, 0.1: 2 + (0.5 + 2) + 2 = 6.5 of 9
    ([1, 0, 0, 1, 1, 0], [0.7, 0.9, 0.2, 0.9, 0.4, 0.1], 6.5 / 9),
    # positives -3, -3; negatives 5, 0, 2: nothing won
    ([1, 0, 0, 1, 0], [-3, 5, 0, -3, 2], 0.0),
    # positives 0.5+1e-9 and 0.3+1e-9 each beat the negative just below: 2 + 1 of 4
    ([1, 0, 1, 0], [0.5 + 1e-9, 0.5, 0.3 + 1e-9, 0.3], 0.75),
])
def test_auc_by_hand(y, s, auc):
    assert ref.roc_auc(y, s) == pytest.approx(auc, rel=1e-15, abs=1e-15)


def test_all_tied_curve_is_one_diagonal_step():
    fpr, tpr, thr = ref.roc_curve([0, 1, 1, 0, 1], [0.5] * 5)
    np.testing.assert_array_equal(fpr, [0, 1])
    np.testing.assert_array_equal(tpr, [0, 1])
    np.testing.assert_array_equal(thr, [np.inf, 0.5])


@pytest.mark.parametrize("y, s", [
    ([], []),
    ([0, 1, 1], [0.2, 0.4]),
    ([1, 1, 1], [0.2, 0.5, 0.9]),
    ([0, 0], [0.2, 0.5]),
    ([0, 1, 2, 1], [0.1, 0.4, 0.6, 0.8]),
    ([-1, 1, -1, 1], [0.1, 0.4, 0.35, 0.8]),
    ([0, 0.5, 1], [0.1, 0.4, 0.35]),
    (["a", "b"], [0.1, 0.4]),
    ([0, 1, 0, 1], [0.1, float("nan"), 0.3, 0.8]),
    ([0, 1, 0, 1], [0.1, float("inf"), 0.3, 0.8]),
    ([0, 1, 0, 1], [0.1, float("-inf"), 0.3, 0.8]),
    ([0, 1, 1], [[0.8, 0.2], [0.3, 0.7], [0.4, 0.6]]),
    ([[0, 1], [1, 0]], [[0.1, 0.2], [0.3, 0.4]]),
    ([0, 1], ["x", "y"]),
])
def test_bad_input_raises_value_error(y, s):
    with pytest.raises(ValueError) as raised:
        ref.roc_curve(y, s)
    assert_raised_by_the_contract(raised)
    with pytest.raises(ValueError) as raised:
        ref.roc_auc(y, s)
    assert_raised_by_the_contract(raised)


def test_sklearn_returns_nan_for_one_class_where_the_contract_raises():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert np.isnan(roc_auc_score([1, 1, 1], [0.2, 0.5, 0.9]))
        assert np.isnan(sk_roc_curve([1, 1, 1], [0.2, 0.5, 0.9])[0]).all()


def test_reference_leaves_its_inputs_alone():
    y, s = np.array([1, 0, 1, 0]), np.array([0.2, 0.9, 0.5, 0.1])
    before = (y.copy(), s.copy())
    ref.roc_curve(y, s)
    ref.roc_auc(y, s)
    np.testing.assert_array_equal(y, before[0])
    np.testing.assert_array_equal(s, before[1])


# --- the suite's named cases hold what their categories say -------------------------------------------

def named_cases():
    return {c.name: c for c in suite.cases(np.random.default_rng(0)) if "random" not in c.name}


def test_named_cases_probe_what_they_say():
    cases = named_cases()

    def args(name):
        y, s = cases[name].args
        return np.asarray(y), np.asarray(s, dtype=np.float64)

    for name in ("curve_ties_across_classes", "auc_ties_across_classes", "curve_top_score_tied"):
        y, s = args(name)
        assert any(len(set(y[s == v])) == 2 for v in np.unique(s)), name
    y, s = args("curve_top_score_tied")
    assert set(y[s == s.max()]) == {0, 1}
    y, s = args("curve_ties_within_class")
    assert len(np.unique(s)) < len(s) and all(len(set(y[s == v])) == 1 for v in np.unique(s))
    y, s = args("curve_unsorted")
    assert len(np.unique(s)) == len(s) and not (np.all(np.diff(s) >= 0) or np.all(np.diff(s) <= 0))
    assert np.all(np.diff(args("curve_ascending_input")[1]) > 0)
    for name in ("curve_imbalanced", "curve_one_positive"):
        y, _ = args(name)
        assert 2 * y.sum() != len(y)
    # scikit-learn's default drop_intermediate=True would drop points of this curve.
    y, s = args("curve_collinear")
    assert len(sk_roc_curve(y, s)[0]) < len(ref.roc_curve(y, s)[0])
    y, s = args("curve_close_scores")
    assert len(np.unique(s)) == len(s) and len(np.unique(np.round(s, 6))) < len(s)
    assert cases["curve_numpy_input"].keeps_inputs and isinstance(cases["curve_numpy_input"].args[1], np.ndarray)
    assert cases["curve_float32_scores"].args[1].dtype == np.float32
    y, s = args("large_auc")
    assert len(y) == 100_000 and 0.4 < y.mean() < 0.6 and len(np.unique(s)) < len(s)
    y, s = args("large_curve")
    assert len(y) == 100_000 and len(np.unique(s)) < 2_000
    assert cases["large_auc"].complexity == cases["large_curve"].complexity == "O(n log n)"


# --- the checkers -------------------------------------------------------------------------------------

Y, S = [1, 0, 0, 1, 1, 0, 1, 0], [0.9, 0.9, 0.3, 0.6, 0.6, 0.6, 0.2, 0.1]


def explained_curve(actual, y=Y, s=S):
    """What a hidden roc_curve case on (y, s) tells a learner who returned ``actual``."""
    case = diagnosing(hidden("c", "c", "roc_curve", y, s), suite._check_curve, suite._curve_mistakes,
                      kinds=None, otherwise=suite._shape_hint)
    return case.check(ref.roc_curve(y, s), actual)


def explained_auc(actual, y=Y, s=S):
    case = diagnosing(hidden("c", "c", "roc_auc", y, s), compare.scalar, suite._auc_mistakes, kinds=None)
    return case.check(ref.roc_auc(y, s), actual)


def test_curve_checker_names_the_classic_mistakes_without_data():
    fpr, tpr, thr = ref.roc_curve(Y, S)
    y, s = np.array(Y), np.array(S)
    order = np.argsort(-s, kind="stable")
    per_sample = (np.r_[0, np.cumsum(y[order] == 0) / 4], np.r_[0, np.cumsum(y[order]) / 4], np.r_[np.inf, s[order]])
    problems = {
        "one step of the curve": per_sample,
        "swapped": (tpr, fpr, thr),
        "reversed": (fpr[::-1], tpr[::-1], thr[::-1]),
        "starts at (0, 0)": (fpr[1:], tpr[1:], thr[1:]),
        "end at (1, 1)": (fpr[:-1], tpr[:-1], thr[:-1]),
        "must be inf": (fpr, tpr, np.r_[thr[1] + 1, thr[1:]]),
        "shifted by one point": (fpr, tpr, np.r_[thr[1:], -np.inf]),
        "number of samples": (fpr * 4 / 8, tpr * 4 / 8, thr),
        "decreasing order": (fpr, tpr, np.r_[np.inf, thr[:0:-1]]),
    }
    for words, actual in problems.items():
        problem = explained_curve(actual)
        assert problem is not None and problem.safe and words in problem.text, (words, problem)
    # Imbalanced classes tell the swapped denominators apart; a straight run shows dropped points.
    yi, si = [1, 0, 0, 0, 1], [0.9, 0.8, 0.7, 0.6, 0.5]
    fpr, tpr, thr = ref.roc_curve(yi, si)
    assert "denominators are swapped" in explained_curve((fpr * 3 / 2, tpr * 2 / 3, thr), yi, si).text
    yc, sc = [0, 0, 0, 1, 1, 1], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    dropped = sk_roc_curve(yc, sc)
    assert "drop_intermediate" in explained_curve(dropped, yc, sc).text
    assert explained_curve(ref.roc_curve(Y, S)) is None
    # The inf is matched exactly: no tolerance lets a large number stand for it.
    assert suite.check_thresholds(np.array([np.inf, 1.0]), np.array([1e300, 1.0])) is not None
    assert suite.check_thresholds(np.array([np.inf, 1.0]), [float("inf"), 1.0]) is None


def test_auc_checker_names_the_classic_mistakes_without_data():
    auc = ref.roc_auc(Y, S)
    fpr, tpr, _ = ref.roc_curve(Y, S)
    problems = {
        "counted as a win": float(np.sum(np.diff(fpr) * tpr[1:])),
        "counted as a loss": float(np.sum(np.diff(fpr) * tpr[:-1])),
        "1 - AUC": 1 - auc,
    }
    for words, actual in problems.items():
        problem = explained_auc(actual)
        assert problem.safe and words in problem.text, (words, problem)
    assert explained_auc(auc) is None
    assert not explained_auc(0.123).safe


def test_checkers_never_raise_on_odd_values():
    expected = ref.roc_curve(Y, S)
    odd = [None, "x", 3, (1.0,), (1.0, 2.0, 3.0), ([], [], []), (np.zeros(3), np.zeros(3), np.zeros(3)),
           (np.zeros((2, 2)),) * 3, ([1, [2]], [1], [1]), compare.Unsupported("generator"), np.zeros(3),
           (expected[0], expected[1], ["a"] * len(expected[0])), (expected[0], expected[1], expected[2][:-1]),
           (expected[0][::-1], expected[1], expected[2]), (expected[0], expected[1], np.full(len(expected[0]), np.nan))]
    for actual in odd:
        problem = explained_curve(actual)
        assert isinstance(problem, compare.Problem) and problem.text, actual
    for actual in (None, "x", [1.0, 2.0], np.zeros(2), float("nan"), True, (0.5,)):
        assert explained_auc(actual) is not None


# --- grading ------------------------------------------------------------------------------------------

def test_reference_and_loop_answer_pass_within_limits():
    assert_reference_and_loops_pass("roc_auc", "roc_auc_loops")


@pytest.mark.parametrize("fixture, case", [("roc_auc_pairs", "large_auc"), ("roc_auc_sweep", "large_curve")])
def test_quadratic_answers_fail_only_their_large_case_naming_the_complexity(fixture, case):
    result = grade_attempt("roc_auc", SLOW / f"{fixture}.py", limits=Limits(case_seconds=3))
    failing = {c.name: c for c in result.cases if not c.passed}
    assert set(failing) == {case}
    assert failing[case].status == "timeout"
    assert "O(n log n)" in failing[case].message


def test_hidden_cases_explain_the_mistake():
    for mistake, case, words in [
        ("ties_as_wins", "auc_all_tied", "counted as a win"),
        ("one_point_per_sample", "curve_ties_across_classes", "one step of the curve"),
        ("threshold_max_plus_one", "curve_integer_scores", "must be inf"),
        ("denominators_swapped", "curve_imbalanced", "denominators are swapped"),
        ("drops_collinear_points", "curve_collinear", "drop_intermediate"),
        ("trapezoid_arguments_swapped", "auc_perfect", "np.trapezoid(tpr, fpr)"),
    ]:
        found = next(c for c in graded_wrong("roc_auc", mistake).cases if c.name == case)
        assert found.hidden and not found.passed and words in found.message, (mistake, found.message)


def test_catalogue_has_the_classic_mistakes():
    assert_catalogue_holds("roc_auc", {
        "one_point_per_sample", "ties_as_wins", "ties_as_losses", "ascending_sort", "reversed_curve",
        "no_start_point", "threshold_max_plus_one", "thresholds_of_next_point", "fpr_tpr_swapped",
        "divided_by_n", "right_riemann_sum", "left_riemann_sum", "ranks_not_averaged", "tuple_sort_per_sample",
        "labels_cast_to_bool", "one_class_returns_nan"})
