"""rearrange_string: Rearrange a string k distance apart (LeetCode 358). The catalog entry; the hidden suite is ``suite.py`` beside it."""

from grader.catalog import Exercise

EXERCISE = Exercise(
    name="rearrange_string",
    track="algorithms",
    title="Rearrange a string k distance apart (LeetCode 358)",
    functions=("rearrange_string",),
    difficulty="hard",
    minutes=25,
    hints=(
        "Greedy: at each position place the most frequent character that is allowed there.",
        "A max-heap of (-count, char) gives the most frequent character; a queue holds the characters used "
        "in the last k - 1 positions until they may be used again.",
        "If the heap is empty while positions remain, no arrangement exists: return \"\". k <= 1 means any "
        "permutation works. This runs in O(n log A) for an alphabet of A characters.",
    ),
)
