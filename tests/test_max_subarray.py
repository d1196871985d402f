"""solutions/max_subarray.py against a brute force over prefix sums; the large case separates O(n) from O(n^2)."""

from pathlib import Path

import numpy as np
import pytest

from grader import catalog
from grader.grading.attempt import grade_attempt
from grader.sandbox.limits import Limits

reference = catalog.get("max_subarray").reference()
SLOW = Path(__file__).parent / "fixtures" / "slow"


def brute_force(nums):
    prefix = [0]
    for x in nums:
        prefix.append(prefix[-1] + x)
    return max(prefix[j] - prefix[i] for i in range(len(nums)) for j in range(i + 1, len(nums) + 1))


@pytest.mark.parametrize("seed", range(30))
def test_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    nums = rng.integers(-50, 51, size=int(rng.integers(1, 120))).tolist()
    assert reference.max_subarray(nums) == brute_force(nums)


def test_edge_cases():
    assert reference.max_subarray([-3, -1, -2]) == -1
    assert reference.max_subarray([0, 0]) == 0
    assert reference.max_subarray([5]) == 5
    with pytest.raises(ValueError):
        reference.max_subarray([])


def test_quadratic_answer_fails_only_the_large_case_naming_the_complexity():
    result = grade_attempt("max_subarray", SLOW / "max_subarray_quadratic.py", limits=Limits(case_seconds=3))
    failing = {c.name: c for c in result.cases if not c.passed}
    assert set(failing) == {"large_n"}
    assert failing["large_n"].status == "timeout"
    assert "O(n)" in failing["large_n"].message


def test_n_log_n_divide_and_conquer_passes():
    assert grade_attempt("max_subarray", SLOW / "max_subarray_divide_and_conquer.py").passed
