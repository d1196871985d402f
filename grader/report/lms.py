"""Grades in the shape an LMS gradebook import takes, built from the roster it was joined to.

canvas  Canvas's Gradebook > Import reads the layout of its own export: the columns ``Student``,
        ``ID``, ``SIS User ID``, ``SIS Login ID`` and ``Section`` identify the student (Canvas needs
        at least one of the first three, and the values must be Canvas's own, which only its export
        has), and every other column is an assignment; a column with a new name creates a new
        assignment. So the roster must be the Canvas gradebook export: its identifying columns are
        copied, and one assignment column (``--assignment``) holds the total points.
moodle  Moodle's Grades > Import > CSV file takes any header: on import the teacher maps one column
        to a user field (email address, ID number, username or user id: "Identify user by") and
        each grade column to a grade item (existing or new). So the file holds the roster's join
        column under its own header, one column per exercise and the total.

Students not on the roster cannot be imported and roster entries without a submission are left
out (an import leaves their grades as they were): both are listed in the batch summary and report.
"""

from __future__ import annotations

import csv
from pathlib import Path

from grader.classroom.roster import Join
from grader.classroom.errors import LmsError
from grader.record.class_record import ClassRecord
from grader.report import gradebook

CANVAS_ID_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
FORMATS = ("canvas", "moodle")


def canvas_columns(header: list[str]) -> list[str]:
    """The roster's Canvas identifying columns, in the roster's spelling; an error without any."""
    by_folded = {h.casefold(): h for h in header}
    present = [by_folded[c.casefold()] for c in CANVAS_ID_COLUMNS if c.casefold() in by_folded]
    if not any(c.casefold() in by_folded for c in ("student", "id", "sis user id")):
        raise LmsError("--lms canvas needs the roster to be Canvas's gradebook export (Grades > "
                         "Export): it has none of the columns Student, ID, SIS User ID")
    return present


def write(path: Path, kind: str, join: Join, records: list[ClassRecord], *, students: list[str],
          exercises: list[str], assignment: str) -> Path:
    path = Path(path)
    table = {row.student: row for row in gradebook.rows(records, students=students, exercises=exercises)}
    joined = [s for s in students if s in join.matched]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        if kind == "canvas":
            columns = canvas_columns(join.roster.header)
            writer.writerow([*columns, assignment])
            for student in joined:
                entry = join.matched[student]
                writer.writerow([*(gradebook.cell(entry.get(c, "")) for c in columns),
                                 gradebook.number(table[student].total)])
        elif kind == "moodle":
            writer.writerow([join.roster.column, *exercises, "total"])
            for student in joined:
                row = table[student]
                writer.writerow([gradebook.cell(join.key_of(student)),
                                 *(gradebook.number(row.scores[e]) for e in exercises), gradebook.number(row.total)])
        else:
            raise LmsError(f"unknown LMS {kind!r}: choose one of {', '.join(FORMATS)}")
    return path
