"""The gradebook: one row per student, a column per exercise, total and percent, as CSV for an LMS."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from grader import catalog
from grader.outcomes import Grading


@dataclass
class Row:
    student: str
    scores: dict[str, float | None]
    """exercise -> score; None when the batch holds no record for it (not graded yet)."""
    total: float
    max_total: float
    not_submitted: frozenset[str] = frozenset()
    """Exercises the student sent no file for (they score 0)."""

    @property
    def percent(self) -> float:
        return round(100 * self.total / self.max_total, 1) if self.max_total else 0.0


def index(records: list[dict]) -> dict[tuple[str, str], dict]:
    return {(r["student"], r["exercise"]): r for r in records}


def max_scores(records: list[dict], exercises: list[str]) -> dict[str, float]:
    """Points of each exercise: what its records say, else the catalog's."""
    points = {r["exercise"]: r["max_score"] for r in records}
    for name in exercises:
        if name not in points:
            try:
                points[name] = catalog.get(name).points
            except catalog.UnknownExercise:
                points[name] = 0
    return points


def rows(records: list[dict], *, students: list[str], exercises: list[str]) -> list[Row]:
    by_key = index(records)
    points = max_scores(records, exercises)
    table = []
    for student in students:
        scores = {e: (by_key[student, e]["score"] if (student, e) in by_key else None) for e in exercises}
        total = round(sum(s for s in scores.values() if s is not None), 2)
        missing = frozenset(e for e in exercises if by_key.get((student, e), {}).get("outcome") == Grading.NOT_SUBMITTED)
        table.append(Row(student, scores, total, sum(points[e] for e in exercises), missing))
    return table


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _cell(text: str) -> str:
    # Spreadsheets run a cell that starts with = + - @ as a formula: never let a name do that.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_csv(path: Path, records: list[dict], *, students: list[str], exercises: list[str]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", *exercises, "total", "percent"])
        for row in rows(records, students=students, exercises=exercises):
            writer.writerow([_cell(row.student), *(_number(row.scores[e]) for e in exercises),
                             _number(row.total), _number(row.percent)])
    return path
