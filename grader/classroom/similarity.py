"""Near-identical submissions: normalised tokens, winnowed k-gram fingerprints, Jaccard similarity.

In the spirit of MOSS (Schleimer, Wilkerson and Aiken, "Winnowing", SIGMOD 2003): renaming variables,
reformatting, rewording comments or docstrings changes nothing here, because identifiers, literals,
comments and layout are normalised away before fingerprinting. What is left is the shape of the code.
Fingerprints the exercise's stub already has (its signature and contract) are removed, so that code
every student was given does not count as copying. A high score is a pair for a human to read, not a
verdict: short exercises leave little room, and independent correct answers can converge.
"""

from __future__ import annotations

import builtins
import hashlib
import io
import keyword
import tokenize
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

#: Tokens per k-gram. Shorter k-grams match by accident (``V = V + N``), longer ones miss small copies.
K = 10
#: Winnowing window: any shared run of at least K + WINDOW - 1 tokens is guaranteed to be found.
WINDOW = 6

_BUILTINS = frozenset(dir(builtins))
_DROPPED = {tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER}
_LAYOUT = {tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}


def _raw_tokens(source: str) -> list[tokenize.TokenInfo]:
    tokens = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            tokens.append(token)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass  # a file that does not parse still has a shape worth comparing up to the error
    return [t for t in tokens if t.type not in _DROPPED]


def _statement_start(raw: list[tokenize.TokenInfo], i: int) -> bool:
    return i == 0 or raw[i - 1].type in _LAYOUT or raw[i - 1].string == ";"


def normalise(source: str) -> list[str]:
    """The token stream with names, literals, comments, docstrings and layout made uniform.

    Keywords, operators, builtins and attribute names (``np.argsort``: an API, not a choice) stay.
    Line breaks and indentation go: ``if x: continue`` on one line or two is the same code.
    """
    raw = _raw_tokens(source)
    out: list[str] = []
    for i, token in enumerate(raw):
        if token.type in _LAYOUT or token.string == ";":
            continue
        if token.type == tokenize.STRING:
            following = raw[i + 1] if i + 1 < len(raw) else None
            if _statement_start(raw, i) and (following is None or following.type == tokenize.NEWLINE):
                continue  # a docstring or a bare string statement: prose, not code
            out.append("S")
        elif token.type == tokenize.NUMBER:
            out.append("N")
        elif token.type == tokenize.NAME:
            previous = raw[i - 1].string if i else ""
            if keyword.iskeyword(token.string) or token.string in _BUILTINS or previous == ".":
                out.append(token.string)
            else:
                out.append("V")
        else:
            out.append(token.string)
    return out


def _hash(gram: tuple[str, ...]) -> int:
    # A stable hash: Python's own str hash changes from one process to the next.
    return int.from_bytes(hashlib.blake2b("\x1f".join(gram).encode(), digest_size=8).digest(), "big")


def fingerprints(source: str, *, k: int = K, window: int = WINDOW) -> frozenset[int]:
    """Winnowed fingerprints of the normalised source: in every window of ``window`` consecutive
    k-gram hashes the smallest is kept (the rightmost on ties)."""
    tokens = normalise(source)
    if not tokens:
        return frozenset()
    if len(tokens) < k:
        return frozenset({_hash(tuple(tokens))})
    hashes = [_hash(tuple(tokens[i:i + k])) for i in range(len(tokens) - k + 1)]
    if len(hashes) <= window:
        return frozenset({min(hashes)})
    chosen = set()
    for start in range(len(hashes) - window + 1):
        block = hashes[start:start + window]
        smallest = min(block)
        chosen.add(smallest)
    return frozenset(chosen)


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    similarity: float
    shared: int
    """Fingerprints the two have in common (after the stub's are removed)."""


def similar_pairs(sources: dict[str, str], *, base: str | None = None, threshold: float = 0.8,
                  min_fingerprints: int = 5) -> list[Pair]:
    """Pairs of ``sources`` (label -> source) at least ``threshold`` similar, most similar first.

    ``base`` is the code everyone was given (the stub): its fingerprints are ignored. Submissions with
    fewer than ``min_fingerprints`` of their own (an untouched stub, an empty file) are left out: they
    are alike because they are empty, which says nothing about copying.
    """
    ignored = fingerprints(base) if base else frozenset()
    prints = {label: fingerprints(text) - ignored for label, text in sources.items()}
    prints = {label: fp for label, fp in prints.items() if len(fp) >= min_fingerprints}
    # An inverted index counts shared fingerprints only for pairs that share any: a class of
    # hundreds stays fast where comparing every pair's sets would not.
    holders: dict[int, list[str]] = defaultdict(list)
    for label in sorted(prints):
        for fp in prints[label]:
            holders[fp].append(label)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for labels in holders.values():
        for a, b in combinations(labels, 2):
            shared[a, b] += 1
    pairs = []
    for (a, b), count in shared.items():
        similarity = count / (len(prints[a]) + len(prints[b]) - count)
        if similarity >= threshold:
            pairs.append(Pair(a, b, round(similarity, 3), count))
    pairs.sort(key=lambda p: (-p.similarity, p.a, p.b))
    return pairs


@dataclass(frozen=True)
class Group:
    """Students whose code is linked by near-identical pairs: one thing for a human to look at."""
    students: tuple[str, ...]
    highest: float
    lowest: float
    """The most and least similar of the pairs that link them."""
    pairs: int


def groups(pairs: list[Pair]) -> list[Group]:
    """Pairs joined into groups (connected components), largest and most similar first. Ten students
    who share one file are one group of ten, not forty-five pairs."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in pairs:
        parent[root(pair.a)] = root(pair.b)
    members: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        members[root(pair.a)].append(pair)
    found = []
    for linked in members.values():
        students = tuple(sorted({p.a for p in linked} | {p.b for p in linked}))
        similarities = [p.similarity for p in linked]
        found.append(Group(students, max(similarities), min(similarities), len(linked)))
    found.sort(key=lambda g: (-len(g.students), -g.highest, g.students))
    return found
