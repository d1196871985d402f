"""Hidden suite for max_subarray: empty, single, all-negative and all-zero inputs, and n = 100,000."""

from dataclasses import replace

import numpy as np

from grader.grading import generators
from grader.grading import compare
from grader.grading.suite import hidden, public

def sum_check(expected, actual):
    """Exact for integer input; within the contract's tolerance for float input, where a right answer
    that adds in another order (prefix sums) differs from Kadane's by an ulp or so."""
    if isinstance(expected, (int, np.integer)):
        return compare.exact_number(expected, actual)
    return compare.scalar(expected, actual)


CHECKS = {"max_subarray": sum_check}


def cases(rng):
    out = [
        public("docstring_example", "the first example in the docstring", "max_subarray",
               [-2, 1, -3, 4, -1, 2, 1, -5, 4]),
        public("docstring_all_negative", "the second example in the docstring", "max_subarray", [-3, -1, -2]),
        hidden("empty", "empty input raises ValueError", "max_subarray", []),
        hidden("single_positive", "a single positive element", "max_subarray", [7]),
        hidden("single_negative", "a single negative element (the subarray must be non-empty)", "max_subarray", [-7]),
        hidden("all_negative", "all elements negative: the largest element, not 0", "max_subarray",
               [-8, -3, -6, -2, -5, -4]),
        hidden("all_zero", "all elements zero", "max_subarray", [0, 0, 0, 0]),
        hidden("whole_array", "the whole array is the best subarray", "max_subarray", [2, -1, 2, -1, 3]),
        hidden("best_at_end", "the best subarray ends at the last element", "max_subarray", [-5, 1, -9, 3, 4]),
        hidden("best_at_start", "the best subarray starts at the first element", "max_subarray", [6, 2, -20, 3, 1]),
        hidden("reset_after_negative_run", "a long negative run between two good stretches", "max_subarray",
               [5, -1, 3, -20, -30, 4, 4, -2, 5]),
        hidden("numpy_input", "a numpy integer array as input", "max_subarray",
               np.array([3, -4, 5, -1, 2, -6, 1], dtype=np.int64)),
        hidden("floats", "floating-point values", "max_subarray", [0.5, -0.25, 1.5, -3.0, 0.75]),
        hidden("floats_all_negative", "all-negative floats: the largest element", "max_subarray",
               [-0.7, -0.2, -1.5, -0.3]),
        hidden("zero_beats_negatives", "negative numbers around a single 0: the best sum is 0", "max_subarray",
               [-3, -1, 0, -2, -4]),
        hidden("negative_first_then_best", "a negative first element that must not start the best run",
               "max_subarray", [-1, 3, 4, -10, 2]),
        hidden("two_equal_runs", "two separate runs, the second better by one", "max_subarray",
               [4, 1, -9, 3, 3, -9, 2]),
        hidden("bridge_worth_crossing", "a small negative between two runs: joining them is best",
               "max_subarray", [5, -2, 6, -20, 1]),
    ]
    for i in range(4):
        n = int(rng.integers(1, 40))
        out.append(hidden(f"random_{i}", "random small integers", "max_subarray",
                          rng.integers(-20, 21, size=n).tolist()))
    for i in range(2):
        n = int(rng.integers(1, 200))
        out.append(hidden(f"random_float_{i}", "random floats (compared with the contract's tolerance)",
                          "max_subarray", rng.normal(0, 10, n).tolist()))
    # Seed-independent, so that a quadratic answer fails at every seed on the same input.
    large = generators.named_rng().integers(-10_000, 10_001, size=100_000).tolist()
    out.append(replace(hidden("large_n", "n = 100,000 random integers", "max_subarray", large),
                       timeout=10.0, complexity="O(n)"))
    return out
