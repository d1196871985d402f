"""Visual feedback: one self-contained HTML page per grading, with a picture of every failing public case.

``grade NAME --html PATH`` writes it for a learner; ``write_feedback_page`` writes
``feedback/<student>.html`` for a class. The pictures are inline SVG (``pictures.py``, drawn with
``svg.py``) and the page a jinja2 template, the report's own tools: no new dependency, no network,
text that stays selectable. Pictures need the raw values of a case, which a result holds in memory
for public cases only (``CaseResult.values``); a result read back from JSON has none, and hidden
cases never show data. Imported only when a page is asked for, so plain ``grade NAME`` pays nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from grader import catalog
from grader.record.result import LEARNER, STUDENT, CaseResult, ExerciseResult
from grader.report import terminal
from grader.report.visual.pictures import PICTURES, array_picture, draw, picture  # noqa: F401  (the API)


@dataclass
class CaseView:
    case: CaseResult
    values: list[str]
    picture: Markup | None


@dataclass
class ExerciseView:
    result: ExerciseResult
    title: str
    attempt_label: str
    cases: list[CaseView]
    terminal_text: str


def _picture(exercise: str, case: CaseResult) -> Markup | None:
    if case.passed or case.hidden or case.values is None:
        return None
    try:
        return draw(exercise, case.values.func, case.values)
    except Exception:  # a picture must never cost the learner the rest of the page
        return None


def exercise_view(result: ExerciseResult, *, title: str, attempt_label: str, audience: str) -> ExerciseView:
    """``audience`` is results.LEARNER for the learner's own page, results.STUDENT for class feedback."""
    import click

    cases = []
    for case in result.cases:
        why = case.message_for(audience)
        cases.append(CaseView(case, terminal.value_lines(case) + ([f"{'why:':<10}{why}"] if why else []),
                              _picture(result.exercise, case)))
    text = click.unstyle(terminal.render(result, title=title, attempt_label=attempt_label, audience=audience))
    return ExerciseView(result, title, attempt_label, cases, text)


def render(views: list[ExerciseView], *, heading: str) -> str:
    from grader.report.html import environment, generated_at

    template = environment().get_template("visual.html.j2")
    return template.render(heading=heading, views=views,
                           generated=generated_at())


def write_page(path: Path, result: ExerciseResult, *, title: str, attempt_label: str) -> Path:
    """The page of one grading (``grade NAME --html PATH``)."""
    view = exercise_view(result, title=title, attempt_label=attempt_label, audience=LEARNER)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render([view], heading=f"{result.exercise}: {title}"), encoding="utf-8")
    return path


def feedback_page(student: str, results: list[tuple[ExerciseResult, str]]) -> str:
    """A student's page: one section per (result, attempt label), pictures for public cases only.

    For batch grading, made while the results are still in memory (the values a picture needs are
    not kept in results.jsonl)."""
    views = [exercise_view(result, title=catalog.title_of(result.exercise), attempt_label=label,
                           audience=STUDENT) for result, label in results]
    return render(views, heading=f"Feedback for {student}")


def write_feedback_page(folder: Path, file_stem: str, student: str,
                        results: list[tuple[ExerciseResult, str]]) -> Path:
    """``folder/<file_stem>.html`` holding ``feedback_page``; ``file_stem`` as classroom.identity names it."""
    path = Path(folder) / f"{file_stem}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(feedback_page(student, results), encoding="utf-8")
    return path
