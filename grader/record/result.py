"""The grading record: plain dataclasses, one JSON shape that every report is built from.

Who sees what. A record is read by three audiences: the ``LEARNER`` grading their own file (sees
everything the attempt produced), the ``STUDENT`` reading class-mode feedback (batch feedback,
Gradescope, JUnit), and the ``INSTRUCTOR`` (results.jsonl and the class report: everything). Nothing
the attempt produced after a hidden case's arguments reached it (what it printed, the text and type
of its exceptions, how its process ended, an import error after a worker restart) may reach a
student: such text is kept apart (``withheld``, ``withheld_error``, ``OutputSegment.after_hidden``)
and each field's ``*_for(audience)`` gives the view. A hidden case's call and expected value are in
no record at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from grader.record.vocabulary import INSTRUCTOR, LEARNER, NOT_IMPLEMENTED, STUDENT, ErrorKind, layer_note  # noqa: F401

#: Bumped when a field changes meaning or disappears (adding a field does not bump it).
SCHEMA_VERSION = 1

#: What a record keeps of the attempt's output: per segment, and in all.
SEGMENT_CHARS = 2000
OUTPUT_CHARS = 4000


@dataclass
class CaseValues:
    """The raw values of a public case, for pictures (``grader.report.visual``). Held in memory only:
    never serialised, and never set for a hidden case."""
    args: tuple
    kwargs: dict
    expected: Any = None
    expected_raises: str | None = None
    actual: Any = None
    actual_raised: str | None = None
    """The exception the attempt raised instead of returning, if it did."""
    outcome: str = "value"
    """How the call ended: value, raised, timeout or died (the sandbox's outcome kinds)."""
    func: str = ""
    """The function the case called."""


@dataclass
class CaseResult:
    name: str
    category: str
    hidden: bool
    passed: bool
    status: str
    message: str
    seconds: float | None = None
    # Shown for public cases only; a hidden case never carries its data.
    call: str | None = None
    expected: str | None = None
    actual: str | None = None
    withheld: str | None = None
    """The fuller message of a hidden case, quoting what the attempt produced (its exception's type
    and text, where it raised, how its process ended): for the learner and the instructor only."""
    error_kind: ErrorKind = ErrorKind.NONE
    """Why the call gave no answer to compare, when it gave none."""
    values: CaseValues | None = field(default=None, repr=False, compare=False)

    def message_for(self, audience: str) -> str:
        return self.message if audience == STUDENT or not self.withheld else self.withheld

    def to_dict(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "values"}
        if self.hidden:
            for key in ("call", "expected", "actual"):
                data.pop(key)
        if data["withheld"] is None:
            data.pop("withheld")
        return data


@dataclass
class OutputSegment:
    """What the attempt printed (stdout and stderr) during one case, or while being imported."""
    text: str
    case: str | None = None
    """The case that was running; None while the file was being imported."""
    after_hidden: bool = False
    """Printed after a hidden case's arguments reached the attempt: never shown to a student."""

    def label(self) -> str:
        if self.case:
            return f"during {self.case}"
        return "while being imported again (a restarted worker)" if self.after_hidden else "while being imported"

    def to_dict(self) -> dict:
        return {"case": self.case, "after_hidden": self.after_hidden, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict) -> "OutputSegment":
        return cls(text=str(data.get("text", "")), case=data.get("case"),
                   after_hidden=bool(data.get("after_hidden", True)))


def capped(segments: list[OutputSegment]) -> list[OutputSegment]:
    """At most SEGMENT_CHARS per segment and OUTPUT_CHARS in all, the earliest kept."""
    kept, left = [], OUTPUT_CHARS
    for segment in segments:
        text = segment.text[: min(SEGMENT_CHARS, left)]
        if not text.strip():
            continue
        kept.append(OutputSegment(text, segment.case, segment.after_hidden))
        left -= len(text)
        if left <= 0:
            break
    return kept


@dataclass
class ExerciseResult:
    exercise: str
    attempt: str
    cases: list[CaseResult]
    max_score: float
    error: str | None = None
    sandbox: list[str] = field(default_factory=list)
    seconds: float = 0.0
    printed: list[OutputSegment] = field(default_factory=list)
    """What the attempt printed, per case (capped): never used for the verdict; see ``printed_for``."""
    blocked: list[str] = field(default_factory=list)
    """What the sandbox refused the attempt (opening files outside its scratch, sockets, processes), as
    reported by the attempt's own process: it can forge or erase these, so they only ever prompt a look."""
    observed: list[str] = field(default_factory=list)
    """What the grader itself saw the attempt run into (replies refused, output past the cap)."""
    withheld_error: str | None = None
    """The full import error when the attempt failed to import after hidden cases had run (it may
    carry their data): for the learner and the instructor; students see ``error``."""
    error_kind: ErrorKind = ErrorKind.NONE
    """Why the attempt could not run at all (``error`` says it in words), else NONE."""
    refused: list[str] = field(default_factory=list)
    """The modules the exercise refuses that the attempt tried to import (only names of the
    exercise's forbidden list: the attempt cannot write anything else here)."""

    @property
    def layer_note(self) -> str | None:
        """The one sentence a report says about the sandbox layers, when there is one to say."""
        return layer_note(self.sandbox)

    @property
    def output(self) -> str:
        """Everything the attempt printed, as one text (the learner's and the instructor's view)."""
        return "".join(s.text for s in self.printed)

    def printed_for(self, audience: str) -> list[OutputSegment]:
        return [s for s in self.printed if audience != STUDENT or not s.after_hidden]

    def error_for(self, audience: str) -> str | None:
        return self.error if audience == STUDENT or not self.withheld_error else self.withheld_error

    @property
    def passed(self) -> bool:
        return bool(self.cases) and all(c.passed for c in self.cases) and self.error is None

    @property
    def score(self) -> float:
        if not self.cases:
            return 0.0
        return round(self.max_score * sum(c.passed for c in self.cases) / len(self.cases), 2)

    @property
    def not_implemented(self) -> bool:
        return bool(self.cases) and all(c.status == NOT_IMPLEMENTED for c in self.cases)

    def counts(self) -> tuple[int, int]:
        return sum(c.passed for c in self.cases), len(self.cases)

    def to_dict(self) -> dict:
        return {
            "version": SCHEMA_VERSION,
            "exercise": self.exercise,
            "attempt": self.attempt,
            "passed": self.passed,
            "score": self.score,
            "max_score": self.max_score,
            "cases": [c.to_dict() for c in self.cases],
            "error": self.error,
            "error_kind": self.error_kind,
            "refused": list(self.refused),
            "sandbox": list(self.sandbox),
            "withheld_error": self.withheld_error,
            "blocked": list(self.blocked),
            "blocked_reported_by": "the attempt's process",
            "observed": list(self.observed),
            "output": [s.to_dict() for s in capped(self.printed)],
            "seconds": round(self.seconds, 3),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "ExerciseResult":
        cases = [CaseResult(**{k: v for k, v in c.items() if k in CaseResult.__dataclass_fields__ and k != "values"})
                 for c in data["cases"]]
        for case in cases:
            case.error_kind = ErrorKind(case.error_kind)
        return cls(exercise=data["exercise"], attempt=data.get("attempt", ""), cases=cases,
                   max_score=data["max_score"], error=data.get("error"), sandbox=data.get("sandbox", []),
                   seconds=data.get("seconds", 0.0), blocked=data.get("blocked", []),
                   observed=data.get("observed", []), withheld_error=data.get("withheld_error"),
                   error_kind=ErrorKind(data.get("error_kind", ErrorKind.NONE)), refused=list(data.get("refused", [])),
                   printed=[OutputSegment.from_dict(s) for s in data.get("output", []) if isinstance(s, dict)])
