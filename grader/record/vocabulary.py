"""The one vocabulary of how things went: a case's status, a grading's outcome in a class, a practice
session's end. Each is a ``str`` enum, so records and JSON files hold the plain words."""

from __future__ import annotations

import ast
import re
from enum import Enum
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from grader.record.result import ExerciseResult


class _Word(str, Enum):
    """Prints as its plain value everywhere (f-strings, str(), JSON), on every Python version."""
    __str__ = str.__str__
    __format__ = str.__format__


class CaseStatus(_Word):
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    TIMEOUT = "timeout"
    NOT_IMPLEMENTED = "not_implemented"
    NOT_RUN = "not_run"


PASSED, FAILED, ERROR, TIMEOUT, NOT_IMPLEMENTED, NOT_RUN = CaseStatus


class Grading(_Word):
    """How one student x exercise went in a class, most serious first."""
    FORBIDDEN = "forbidden"
    TIMEOUT = "timeout"
    """Did not run: the import, or every case that started, ran out of time."""
    CRASHED = "crashed"
    NOT_SUBMITTED = "not_submitted"
    SLOW = "slow"
    """Ran and scored, but ran out of time on some cases: partial credit, not broken code."""
    FAILED = "failed"
    PASSED = "passed"

    @property
    def label(self) -> str:
        return _GRADING_LABELS[self]


_GRADING_LABELS = {Grading.FORBIDDEN: "forbidden module", Grading.TIMEOUT: "timed out",
                   Grading.CRASHED: "crashed", Grading.NOT_SUBMITTED: "not submitted",
                   Grading.SLOW: "too slow on some cases", Grading.FAILED: "failed", Grading.PASSED: "passed"}
OUTCOMES = tuple(Grading)
#: Code that did not run: the progress line counts these and the class report lists them.
FAILED_TO_RUN = (Grading.FORBIDDEN, Grading.TIMEOUT, Grading.CRASHED)
OUTCOME_LABELS = {g.value: g.label for g in Grading}


class SessionEnd(_Word):
    """How a timed practice session ended."""
    SOLVED = "solved"
    TIMEOUT = "timeout"
    GAVE_UP = "gave_up"
    INTERRUPTED = "interrupted"
