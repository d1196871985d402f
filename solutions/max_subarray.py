"""Reference: Kadane's algorithm, O(n)."""


def max_subarray(nums):
    nums = list(nums)
    if not nums:
        raise ValueError("max_subarray needs a non-empty input")
    best = current = nums[0]
    for x in nums[1:]:
        # Either extend the best subarray ending just before x, or start afresh at x.
        current = max(x, current + x)
        best = max(best, current)
    return best
