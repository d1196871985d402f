"""The grading record: plain dataclasses, one JSON shape that every report is built from."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

#: Bumped when a field changes meaning or disappears (adding a field does not bump it).
SCHEMA_VERSION = 1

from grader.outcomes import NOT_IMPLEMENTED


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
    values: CaseValues | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "values"}
        if self.hidden:
            for key in ("call", "expected", "actual"):
                data.pop(key)
        return data


@dataclass
class ExerciseResult:
    exercise: str
    attempt: str
    cases: list[CaseResult]
    max_score: float
    error: str | None = None
    sandbox: list[str] = field(default_factory=list)
    seconds: float = 0.0
    output: str = ""
    """What the attempt printed (capped): shown to the learner, never used for the verdict."""
    blocked: list[str] = field(default_factory=list)
    """What the sandbox refused the attempt (opening files outside its scratch, sockets, processes)."""

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
            "sandbox": list(self.sandbox),
            "blocked": list(self.blocked),
            "seconds": round(self.seconds, 3),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "ExerciseResult":
        cases = [CaseResult(**{k: v for k, v in c.items() if k in CaseResult.__dataclass_fields__ and k != "values"})
                 for c in data["cases"]]
        return cls(exercise=data["exercise"], attempt=data.get("attempt", ""), cases=cases,
                   max_score=data["max_score"], error=data.get("error"), sandbox=data.get("sandbox", []),
                   seconds=data.get("seconds", 0.0), blocked=data.get("blocked", []))
