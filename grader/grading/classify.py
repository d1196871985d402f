"""A class grading's outcome (forbidden, timed out, crashed, slow, failed, passed) and the line that
says why, from a learner result."""

from __future__ import annotations

import ast
from typing import Iterable

from grader.grading.errors import GraderFailure
from grader.record.result import ExerciseResult
from grader.record.vocabulary import ERROR, FAILED, NOT_RUN, PASSED, TIMEOUT, ClassOutcome, ErrorKind


def grader_failed(result: ExerciseResult) -> bool:
    return result.error_kind == ErrorKind.SANDBOX or any(c.error_kind == ErrorKind.SANDBOX for c in result.cases)


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


def classify(result: ExerciseResult, source: str = "", forbidden: Iterable[str] = ()) -> tuple[ClassOutcome, str]:
    """The outcome of one grading and a line saying why, for the class report. Read from the kinds
    the grading set where each failure happened, never from messages. A result the grader failed
    (``grader_failed``) has no outcome: GraderFailure."""
    if grader_failed(result):
        raise GraderFailure(result.error or "grade could not build its sandbox")
    refused = sorted(set(result.refused) | set(forbidden_imports(source, forbidden)))
    if refused or result.error_kind == ErrorKind.FORBIDDEN or any(
            c.error_kind == ErrorKind.FORBIDDEN for c in result.cases):
        return ClassOutcome.FORBIDDEN, "imports " + (", ".join(refused) or "a refused module")
    slow = [c.name for c in result.cases if c.status == TIMEOUT]
    answered = sum(c.status in (PASSED, FAILED) for c in result.cases)
    if slow and answered and result.error_kind == ErrorKind.NONE:
        passed, total = result.counts()
        unrun = sum(c.status == NOT_RUN for c in result.cases)
        names = ", ".join(slow[:5]) + (f" and {len(slow) - 5} more" if len(slow) > 5 else "")
        return ClassOutcome.SLOW, (f"too slow on {len(slow)} of {total} cases ({names})"
                                   + (f", {unrun} not run after them" if unrun else "")
                                   + f"; {passed}/{total} passed")
    if slow:
        return ClassOutcome.TIMEOUT, f"timed out in {len(slow)} of {len(result.cases)} cases"
    if result.error_kind == ErrorKind.TIMEOUT:
        return ClassOutcome.TIMEOUT, result.error or "timed out"
    if result.error_kind != ErrorKind.NONE or result.error:
        return ClassOutcome.CRASHED, f"could not be run: {result.error}"
    passed, total = result.counts()
    errors = [c for c in result.cases if c.status == ERROR]
    if errors and not passed:
        first = errors[0].message
        return ClassOutcome.CRASHED, f"raised an error in {len(errors)} of {total} cases, e.g. {first}"
    if result.passed:
        return ClassOutcome.PASSED, f"{passed}/{total} cases"
    if result.not_implemented:
        return ClassOutcome.FAILED, "not implemented (still the stub)"
    return ClassOutcome.FAILED, f"{passed}/{total} cases passed"
