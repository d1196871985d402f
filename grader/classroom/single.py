"""Grading one student's folder on its own, as Gradescope's autograder does: the same discovery as a
class (any case, notebooks, several candidates, near-misses), each exercise in its sandbox, each
result a class record like a class's."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from grader import catalog
from grader.classroom.discovery import Note, Submission, resolve
from grader.classroom.errors import SubmissionsError
from grader.classroom.run import grade_one
from grader.grading.seeds import DEFAULT_SEED
from grader.record.class_record import ClassRecord
from grader.sandbox.limits import Limits


@dataclass
class FolderGrading:
    wanted: list[catalog.Exercise]
    records: list[ClassRecord] = field(default_factory=list)
    """One per wanted exercise, in their order: graded, or missing with the reason."""
    notes: list[Note] = field(default_factory=list)


def grade_folder(folder: Path, exercises: list[catalog.Exercise] | None, *, scratch: Path,
                 seed: int = DEFAULT_SEED, limits: Limits | None = None,
                 on_result: Callable[[ClassRecord], None] | None = None) -> FolderGrading:
    """Grade ``exercises`` (default: every available exercise the folder has a file for); a missing
    one scores 0 with the reason. ``scratch`` receives the Python extracted from notebooks. Raises
    GraderFailure when the grader itself could not grade (no record is made of that)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SubmissionsError(f"no such folder: {folder}")
    submission = Submission(folder.name, folder, folder.name)
    resolve(submission, list(exercises or catalog.available()), scratch)
    wanted = exercises or [e for e in catalog.available() if submission.attempt(e.name)]
    run = FolderGrading(wanted, notes=list(submission.notes))
    for exercise in wanted:
        record = grade_one(submission, exercise, seed=seed, limits=limits or Limits())
        run.records.append(record)
        if on_result and record.submitted:
            on_result(record)
    return run
