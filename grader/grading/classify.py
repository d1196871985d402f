"""A class grading's outcome (forbidden, timed out, crashed, slow, failed, passed) and the line that
says why, from a learner result."""

from __future__ import annotations

import ast
import re
from typing import Iterable

from grader.record.result import ExerciseResult
from grader.record.vocabulary import ERROR, FAILED, NOT_RUN, PASSED, TIMEOUT, Grading
from grader.sandbox.worker import REFUSED_PHRASE

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


def classify(result: ExerciseResult, source: str = "", forbidden: Iterable[str] = ()) -> tuple[str, str]:
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
