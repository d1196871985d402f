"""rearrange_string: the reference against the feasibility bound and brute force, the property checker,
then the grading (correct answers pass whatever string they pick; each mistake fails its case)."""

import itertools
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from grader import catalog
from grader.grading import compare
from grader.grading.attempt import grade_attempt
from grader.exercises.rearrange_string.suite import property_check

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="module")
def rearrange():
    return catalog.get("rearrange_string").reference().rearrange_string


def gaps_ok(t, k):
    last = {}
    for j, ch in enumerate(t):
        if ch in last and j - last[ch] < k:
            return False
        last[ch] = j
    return True


def bound_allows(s, k):
    """The oracle: possible iff k <= 1 or (f_max - 1) * k + c <= n, c = letters sharing the top count."""
    if k <= 1 or not s:
        return True
    counts = Counter(s)
    f_max = max(counts.values())
    c = sum(1 for v in counts.values() if v == f_max)
    return (f_max - 1) * k + c <= len(s)


def brute_force_possible(s, k):
    return any(gaps_ok(p, k) for p in set(itertools.permutations(s)))


def assert_valid(s, k, out):
    assert isinstance(out, str)
    assert Counter(out) == Counter(s), (s, k, out)
    assert gaps_ok(out, k), (s, k, out)


# --- the reference against the oracles -------------------------------------------------------------

@pytest.mark.parametrize("s, k, possible", [
    ("aabbcc", 3, True),        # (2-1)*3 + 3 = 6 <= 6: exactly at the bound
    ("aaabc", 3, False),        # (3-1)*3 + 1 = 7 > 5
    ("aaabc", 2, True),         # (3-1)*2 + 1 = 5 <= 5: "abaca"
    ("aaadbbcc", 2, True),      # (3-1)*2 + 1 = 5 <= 8
    ("aaabbbc", 3, False),      # (3-1)*3 + 2 = 8 > 7: the tie on top costs a position
    ("aaabbbcc", 3, True),      # (3-1)*3 + 2 = 8 <= 8: "abcabcab"
    ("aaaa", 2, False),
    ("aaaa", 1, True),
    ("aaaa", 0, True),
    ("abcd", 10, True),         # all distinct: f_max = 1, 0 * k + 4 <= 4
    ("abca", 10, False),
    ("", 5, True),              # the empty arrangement
])
def test_hand_picked_against_the_bound(rearrange, s, k, possible):
    assert bound_allows(s, k) == possible
    out = rearrange(s, k)
    if possible:
        assert_valid(s, k, out)
    else:
        assert out == ""


def test_bound_matches_brute_force_on_every_small_multiset(rearrange):
    # Every multiset over up to 3 letters with up to 7 characters, every k from 0 to 5.
    checked = 0
    for n in range(0, 8):
        for combo in itertools.combinations_with_replacement("abc", n):
            s = "".join(combo)
            for k in range(0, 6):
                possible = brute_force_possible(s, k)
                assert bound_allows(s, k) == possible, (s, k)
                out = rearrange(s, k)
                if possible:
                    assert_valid(s, k, out)
                else:
                    assert out == "", (s, k, out)
                checked += 1
    assert checked > 500


def test_random_strings_against_brute_force(rearrange):
    rng = np.random.default_rng(5)
    for _ in range(150):
        s = "".join(rng.choice(list("abcdef"), size=int(rng.integers(1, 9))).tolist())
        k = int(rng.integers(0, 7))
        out = rearrange(s, k)
        if brute_force_possible(s, k):
            assert_valid(s, k, out)
        else:
            assert out == ""


def test_larger_random_strings_against_the_bound(rearrange):
    rng = np.random.default_rng(6)
    for _ in range(60):
        alphabet = list("abcdefghijklmnopqrstuvwxyz")[: int(rng.integers(1, 27))]
        s = "".join(rng.choice(alphabet, size=int(rng.integers(1, 400))).tolist())
        k = int(rng.integers(0, 30))
        out = rearrange(s, k)
        if bound_allows(s, k):
            assert_valid(s, k, out)
        else:
            assert out == ""


def test_large_case_is_fast_and_valid(rearrange):
    suite = catalog.get("rearrange_string").suite()
    large = [c for c in suite.cases(np.random.default_rng(1)) if c.name == "large_n"][0]
    s, k = large.args
    assert len(s) == 100_000 and k == 20_000 and len(set(s)) == 20_000
    assert bound_allows(s, k)
    started = time.perf_counter()
    out = rearrange(s, k)
    assert time.perf_counter() - started < 2.0  # ~0.2 s here; the case limit is 3 s
    assert_valid(s, k, out)
    assert large.complexity == "O(n log n)"


# --- the property checker ------------------------------------------------------------------------

def test_checker_accepts_every_valid_arrangement():
    s, k = "aabbcc", 3
    check = property_check(s, k)
    valid = {"".join(p) for p in itertools.permutations(s) if gaps_ok(p, k)}
    assert len(valid) == 6  # the 3! orderings of "abc", repeated
    for answer in valid:
        assert check("abcabc", answer) is None
    assert property_check("", 3)("", "") is None
    assert property_check("aaaa", 2)("", "") is None
    assert property_check("ba", 0)("ba", "ab") is None


@pytest.mark.parametrize("s, k, expected, actual, needle", [
    ("aabbcc", 3, "abcabc", "abcab", "not a permutation of s: it has 5 characters, s has 6"),
    ("aabbcc", 3, "abcabc", "abcabd", "not a permutation of s: 'c' appears 1 times, s has it 2 times"),
    ("aabbcc", 3, "abcabc", "abcacb", "equal characters 'c' at positions 2 and 4 are only 2 apart, need >= k = 3"),
    ("aaabc", 2, "abaca", "", 'returned "" but an arrangement exists: at each position place the most frequent'),
    ("aab", 1, "aab", "", 'returned "" but with k <= 1 any permutation'),
    ("aaabc", 3, "", "abaca", "returned a string but no arrangement exists (the top count f = 3, shared by "
                              "c = 1 character, needs (f - 1) * k + c = 7 > len(s) = 5 positions), so the "
                              "answer is \"\"; in yours, equal characters 'a' at positions 0 and 2"),
    ("aaabc", 3, "", "abca", "no arrangement exists"),
    ("abc", 2, "abc", ["a", "b", "c"], "returned a list of length 3, expected a str"),
    ("abc", 2, "abc", None, "expected a str"),
    ("abc", 2, "abc", 3, "expected a str"),
    ("abc", 2, "abc", compare.Unsupported("generator"), "returned a generator, expected a str"),
])
def test_checker_names_the_broken_property(s, k, expected, actual, needle):
    message = property_check(s, k)(expected, actual)
    assert message is not None and needle in message, message


def test_every_case_carries_a_property_check():
    suite = catalog.get("rearrange_string").suite()
    cases = suite.cases(np.random.default_rng(0))
    assert all(case.check is not None for case in cases)
    assert [c.name for c in cases if not c.hidden] == ["docstring_example", "docstring_impossible"]


# --- grading -------------------------------------------------------------------------------------

def _grade(path):
    result = grade_attempt("rearrange_string", path)
    return result, {c.name: c for c in result.cases}


def test_reference_and_a_different_heap_answer_pass():
    # The learner's heap answer picks different strings from the reference: properties, not equality.
    for path in (catalog.get("rearrange_string").solution_path, FIXTURES / "slow" / "rearrange_string_heap.py"):
        result, by_name = _grade(path)
        assert result.passed, [(c.name, c.message) for c in result.cases if not c.passed]
        assert by_name["large_n"].seconds < 1.5


def test_n_times_k_answer_times_out_on_the_large_case_only():
    result, by_name = _grade(FIXTURES / "slow" / "rearrange_string_nk.py")
    failed = [name for name, c in by_name.items() if not c.passed]
    assert failed == ["large_n"]
    large = by_name["large_n"]
    assert large.status == "timeout"
    assert "O(n log n)" in large.message


def test_wrong_attempts_get_useful_public_messages():
    """Where a fixture fails is tests/test_mistakes.py's job; here, what the learner is told."""
    wrong = FIXTURES / "wrong" / "rearrange_string"
    _, by_name = _grade(wrong / "off_by_one_gap.py")
    # "aaabc", k = 3 is impossible; with gaps of k - 1 = 2 it returns "abaca".
    public_message = by_name["docstring_impossible"].message
    assert "no arrangement exists" in public_message and "only 2 apart, need >= k = 3" in public_message
    _, by_name = _grade(wrong / "partial_result.py")
    # It places a, b, c, a and then runs dry with the last a still cooling: "abca", 4 of 5 characters.
    public_message = by_name["docstring_impossible"].message
    assert "no arrangement exists" in public_message and "not a permutation of s" in public_message
