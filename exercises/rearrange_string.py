"""Rearrange a string k distance apart (LeetCode 358).

The result is a str, checked by its properties: no tolerance applies.

Write it by hand in Python. Check your work with `grade rearrange_string`;
stuck? `grade hint rearrange_string`.
"""


def rearrange_string(s, k):
    """A permutation of `s` in which equal characters are at least `k` positions apart, or "".

    Return any string that uses exactly the characters of `s` (each as many times as in `s`) and
    in which any two equal characters at positions i < j have j - i >= k. When no such string
    exists, return "" (the empty string). k <= 1 accepts any permutation of `s`, `s` itself included.

    Many answers can be right: the grader checks these properties, never one particular string.
    `s` may hold any characters (letters, digits, spaces, non-ASCII), not only "a" to "z", and
    len(s) goes up to 100,000 with a large k and many distinct characters: an O(n log n) solution
    is expected; one that scans the last k characters at every position runs out of time.

    Example:
        >>> rearrange_string("aabbcc", 3)
        'abcabc'

        "acbacb" or "bcabca" would be right too.

        >>> rearrange_string("aaabc", 3)
        ''

        The three a's need positions 0, 3 and 6, but the string has only 5 positions.
    """
    # TODO: your code here
    raise NotImplementedError
