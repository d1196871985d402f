"""Gradescope's results.json: one test per case, in the schema of Gradescope's autograder
specification (gradescope-autograders.readthedocs.io/en/latest/specs/).

Every test carries ``score``, ``max_score``, ``status`` ("passed"/"failed"), ``name``, ``output`` and
``visibility``: public cases are ``visible``; hidden ones ``after_published``, so students see them
only once the instructor publishes grades, and even then only their name, what they test and a
terse verdict (a record never holds a hidden case's data). The top-level ``score`` is set
explicitly: it is the sum of the exercise scores, exactly what ``grade`` reports.
"""

from __future__ import annotations

from pathlib import Path

from grader.record.class_record import ClassRecord
from grader.record.result import ExerciseResult
from grader.report.terminal import value_lines
from grader.userdata import write_json_atomic

VISIBLE, AFTER_PUBLISHED = "visible", "after_published"


def _case_output(case) -> str:
    if case.passed:
        return f"{case.category}: passed"
    return "\n".join([f"{case.category}: {case.message or case.status}", *value_lines(case)])


def tests_for(result: ExerciseResult) -> list[dict]:
    per_case = result.max_score / len(result.cases) if result.cases else 0.0
    tests = []
    for number, case in enumerate(result.cases, 1):
        tests.append({
            "name": f"{result.exercise}: {case.name}" + (" (hidden)" if case.hidden else ""),
            "number": f"{result.exercise}.{number}",
            "score": round(per_case, 4) if case.passed else 0.0,
            "max_score": round(per_case, 4),
            "status": "passed" if case.passed else "failed",
            "output": _case_output(case),
            "visibility": AFTER_PUBLISHED if case.hidden else VISIBLE,
            "tags": [result.exercise, "hidden" if case.hidden else "public"],
        })
    return tests


def missing_test(record: ClassRecord) -> dict:
    name, reason = record.exercise, record.detail
    return {"name": f"{name}: {name}.py", "number": f"{name}.0", "score": 0.0,
            "max_score": float(record.max_score), "status": "failed", "visibility": VISIBLE,
            "output": f"{reason}: upload a file named {name}.py", "tags": [name]}


def results_json(records: list[ClassRecord], *, execution_time: float | None = None) -> dict:
    """One student's records (graded ones first, then the missing ones, as Gradescope lists them)."""
    tests: list[dict] = []
    summary: list[str] = []
    graded = [r for r in records if r.submitted]
    results = [r.result for r in graded]
    for result in results:
        passed, total = result.counts()
        line = f"{result.exercise}: {passed}/{total} cases passed, score {result.score:g}/{result.max_score:g}"
        if result.error:
            line += f"\n  your file could not be run: {result.error}"
        summary.append(line)
        tests += tests_for(result)
    for record in records:
        if not record.submitted:
            summary.append(f"{record.exercise}: {record.detail} (0/{record.max_score:g})")
            tests.append(missing_test(record))
    summary += list(dict.fromkeys(filter(None, (r.layer_note for r in results))))
    data = {
        "score": round(sum(r.score for r in results), 2),
        "output": "\n".join(summary) + "\nHidden cases appear once grades are published.",
        "output_format": "text",
        # What the grader printed is for the instructor's debugging, not for students.
        "stdout_visibility": "hidden",
        "tests": tests,
    }
    if execution_time is not None:
        data["execution_time"] = round(execution_time)
    return data


def write(path: Path, data: dict) -> Path:
    write_json_atomic(Path(path), data)
    return Path(path)
