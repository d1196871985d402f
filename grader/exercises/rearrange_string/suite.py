"""Hidden suite for rearrange_string: many answers are right, so every case is judged by properties.

A result passes when it is a str that is a permutation of ``s`` with every two equal characters at
least ``k`` apart, or ``""`` exactly when no such permutation exists (the reference returns ``""``
then; the tests hold it against the bound ``(f_max - 1) * k + c <= len(s)``). Never string equality.
"""

from collections import Counter
from dataclasses import replace

from grader.grading import generators
from grader.grading import compare
from grader.grading.suite import hidden, public


def _shape_problem(actual):
    """A sentence when `actual` is not a str at all."""
    if isinstance(actual, str):
        return None
    if isinstance(actual, compare.Unsupported):
        return f"returned a {actual.type_name}, expected a str"
    if isinstance(actual, list):
        return f"returned a list of length {len(actual)}, expected a str (join the characters with ''.join(...))"
    return f"returned {type(actual).__name__} {compare.describe(actual, 60)}, expected a str"


def _top_counts(s):
    """(f_max, c): the highest character count and how many characters share it."""
    counts = Counter(s)
    f_max = max(counts.values())
    return f_max, sum(1 for v in counts.values() if v == f_max)


def _permutation_problem(s, actual):
    if len(actual) != len(s):
        return f"not a permutation of s: it has {len(actual)} characters, s has {len(s)}"
    want, got = Counter(s), Counter(actual)
    if want == got:
        return None
    for ch in list(want) + list(got):
        if want[ch] != got[ch]:
            return f"not a permutation of s: {ch!r} appears {got[ch]} times, s has it {want[ch]} times"
    return None  # unreachable: the counters differ somewhere


def _gap_problem(actual, k):
    """The first pair of equal characters closer than k, as a sentence."""
    last = {}
    for j, ch in enumerate(actual):
        i = last.get(ch)
        if i is not None and j - i < k:
            return f"equal characters {ch!r} at positions {i} and {j} are only {j - i} apart, need >= k = {k}"
        last[ch] = j
    return None


def _bound_text(s, k, f_max, c, relation):
    shared = "1 character" if c == 1 else f"{c} characters"
    return (f"the top count f = {f_max}, shared by c = {shared}, needs (f - 1) * k + c = "
            f"{(f_max - 1) * k + c} {relation} len(s) = {len(s)} positions")


def property_check(s, k):
    """The checker for one call rearrange_string(s, k): properties of the answer, not one string."""

    def check(expected, actual):
        problem = _shape_problem(actual)
        if problem:
            return problem
        possible = expected != "" or s == ""
        if not possible:
            if actual == "":
                return None
            f_max, c = _top_counts(s)
            why = _permutation_problem(s, actual) or _gap_problem(actual, k) or "it breaks no rule?"
            return (f"returned a string but no arrangement exists ({_bound_text(s, k, f_max, c, '>')}), "
                    f'so the answer is ""; in yours, {why}')
        if actual == "" and s != "":
            if k <= 1:
                return compare.safe('returned "" but with k <= 1 any permutation of s is an answer '
                                    "(s itself included)")
            # Data-free, so that hidden cases show it too.
            return compare.safe('returned "" but an arrangement exists: at each position place the most '
                                "frequent character still allowed there, not the smallest or the next in line",
                                compare.VALUE)
        return _permutation_problem(s, actual) or _gap_problem(actual, k)

    return check


def _fallback(expected, actual):
    # Every case brings its own property check (it needs s and k); this only guards the contract.
    return "internal: this rearrange_string case has no property check"


CHECKS = {"rearrange_string": _fallback}


def _public(name, category, s, k):
    return replace(public(name, category, "rearrange_string", s, k), check=property_check(s, k))


def _hidden(name, category, s, k):
    return replace(hidden(name, category, "rearrange_string", s, k), check=property_check(s, k))


def _random_string(rng, n, alphabet):
    # Skewed counts, so that some random cases are infeasible and others sit near the bound.
    weights = rng.dirichlet([0.6] * len(alphabet))
    return "".join(rng.choice(list(alphabet), size=n, p=weights).tolist())


def cases(rng):
    out = [
        _public("docstring_example", "the first example in the docstring", "aabbcc", 3),
        _public("docstring_impossible", "the second example in the docstring: no arrangement exists",
                "aaabc", 3),
        _hidden("empty_string", 'the empty string (its only arrangement is "")', "", 3),
        _hidden("single_char", "a single character with k larger than the string: the string itself", "a", 5),
        _hidden("k_zero", "k = 0: any permutation is an answer", "aabbbc", 0),
        _hidden("k_one", "k = 1: any permutation is an answer, repeats side by side included", "abbccc", 1),
        _hidden("one_letter_k1", "one letter repeated with k = 1: the string itself", "aaaaa", 1),
        _hidden("one_letter_impossible", 'one letter repeated with k = 2: no arrangement, ""', "aaaa", 2),
        _hidden("k_larger_than_len_distinct",
                'k larger than len(s), all characters distinct: any order works, not ""', "dcba", 10),
        _hidden("k_larger_than_len_repeat", 'k larger than len(s) with a repeated character: ""', "abca", 10),
        _hidden("k_equals_len", "k equal to len(s), all characters distinct", "qwert", 5),
        _hidden("at_bound_single_top",
                'exactly at the bound (f - 1) * k + c = len(s): an arrangement exists, so not ""', "aaabc", 2),
        _hidden("at_bound_tied_top",
                "exactly at the bound with two characters sharing the top count f: an arrangement exists",
                "aaabbbcc", 3),
        _hidden("at_bound_all_tied",
                "exactly at the bound with every character tied (k = number of letters): an arrangement exists",
                "abcdabcdabcd", 4),
        _hidden("at_bound_needs_most_frequent_first",
                "exactly at the bound: only placing the most frequent allowed character first works",
                "dccbbbaaaa", 3),
        # The most frequent character is not the smallest: a greedy that places the smallest allowed
        # character (or cycles through the alphabet) strands the frequent one and returns "".
        _hidden("most_frequent_is_largest", 'the most frequent character is the largest: "bab" exists, not ""',
                "abb", 2),
        _hidden("most_frequent_last_k2", "k = 2 with the most frequent character last in the alphabet", "aabbb", 2),
        _hidden("most_frequent_middle", "k = 3, the most frequent character in the middle of the alphabet",
                "abcccdd", 3),
        _hidden("most_frequent_among_many", "k = 3, ten characters, the most frequent one neither first nor last",
                "abbbccccdd", 3),
        _hidden("one_over_bound_tied_top",
                'one position short of the bound because two characters share the top count: ""', "aaabbbc", 3),
        _hidden("one_over_bound",
                'one position short of the bound (f - 1) * k + c <= len(s): no arrangement, ""', "aaabb", 3),
        _hidden("gap_exactly_k", "equal characters exactly k apart are allowed (j - i >= k)", "abab", 2),
        _hidden("punctuation_and_digits", "spaces, digits and punctuation are characters too", "1 1 2!!", 2),
        _hidden("non_ascii", "non-ASCII characters", "ééüüßß", 3),
        _hidden("long_run_small_k", "a long string over a small alphabet, k = 2", "a" * 30 + "b" * 25 + "c" * 5, 2),
    ]
    for i in range(8):
        n = int(rng.integers(1, 25))
        alphabet = "abcdefgh"[: int(rng.integers(1, 9))]
        s = _random_string(rng, n, alphabet)
        out.append(_hidden(f"random_{i}", "random short string (some have no arrangement)", s,
                           int(rng.integers(0, 6))))
    medium = _random_string(rng, 3000, "abcdefghijklmnopqrstuvwxyz")
    out.append(_hidden("medium_n", "3,000 characters over 26 letters, k = 5", medium, 5))

    # 20,000 distinct characters, 5 of each, k = 20,000: exactly at the bound (4 * k + k = n), so the
    # only answers repeat one ordering of the alphabet five times. The heap greedy does ~n log A work
    # (~0.2 s, within the default 3 s limit); scanning k characters or the alphabet per position is
    # ~n * k = 2e9 steps.
    alphabet = [chr(0x4E00 + i) for i in range(20_000)]
    chars = generators.named_rng().permutation(alphabet * 5).tolist()  # the same at every seed
    out.append(replace(_hidden("large_n", "n = 100,000 with 20,000 distinct characters and k = 20,000",
                               "".join(chars), 20_000), complexity="O(n log n)"))
    return out
