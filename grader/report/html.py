"""The class report: one self-contained HTML page (no JavaScript) built from the batch's records.

It must read at 1400 px and at 400 px wide (tests/test_report_layout.py checks it in a real browser):
every table sits in its own horizontal scroll container, the histogram is made of HTML bars that
shrink with the page, and the gradebook keeps the student, total and percent columns in view
(sticky) however far it is scrolled.

The numbers are computed here; the markup lives in ``templates/report.html.j2``. Autoescaping is on
for every template: student names, file names and messages are untrusted text.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass
from pathlib import Path

import jinja2


from grader import catalog
from grader.classroom import similarity
from grader.classroom.discovery import Decision
from grader.record.class_record import ClassRecord
from grader.record.vocabulary import FAILED_TO_RUN, OUTCOME_LABELS, ClassOutcome
from grader.report import gradebook

TEMPLATES = Path(__file__).parent / "templates"


def environment() -> jinja2.Environment:
    # autoescape=True, not select_autoescape(): the templates end in .j2, which it would not escape.
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


@dataclass
class Bar:
    label: str
    count: int
    share: float
    """Length in percent of the tallest bar: the chart is HTML bars, readable at any width."""


@dataclass
class Histogram:
    bars: list[Bar]
    tallest: int


def histogram(percents: list[float], *, bins: int = 10) -> Histogram:
    """Bars for 0-10 %, 10-20 %, ... 90-100 % (100 falls in the last bin)."""
    counts = [0] * bins
    for p in percents:
        counts[min(int(p * bins // 100), bins - 1)] += 1
    tallest = max(counts, default=0)
    bars = []
    for i, count in enumerate(counts):
        lo, hi = 100 * i // bins, 100 * (i + 1) // bins
        bars.append(Bar(f"{lo}\u2013{hi}%", count, round(100 * count / tallest, 1) if tallest else 0.0))
    return Histogram(bars, tallest)


@dataclass
class ExerciseStats:
    name: str
    title: str
    submitted: int
    ran: int
    mean: float
    """Mean score over the whole class, a missing file counting 0."""
    max_score: float
    passed: int
    failed_to_run: int
    slow: int


@dataclass
class CaseStats:
    exercise: str
    name: str
    category: str
    hidden: bool
    passed: int
    attempts: int

    @property
    def rate(self) -> float:
        return 100 * self.passed / self.attempts if self.attempts else 0.0


@dataclass
class Problem:
    student: str
    exercise: str
    kind: str
    detail: str


@dataclass
class Withheld:
    """Something the attempt produced after hidden cases had run: the student's feedback leaves it out."""
    student: str
    exercise: str
    what: str
    text: str


#: Items of withheld text listed per grading, and characters of each.
WITHHELD_ITEMS, WITHHELD_CHARS = 3, 300


def withheld(records: list[ClassRecord], students: set[str]) -> list[Withheld]:
    """The withheld import errors and output, for the instructor: it can explain a strange grade, or
    show an attempt that fished for hidden data."""
    found = []
    for r in records:
        if r.student not in students:
            continue
        items = []
        if r.result.withheld_error:
            items.append(("import error after a restart", r.result.withheld_error))
        for segment in r.result.printed:
            if segment.after_hidden:
                where = f"printed during {segment.case}" if segment.case else "printed at re-import"
                items.append((where, segment.text))
        found += [Withheld(r.student, r.exercise, what, text[:WITHHELD_CHARS]) for what, text in items[:WITHHELD_ITEMS]]
    return found


def _ran(record: ClassRecord) -> bool:
    """Whether the attempt ran as code that tries: one that could not be imported, crashed on every
    case, timed out, or is still the stub says nothing about which case is hard."""
    return (record.outcome in (ClassOutcome.PASSED, ClassOutcome.FAILED, ClassOutcome.SLOW)
            and bool(record.result.cases) and not record.result.not_implemented)


def summarise(records: list[ClassRecord], *, students: list[str], exercises: list[str]) -> dict:
    by_key = gradebook.index(records)
    table = gradebook.rows(records, students=students, exercises=exercises)
    points = gradebook.max_scores(records, exercises)
    class_size = len(students)

    stats = []
    for name in exercises:
        mine = [by_key[s, name] for s in students if (s, name) in by_key]
        stats.append(ExerciseStats(
            name=name, title=catalog.title_of(name), submitted=sum(r.submitted for r in mine),
            ran=sum(_ran(r) for r in mine),
            mean=round(sum(r.score for r in mine) / class_size, 2) if class_size else 0.0,
            max_score=points[name], passed=sum(r.passed for r in mine),
            failed_to_run=sum(r.outcome in FAILED_TO_RUN for r in mine),
            slow=sum(r.outcome == ClassOutcome.SLOW for r in mine)))

    cases: dict[tuple[str, str], CaseStats] = {}
    for name in exercises:
        for student in students:
            record = by_key.get((student, name))
            if record is None or not _ran(record):
                continue
            for case in record.result.cases:
                key = (name, case.name)
                if key not in cases:
                    cases[key] = CaseStats(name, case.name, case.category, case.hidden, 0, 0)
                cases[key].attempts += 1
                cases[key].passed += bool(case.passed)
    order = {key: i for i, key in enumerate(cases)}
    worst_first = sorted(cases.values(), key=lambda c: (c.rate, order[c.exercise, c.name]))

    listed = set(students)
    problems = [Problem(r.student, r.exercise, OUTCOME_LABELS[r.outcome], r.detail)
                for r in records if r.outcome in FAILED_TO_RUN and r.student in listed]
    severity = [OUTCOME_LABELS[o] for o in FAILED_TO_RUN]
    problems.sort(key=lambda p: (severity.index(p.kind), p.student, p.exercise))

    slow = [Problem(r.student, r.exercise, f"{r.score:g}/{r.max_score:g}", r.detail)
            for r in records if r.outcome == ClassOutcome.SLOW and r.student in listed]
    slow.sort(key=lambda p: (p.student, p.exercise))

    percents = [row.percent for row in table]
    return {
        "class_size": class_size,
        "exercises": stats,
        "rows": table,
        "histogram": histogram(percents),
        "mean_percent": round(sum(percents) / len(percents), 1) if percents else 0.0,
        "median_percent": _median(percents),
        "max_total": table[0].max_total if table else sum(points.values()),
        "cases_failing": [c for c in worst_first if c.passed < c.attempts],
        "cases_all_passed": [c for c in worst_first if c.passed == c.attempts],
        "problems": problems,
        "withheld": withheld(records, listed),
        "slow": slow,
        "not_graded": sum(score is None for row in table for score in row.scores.values()),
    }


def _median(values: list[float]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    mid = len(ordered) // 2
    return round(ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2, 1)


def render(records: list[ClassRecord], *, students: list[str], exercises: list[str], similar: dict | None = None,
           title: str = "Class report", decisions: list[Decision] | None = None, roster=None) -> str:
    """``decisions``: what discovery chose or skipped; ``roster``: a roster.Join, for its section."""
    context = summarise(records, students=students, exercises=exercises)
    # Pairs joined into groups: a file passed round ten students is one line, not forty-five.
    similar_groups = {name: similarity.groups(pairs) for name, pairs in (similar or {}).items() if pairs}
    context.update(title=title, similar=similar_groups, exercise_names=exercises, generated=generated_at(),
                   decisions=decisions or [], roster=roster,
                   sandbox_note=next(filter(None, (r.result.layer_note for r in records)), None))
    return environment().get_template("report.html.j2").render(**context)


def generated_at() -> str:
    """Now, or SOURCE_DATE_EPOCH when set (the reproducible-builds convention): a rerun of the same
    class must be able to give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return _dt.datetime.now().strftime("%Y-%m-%d %H:%M")


def write_report(path: Path, records: list[ClassRecord], *, students: list[str], exercises: list[str],
                 similar: dict | None = None, title: str = "Class report", decisions: list[Decision] | None = None,
                 roster=None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(records, students=students, exercises=exercises, similar=similar, title=title,
                           decisions=decisions, roster=roster), encoding="utf-8")
    return path
