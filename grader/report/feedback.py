"""Per-student feedback as Markdown: what the student would see after `grade EXERCISE`, for every
exercise, with the hidden cases' data withheld (a record never holds it) and nothing the attempt
produced after hidden cases had run (results.STUDENT's view)."""

from __future__ import annotations

import re
from pathlib import Path

import click

from grader import catalog
from grader.classroom import identity
from grader.record.vocabulary import FAILED_TO_RUN, OUTCOME_LABELS, ClassOutcome
from grader.report import gradebook, terminal
from grader.record.result import STUDENT, ExerciseResult


def fenced(text: str) -> str:
    """A code block no line of ``text`` can close early (a fence longer than any run of backticks)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _file_name(record: dict) -> str:
    label = record.get("attempt") or ""
    return label.rsplit("/", 1)[-1].rsplit(":", 1)[-1] or f"{record['exercise']}.py"


def exercise_section(exercise: str, record: dict | None) -> list[str]:
    lines = [f"## {exercise}: {catalog.title_of(exercise)}", ""]
    if record is None:
        return lines + ["Not graded yet.", ""]
    if record.get("outcome") == ClassOutcome.NOT_SUBMITTED:
        return lines + [f"Not submitted: {record.get('error') or 'no file'}. Score 0/{record['max_score']:g}.", ""]
    result = ExerciseResult.from_dict(record)
    # The learner's own terminal view, without its colours: the same words they get from `grade`.
    text = click.unstyle(terminal.render(result, title=catalog.title_of(exercise),
                                         attempt_label=_file_name(record), audience=STUDENT))
    if record.get("pictures"):
        lines += [f"Pictures of the failing examples: [{record['pictures']}]({record['pictures']})", ""]
    return lines + [fenced(text), ""]


def render(student: str, records: list[dict], *, exercises: list[str]) -> str:
    by_exercise = {r["exercise"]: r for r in records if r["student"] == student}
    row = gradebook.rows(records, students=[student], exercises=exercises)[0]
    lines = [f"# Feedback for {_title(student)}", ""]
    if row.submission and row.submission != student:
        lines += [f"Submission: {_inline(row.submission)}", ""]
    lines += [f"Total: **{row.total:g} / {row.max_total:g}** ({row.percent:g}%)", ""]
    notes = [n for e in exercises for n in (by_exercise.get(e) or {}).get("notes", [])]
    if notes:
        lines += ["How your files were found:", ""] + [f"- {_line(n)}" for n in dict.fromkeys(notes)] + [""]
    lines += ["| exercise | score | result |", "| --- | --- | --- |"]
    for exercise in exercises:
        record = by_exercise.get(exercise)
        if record is None:
            lines.append(f"| {exercise} | - | not graded yet |")
            continue
        passed = sum(c["passed"] for c in record["cases"])
        verdict = {ClassOutcome.NOT_SUBMITTED: "not submitted", ClassOutcome.PASSED: "all cases passed"}.get(
            record.get("outcome"), f"{passed}/{len(record['cases'])} cases passed")
        if record["cases"] and all(c["status"] == "not_implemented" for c in record["cases"]):
            verdict = "not implemented yet"
        if record.get("outcome") in (*FAILED_TO_RUN, ClassOutcome.SLOW):
            verdict += f" ({OUTCOME_LABELS[record['outcome']]})"
        lines.append(f"| {exercise} | {record['score']:g}/{record['max_score']:g} | {_cell(verdict)} |")
    lines.append("")
    lines.append("Hidden cases show only what they test, never their data.")
    lines.append("")
    for exercise in exercises:
        lines += exercise_section(exercise, by_exercise.get(exercise))
    return "\n".join(lines).rstrip() + "\n"


def _line(text: str) -> str:
    """Untrusted text (names come from the students' files) as one line of plain Markdown text."""
    # Not '_' or '#': a name such as Anne_Lee must read the same in the raw file.
    return re.sub(r"([\\`*\[\]<>|])", r"\\\1", " ".join(text.split()))


def _title(student: str) -> str:
    return _line(student)


def _inline(text: str) -> str:
    return f"`{text}`" if "`" not in text else _line(text)


def write_all(folder: Path, records: list[dict], *, students: list[str], exercises: list[str]) -> list[Path]:
    """One ``<file>.md`` per student, named by identity.file_names (grades.csv says whose is whose)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for student, stem in identity.file_names(students).items():
        path = folder / f"{stem}.md"
        path.write_text(render(student, records, exercises=exercises), encoding="utf-8")
        written.append(path)
    return written
