"""The one vocabulary of how things went: a case's status, why an attempt or a case could not run, a
grading's outcome in a class, a practice session's end, and who reads a record. Each is a ``str`` enum,
so records and JSON files hold the plain words."""

from __future__ import annotations

from enum import Enum


class Word(str, Enum):
    """Prints as its plain value everywhere (f-strings, str(), JSON), on every Python version."""
    __str__ = str.__str__
    __format__ = str.__format__


class CaseStatus(Word):
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    TIMEOUT = "timeout"
    NOT_IMPLEMENTED = "not_implemented"
    NOT_RUN = "not_run"


#: The case statuses by their bare names: ``TIMEOUT`` here is always a case's.
PASSED, FAILED, ERROR, TIMEOUT, NOT_IMPLEMENTED, NOT_RUN = CaseStatus


class ErrorKind(Word):
    """Why an attempt (or one case of it) could not run to an answer: set where the failure happens
    and carried in the result, so that nothing downstream reads it back out of a message."""
    NONE = "none"
    IMPORT = "import"
    """The attempt could not be imported (a syntax error, an exception at import) or defines none of
    the functions."""
    TIMEOUT = "timeout"
    MEMORY = "memory"
    FORBIDDEN = "forbidden"
    """It imported a module the exercise refuses."""
    CRASH = "crash"
    """It raised, or its process ended, instead of answering."""
    REPLY_REFUSED = "reply_refused"
    """It sent the grader a reply the channel refused (too large, malformed)."""
    SANDBOX = "sandbox"
    """The grader could not build the sandbox: the grader's failure, never the attempt's."""


class ClassOutcome(Word):
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
        return _OUTCOME_LABELS[self]


_OUTCOME_LABELS = {ClassOutcome.FORBIDDEN: "forbidden module", ClassOutcome.TIMEOUT: "timed out",
                   ClassOutcome.CRASHED: "crashed", ClassOutcome.NOT_SUBMITTED: "not submitted",
                   ClassOutcome.SLOW: "too slow on some cases", ClassOutcome.FAILED: "failed",
                   ClassOutcome.PASSED: "passed"}
#: Code that did not run: the progress line counts these and the class report lists them.
FAILED_TO_RUN = (ClassOutcome.FORBIDDEN, ClassOutcome.TIMEOUT, ClassOutcome.CRASHED)
OUTCOME_LABELS = {g.value: g.label for g in ClassOutcome}


class SessionEnd(Word):
    """How a timed practice session ended."""
    SOLVED = "solved"
    TIMEOUT = "timeout"
    GAVE_UP = "gave_up"
    INTERRUPTED = "interrupted"


class Audience(Word):
    """Who reads a record. The ``LEARNER`` grading their own file sees everything the attempt
    produced; the ``STUDENT`` reading class-mode feedback (batch feedback, Gradescope, JUnit) sees
    nothing the attempt produced after a hidden case's arguments reached it; the ``INSTRUCTOR``
    (results.jsonl, the class report) sees everything."""
    LEARNER = "learner"
    STUDENT = "student"
    INSTRUCTOR = "instructor"


LEARNER, STUDENT, INSTRUCTOR = Audience

#: The mark of a record graded with no OS layer (only the in-process guard rails ran).
NO_OS_LAYER = "no-os-layer"


def layer_note(layers: list[str]) -> str | None:
    """The one line a report shows when a grading ran with no OS layer."""
    if NO_OS_LAYER not in layers:
        return None
    return ("Ran without an OS sandbox (only the in-process guard rails): fine for your own code, not "
            "for grading others' (see docs/security.md).")
