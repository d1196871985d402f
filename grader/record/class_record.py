"""The class record: one student x exercise of a class, the line ``results.jsonl`` holds for it.

It is the learner's result (``ExerciseResult``) plus who it belongs to, how it went in class terms
(``ClassOutcome`` and the line that says why), where the graded file came from, what discovery noted,
and the page of pictures written for it. ``grade batch`` and ``grade gradescope`` both make these; every
class report (gradebook, feedback, the class report, LMS exports, JUnit, Gradescope) reads them and
nothing else. ``to_dict``/``from_dict`` are its one serialisation (tests/golden/class_record.json).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.record.result import ExerciseResult
from grader.record.vocabulary import ClassOutcome

#: The reason a missing file gives when discovery has nothing more to say.
NOT_SUBMITTED = "not submitted"


@dataclass
class ClassRecord:
    student: str
    """The name the work was handed in under, exactly (see classroom.identity)."""
    result: ExerciseResult
    outcome: ClassOutcome
    detail: str
    """One line on why the outcome, for the instructor."""
    attempt: str = ""
    """Where the graded code came from, for people: ``bob.zip:hw/nms.py`` (empty when none was)."""
    submission: str = ""
    """The folder or zip the student's work came from."""
    notes: list[str] = field(default_factory=list)
    """What discovery decided about this student's files for this exercise."""
    pictures: str | None = None
    """The file name of the page of pictures of the failing public examples, beside the feedback."""

    @property
    def exercise(self) -> str:
        return self.result.exercise

    @property
    def key(self) -> tuple[str, str]:
        return self.student, self.result.exercise

    @property
    def score(self) -> float:
        return self.result.score

    @property
    def max_score(self) -> float:
        return self.result.max_score

    @property
    def passed(self) -> bool:
        return self.result.passed

    @property
    def submitted(self) -> bool:
        return self.outcome != ClassOutcome.NOT_SUBMITTED

    @property
    def file_name(self) -> str:
        """The graded file's own name (``nms.py``), for the student's view."""
        return self.attempt.rsplit("/", 1)[-1].rsplit(":", 1)[-1] or f"{self.exercise}.py"

    def to_dict(self) -> dict:
        data = {"student": self.student, **self.result.to_dict()}
        data.update(attempt=self.attempt, outcome=self.outcome, detail=self.detail, submission=self.submission,
                    notes=list(self.notes))
        if self.pictures is not None:
            data["pictures"] = self.pictures
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "ClassRecord":
        """A record as ``to_dict`` wrote it (ValueError, KeyError or TypeError on anything else)."""
        result = ExerciseResult.from_dict(data)
        return cls(student=str(data["student"]), result=result, outcome=ClassOutcome(data["outcome"]),
                   detail=str(data.get("detail", "")), attempt=str(data.get("attempt") or ""),
                   submission=str(data.get("submission", "")), notes=[str(n) for n in data.get("notes", [])],
                   pictures=data.get("pictures"))

    @classmethod
    def missing(cls, student: str, exercise: str, max_score: float, reason: str = NOT_SUBMITTED, *,
                submission: str = "", notes: list[str] = ()) -> "ClassRecord":
        """The record of an exercise with no file: 0 points, with the reason."""
        result = ExerciseResult(exercise=exercise, attempt="", cases=[], max_score=max_score, error=reason)
        return cls(student, result, ClassOutcome.NOT_SUBMITTED, reason, submission=submission, notes=list(notes))
