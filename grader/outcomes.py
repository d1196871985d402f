"""The one vocabulary of how things went: a case's status, a grading's outcome in a class, a practice
session's end. Each is a ``str`` enum, so records and JSON files hold the plain words."""

from __future__ import annotations

import ast
import re
from enum import Enum
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from grader.engine.results import ExerciseResult


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


from grader.engine.worker import REFUSED_PHRASE  # noqa: E402  (the worker is stdlib-only)

#: How a result shows a forbidden import: the worker's words when it refuses a module.
_REFUSED = re.compile(r"'([\w.]+)' " + re.escape(REFUSED_PHRASE))


def forbidden_imports(source: str, forbidden: Iterable[str]) -> list[str]:
    """Forbidden modules that the source imports by name: catches what a hidden case's terse message
    would not say (the worker refuses them at run time either way)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    refused, found = set(forbidden), []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module]
        for name in names:
            top = name.partition(".")[0]
            if top in refused and top not in found:
                found.append(top)
    return found


def classify(result: "ExerciseResult", source: str = "", forbidden: Iterable[str] = ()) -> tuple[str, str]:
    """The outcome of one grading (one of OUTCOMES) and a line saying why, for the class report."""
    texts = [result.error or ""] + [c.message for c in result.cases]
    refused = sorted({m.group(1) for t in texts for m in _REFUSED.finditer(t)}
                     | set(forbidden_imports(source, forbidden)))
    if refused:
        return Grading.FORBIDDEN, "imports " + ", ".join(refused)
    slow = [c.name for c in result.cases if c.status == TIMEOUT]
    answered = sum(c.status in (PASSED, FAILED) for c in result.cases)
    if slow and answered and not result.error:
        passed, total = result.counts()
        unrun = sum(c.status == NOT_RUN for c in result.cases)
        names = ", ".join(slow[:5]) + (f" and {len(slow) - 5} more" if len(slow) > 5 else "")
        return Grading.SLOW, (f"too slow on {len(slow)} of {total} cases ({names})"
                              + (f", {unrun} not run after them" if unrun else "")
                              + f"; {passed}/{total} passed")
    timeouts = len(slow)
    if timeouts or (result.error and "timed out" in result.error):
        return Grading.TIMEOUT, f"timed out in {timeouts} of {len(result.cases)} cases" if timeouts else result.error
    if result.error:
        return Grading.CRASHED, f"could not be run: {result.error}"
    passed, total = result.counts()
    errors = [c for c in result.cases if c.status == ERROR]
    if errors and not passed:
        first = errors[0].message
        return Grading.CRASHED, f"raised an error in {len(errors)} of {total} cases, e.g. {first}"
    if result.passed:
        return Grading.PASSED, f"{passed}/{total} cases"
    if result.not_implemented:
        return Grading.FAILED, "not implemented (still the stub)"
    return Grading.FAILED, f"{passed}/{total} cases passed"
