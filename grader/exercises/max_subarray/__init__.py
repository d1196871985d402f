"""max_subarray: Maximum subarray sum (LeetCode 53). The catalog entry; the hidden suite is ``suite.py`` beside it."""

from grader.catalog import Exercise

EXERCISE = Exercise(
    name="max_subarray",
    track="algorithms",
    title="Maximum subarray sum (LeetCode 53)",
    functions=("max_subarray",),
    difficulty="easy",
    minutes=10,
    hints=(
        "Trying every (start, end) pair is O(n^2): with n = 100,000 that is far too slow. One pass is enough.",
        "Keep the best sum of a subarray that ends at the current element: either extend the previous one or "
        "start fresh here, whichever is larger.",
        "Kadane: cur = max(x, cur + x); best = max(best, cur), both initialised to nums[0], so an "
        "all-negative input returns its largest element. Raise ValueError on an empty input.",
    ),
)
