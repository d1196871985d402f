"""Maximum subarray (LeetCode 53).

Integer input: the sum is compared exactly. Float input: with rtol=1e-5, atol=1e-6 (adding
in another order may change the last digits).

Write it by hand in Python. Check your work with `grade max_subarray`; stuck? `grade hint max_subarray`.
"""


def max_subarray(nums):
    """The largest sum of a non-empty contiguous subarray of `nums` (a list or array of numbers).

    An all-negative input gives its largest element. An empty input raises ValueError.
    len(nums) goes up to 100,000, so an O(n) solution is expected: O(n^2) runs out of time.

    Example:
        >>> max_subarray([-2, 1, -3, 4, -1, 2, 1, -5, 4])
        6

        The subarray [4, -1, 2, 1] has the largest sum.

        >>> max_subarray([-3, -1, -2])
        -1
    """
    # TODO: your code here
    raise NotImplementedError
