"""Grading one student's folder on its own, as Gradescope's autograder does: the same discovery as a
class (any case, notebooks, several candidates, near-misses), each exercise in its sandbox."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from grader import catalog
from grader.classroom.discovery import BatchError, Note, Submission, resolve
from grader.grading.attempt import grade_attempt
from grader.grading.seeds import DEFAULT_SEED
from grader.record.result import ExerciseResult
from grader.sandbox.limits import Limits

NOT_SUBMITTED = "not submitted"


@dataclass
class FolderGrading:
    wanted: list[catalog.Exercise]
    results: list[ExerciseResult] = field(default_factory=list)
    missing: list[tuple[catalog.Exercise, str]] = field(default_factory=list)
    """(exercise, why) for each exercise with no file."""
    notes: list[Note] = field(default_factory=list)


def grade_folder(folder: Path, exercises: list[catalog.Exercise] | None, *, scratch: Path,
                 seed: int = DEFAULT_SEED, limits: Limits | None = None,
                 on_result: Callable[[ExerciseResult], None] | None = None) -> FolderGrading:
    """Grade ``exercises`` (default: every available exercise the folder has a file for); a missing
    one scores 0 with the reason. ``scratch`` receives the Python extracted from notebooks."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BatchError(f"no such folder: {folder}")
    submission = Submission(folder.name, folder, folder.name)
    resolve(submission, list(exercises or catalog.available()), scratch)
    wanted = exercises or [e for e in catalog.available() if submission.attempt(e.name)]
    run = FolderGrading(wanted, notes=list(submission.notes))
    for exercise in wanted:
        path = submission.attempt(exercise.name)
        if path is None:
            run.missing.append((exercise, submission.missing.get(exercise.name, NOT_SUBMITTED)))
            continue
        result = grade_attempt(exercise, path, seed=seed, limits=limits or Limits())
        run.results.append(result)
        if on_result:
            on_result(result)
    return run
