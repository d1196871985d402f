"""Reference: rearrange a string so equal characters are at least k apart (LeetCode 358), O(n log A)."""

import heapq
from collections import Counter, deque


def rearrange_string(s, k):
    if k <= 1 or not s:
        # Any permutation keeps equal characters >= 1 apart, s itself included.
        return s
    # Greedy: at each position place the most frequent character still allowed there. A character
    # just placed waits in `cooling` until k - 1 others follow it. Ties go to the smaller character
    # only so the output is deterministic.
    heap = [(-count, ch) for ch, count in Counter(s).items()]
    heapq.heapify(heap)
    cooling = deque()
    out = []
    for _ in range(len(s)):
        if not heap:
            # Every character left is still cooling down: no arrangement exists.
            return ""
        neg, ch = heapq.heappop(heap)
        out.append(ch)
        cooling.append((neg + 1, ch))
        if len(cooling) >= k:
            neg_back, ch_back = cooling.popleft()
            if neg_back < 0:
                heapq.heappush(heap, (neg_back, ch_back))
    return "".join(out)
