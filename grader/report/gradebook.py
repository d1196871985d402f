"""The gradebook: one row per student, a column per exercise, total and percent, as CSV.

Columns: ``student`` (the name handed in under, exactly), ``submission`` (the folder or zip it came
from), ``feedback`` (its file in feedback/), ``roster`` (the roster entry it joined, with --roster),
one per exercise, ``total``, ``percent`` and ``notes`` (what was too slow or did not run). Every
text cell is CSV-quoted and never starts with = + - @ (a spreadsheet would run it as a formula).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from grader import catalog
from grader.classroom import identity
from grader.record.class_record import ClassRecord
from grader.record.vocabulary import FAILED_TO_RUN, OUTCOME_LABELS, ClassOutcome


@dataclass
class Row:
    student: str
    scores: dict[str, float | None]
    """exercise -> score; None when the batch holds no record for it (not graded yet)."""
    total: float
    max_total: float
    not_submitted: frozenset[str] = frozenset()
    """Exercises the student sent no file for (they score 0)."""
    submission: str = ""
    file: str = ""
    """The stem of the student's feedback file."""
    notes: tuple[str, ...] = ()
    """Per exercise, what was too slow or did not run."""

    @property
    def percent(self) -> float:
        return round(100 * self.total / self.max_total, 1) if self.max_total else 0.0


def index(records: list[ClassRecord]) -> dict[tuple[str, str], ClassRecord]:
    return {r.key: r for r in records}


def max_scores(records: list[ClassRecord], exercises: list[str]) -> dict[str, float]:
    """Points of each exercise: what its records say, else the catalog's."""
    points = {r.exercise: r.max_score for r in records}
    for name in exercises:
        if name not in points:
            try:
                points[name] = catalog.get(name).points
            except catalog.UnknownExercise:
                points[name] = 0
    return points


def outcome_note(record: ClassRecord) -> str | None:
    """One short phrase for an outcome an instructor should look at, else None."""
    if record.outcome == ClassOutcome.SLOW:
        return f"{record.exercise}: {record.detail}"
    if record.outcome in FAILED_TO_RUN:
        return f"{record.exercise}: did not run ({OUTCOME_LABELS[record.outcome]})"
    return None


def rows(records: list[ClassRecord], *, students: list[str], exercises: list[str]) -> list[Row]:
    by_key = index(records)
    points = max_scores(records, exercises)
    files = identity.file_names(students)
    table = []
    for student in students:
        mine = [by_key[student, e] for e in exercises if (student, e) in by_key]
        scores = {e: (by_key[student, e].score if (student, e) in by_key else None) for e in exercises}
        total = round(sum(s for s in scores.values() if s is not None), 2)
        missing = frozenset(r.exercise for r in mine if not r.submitted)
        source = next((r.submission for r in mine if r.submission), "")
        notes = tuple(n for n in map(outcome_note, mine) if n)
        table.append(Row(student, scores, total, sum(points[e] for e in exercises), missing, source,
                         files[student], notes))
    return table


def number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def cell(text: str) -> str:
    # Spreadsheets run a cell that starts with = + - @ as a formula: never let a name do that.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_csv(path: Path, records: list[ClassRecord], *, students: list[str], exercises: list[str],
              roster_keys: dict[str, str] | None = None) -> Path:
    """``roster_keys`` (student -> the roster value it joined) adds a ``roster`` column."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL)
        extra = ["roster"] if roster_keys is not None else []
        writer.writerow(["student", "submission", "feedback", *extra, *exercises, "total", "percent", "notes"])
        for row in rows(records, students=students, exercises=exercises):
            joined = [cell(roster_keys.get(row.student, ""))] if roster_keys is not None else []
            writer.writerow([cell(row.student), cell(row.submission), f"feedback/{row.file}.md", *joined,
                             *(number(row.scores[e]) for e in exercises),
                             number(row.total), number(row.percent), cell("; ".join(row.notes))])
    return path
