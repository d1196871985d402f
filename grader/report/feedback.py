"""Per-student feedback as Markdown: what the student would see after `grade EXERCISE`, for every
exercise, with the hidden cases' data withheld (a record never holds it) and nothing the attempt
produced after hidden cases had run (results.STUDENT's view)."""

from __future__ import annotations

import re
from pathlib import Path

import click

from grader import catalog
from grader.classroom import identity
from grader.record.class_record import ClassRecord
from grader.record.vocabulary import FAILED_TO_RUN, OUTCOME_LABELS, STUDENT, ClassOutcome
from grader.report import gradebook, terminal


def fenced(text: str) -> str:
    """A code block no line of ``text`` can close early (a fence longer than any run of backticks)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def exercise_section(exercise: str, record: ClassRecord | None) -> list[str]:
    lines = [f"## {exercise}: {catalog.title_of(exercise)}", ""]
    if record is None:
        return lines + ["Not graded yet.", ""]
    if not record.submitted:
        return lines + [f"Not submitted: {record.result.error or 'no file'}. Score 0/{record.max_score:g}.", ""]
    # The learner's own terminal view, without its colours: the same words they get from `grade`.
    text = click.unstyle(terminal.render(record.result, title=catalog.title_of(exercise),
                                         attempt_label=record.file_name, audience=STUDENT))
    if record.pictures:
        lines += [f"Pictures of the failing examples: [{record.pictures}]({record.pictures})", ""]
    return lines + [fenced(text), ""]


def render(student: str, records: list[ClassRecord], *, exercises: list[str]) -> str:
    by_exercise = {r.exercise: r for r in records if r.student == student}
    row = gradebook.rows(records, students=[student], exercises=exercises)[0]
    lines = [f"# Feedback for {_title(student)}", ""]
    if row.submission and row.submission != student:
        lines += [f"Submission: {_inline(row.submission)}", ""]
    lines += [f"Total: **{row.total:g} / {row.max_total:g}** ({row.percent:g}%)", ""]
    notes = [n for e in exercises if e in by_exercise for n in by_exercise[e].notes]
    if notes:
        lines += ["How your files were found:", ""] + [f"- {_line(n)}" for n in dict.fromkeys(notes)] + [""]
    lines += ["| exercise | score | result |", "| --- | --- | --- |"]
    for exercise in exercises:
        record = by_exercise.get(exercise)
        if record is None:
            lines.append(f"| {exercise} | - | not graded yet |")
            continue
        passed, total = record.result.counts()
        verdict = {ClassOutcome.NOT_SUBMITTED: "not submitted", ClassOutcome.PASSED: "all cases passed"}.get(
            record.outcome, f"{passed}/{total} cases passed")
        if record.result.not_implemented:
            verdict = "not implemented yet"
        if record.outcome in (*FAILED_TO_RUN, ClassOutcome.SLOW):
            verdict += f" ({OUTCOME_LABELS[record.outcome]})"
        lines.append(f"| {exercise} | {record.score:g}/{record.max_score:g} | {_cell(verdict)} |")
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


def write_all(folder: Path, records: list[ClassRecord], *, students: list[str], exercises: list[str]) -> list[Path]:
    """One ``<file>.md`` per student, named by identity.file_names (grades.csv says whose is whose)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for student, stem in identity.file_names(students).items():
        path = folder / f"{stem}.md"
        path.write_text(render(student, records, exercises=exercises), encoding="utf-8")
        written.append(path)
    return written
