"""Joining a class's submissions to the instructor's roster (a CSV: an LMS export or a hand-made list).

The instructor names the column to join on (``--roster-column email``); a submission matches a roster
entry when its name equals the entry's value once case, spaces and underscores are ignored
(identity.match_key). An email also matches by the part before the ``@`` (``jnunez`` matches
``jnunez@uni.edu``), and a name written ``Last, First`` (Canvas's ``Student`` column) also matches
``First Last``. What does not join is reported both ways: roster entries with no submission, and
submissions on no roster entry (or on one that two submissions claim).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from grader.classroom.identity import match_key
from grader.classroom.errors import RosterError

MAX_ROSTER_BYTES = 16 * 1024 * 1024


@dataclass
class Roster:
    path: Path
    column: str
    """The header of the join column, as spelt in the file."""
    header: list[str]
    entries: list[dict[str, str]]

    def value(self, entry: dict[str, str]) -> str:
        return entry.get(self.column, "")


@dataclass
class Join:
    roster: Roster
    matched: dict[str, dict[str, str]] = field(default_factory=dict)
    """student -> their roster entry."""
    missing: list[dict[str, str]] = field(default_factory=list)
    """Roster entries that no submission matched."""
    unknown: list[str] = field(default_factory=list)
    """Submissions that matched no roster entry."""
    ambiguous: list[tuple[str, list[str]]] = field(default_factory=list)
    """(roster value, students) where several submissions matched one entry: none of them is joined."""

    def key_of(self, student: str) -> str:
        entry = self.matched.get(student)
        return self.roster.value(entry) if entry else ""


def load(path: Path, column: str) -> Roster:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_ROSTER_BYTES:
            raise RosterError(f"{path} is larger than {MAX_ROSTER_BYTES // 2**20} MB: is it a roster?")
        # utf-8-sig: spreadsheets put a byte-order mark in front of the header.
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RosterError(f"no such roster file: {path}") from None
    except UnicodeDecodeError:
        raise RosterError(f"{path} is not UTF-8 text: save the roster as CSV UTF-8") from None
    except OSError as exc:
        raise RosterError(f"cannot read the roster {path}: {exc.strerror}") from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(text.splitlines(), dialect))
    if not rows or not any(h.strip() for h in rows[0]):
        raise RosterError(f"the roster {path} is empty: it needs a header row")
    header = [h.strip() for h in rows[0]]
    chosen = next((h for h in header if h.casefold() == column.strip().casefold()), None)
    if chosen is None:
        chosen = next((h for h in header if column.strip().casefold() in h.casefold()), None)
    if chosen is None:
        raise RosterError(f"the roster {path} has no column {column!r}; its columns are: "
                         + ", ".join(repr(h) for h in header if h))
    entries = []
    for row in rows[1:]:
        entry = dict(zip(header, (cell.strip() for cell in row)))
        if entry.get(chosen):
            entries.append(entry)
    return Roster(path, chosen, header, entries)


def _keys(value: str) -> set[str]:
    keys = {match_key(value)}
    if "@" in value:
        keys.add(match_key(value.split("@", 1)[0]))
    if value.count(",") == 1:
        last, first = value.split(",")
        keys.add(match_key(f"{first} {last}"))
    return {k for k in keys if k}


def join(roster: Roster, students: list[str]) -> Join:
    result = Join(roster)
    by_key: dict[str, list[int]] = {}
    for index, entry in enumerate(roster.entries):
        for key in _keys(roster.value(entry)):
            by_key.setdefault(key, []).append(index)
    claims: dict[int, list[str]] = {}
    for student in students:
        hits = sorted({i for key in _keys(student) for i in by_key.get(key, [])})
        if len(hits) == 1:
            claims.setdefault(hits[0], []).append(student)
        else:
            result.unknown.append(student)
    for index, entry in enumerate(roster.entries):
        claimants = claims.get(index, [])
        if len(claimants) == 1:
            result.matched[claimants[0]] = entry
        else:
            result.missing.append(entry)
            if len(claimants) > 1:
                result.ambiguous.append((roster.value(entry), claimants))
                result.unknown.extend(claimants)
    result.unknown.sort(key=students.index)
    return result
