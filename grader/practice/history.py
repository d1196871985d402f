"""The record of practice sessions and gradings: one JSON file in the user's data directory, versioned,
written atomically.

``data_dir()/history.json`` holds ``{"version": 1, "sessions": [...], "gradings": [...]}``, oldest
first: sessions are timed practice, gradings every ``grade NAME`` of the learner's own exercise file
(``gradings`` was added later: a file without it has none, and an older grade keeps the sessions). A file
that cannot be read (bad JSON, an unknown version, not the expected shape) is set aside next to it,
reported through ``on_problem`` and replaced by an empty history: a broken file never stops a session.
"""

from __future__ import annotations

import fcntl
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Callable

from grader.record.vocabulary import SessionEnd
from grader.userdata import data_dir, read_json, write_json_atomic

#: Bumped when a field changes meaning or disappears (adding a field does not bump it).
VERSION = 1

OUTCOMES = tuple(SessionEnd)

NEW, ATTEMPTED = "new", "attempted"

#: The newest gradings kept: enough for any status, a bounded file for a learner who grades all day.
MAX_GRADINGS = 2000

Problem = Callable[[str], None]


@dataclass
class Session:
    """One practice session, as it ended."""
    exercise: str
    started: str
    """Local wall-clock start, ISO 8601 with its UTC offset."""
    minutes: float
    """The time limit."""
    seconds: float
    """Time taken: to the save that solved it, else to the end of the session."""
    outcome: str
    score: float = 0.0
    max_score: float = 0.0
    cases_passed: int = 0
    cases_total: int | None = None
    """None when the file was never graded (the learner never saved)."""
    hints_used: int = 0
    regrades: int = 0
    workspace: str = ""

    @property
    def solved(self) -> bool:
        return self.outcome == SessionEnd.SOLVED

    def to_dict(self) -> dict:
        return {**asdict(self), "solved": self.solved}

    @classmethod
    def from_dict(cls, data: dict) -> "Session":
        known = {f.name for f in fields(cls)}
        session = cls(**{k: v for k, v in data.items() if k in known})
        if session.outcome not in OUTCOMES or not isinstance(session.seconds, (int, float)):
            raise ValueError(f"not a session record: {data!r}")
        return session


@dataclass
class LearnerGrading:
    """One ``grade NAME`` of the learner's own file: when, and how it went."""
    exercise: str
    time: str
    """Local wall-clock time, ISO 8601 with its UTC offset."""
    score: float
    max_score: float
    passed: bool
    cases_passed: int = 0
    cases_total: int = 0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "LearnerGrading":
        known = {f.name for f in fields(cls)}
        grading = cls(**{k: v for k, v in data.items() if k in known})
        if not isinstance(grading.exercise, str) or not isinstance(grading.passed, bool):
            raise ValueError(f"not a grading record: {data!r}")
        return grading


def path() -> Path:
    return data_dir() / "history.json"


def _set_aside(file: Path, why: str, on_problem: Problem | None) -> None:
    aside = file.with_name(file.name + ".corrupt")
    if file.exists():
        file.replace(aside)
    if on_problem:
        on_problem(f"warning: {file} {why}; it was moved to {aside.name} and a new history started.")


def _read(on_problem: Problem | None) -> tuple[list[Session], list[LearnerGrading]]:
    file = path()
    existed = file.exists()
    data = read_json(file, {})
    if existed and not file.exists():  # read_json set it aside: it was not valid JSON
        if on_problem:
            on_problem(f"warning: {file} could not be read (not valid JSON); it was moved to "
                       f"{file.name}.corrupt and a new history started.")
        return [], []
    if not data:
        return [], []
    if data.get("version") != VERSION or not isinstance(data.get("sessions"), list) \
            or not isinstance(data.get("gradings", []), list):
        _set_aside(file, f"has an unknown format (version {data.get('version')!r})", on_problem)
        return [], []
    try:
        return ([Session.from_dict(item) for item in data["sessions"]],
                [LearnerGrading.from_dict(item) for item in data.get("gradings", [])])
    except (TypeError, ValueError, AttributeError):
        _set_aside(file, "holds a record that is not a session or a grading", on_problem)
        return [], []


def load(*, on_problem: Problem | None = None) -> list[Session]:
    """Every recorded practice session, oldest first."""
    return _read(on_problem)[0]


def load_gradings(*, on_problem: Problem | None = None) -> list[LearnerGrading]:
    """Every recorded grading of the learner's own files, oldest first."""
    return _read(on_problem)[1]


def _update(change: Callable[[list[Session], list[LearnerGrading]], None], on_problem: Problem | None) -> None:
    file = path()
    file.parent.mkdir(parents=True, exist_ok=True)
    # Two gradings or sessions ending at once (two terminals) must not both read the old file and drop one.
    with open(file.with_name(file.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        sessions, gradings = _read(on_problem)
        change(sessions, gradings)
        # The derived "solved" field is for readers of the file; load() ignores it.
        write_json_atomic(file, {"version": VERSION, "sessions": [s.to_dict() for s in sessions],
                                 "gradings": [g.to_dict() for g in gradings[-MAX_GRADINGS:]]})


def append(session: Session, *, on_problem: Problem | None = None) -> None:
    _update(lambda sessions, gradings: sessions.append(session), on_problem)


def record_grading(grading: LearnerGrading, *, on_problem: Problem | None = None) -> None:
    _update(lambda sessions, gradings: gradings.append(grading), on_problem)


def best_times(sessions: list[Session]) -> dict[str, float]:
    """The fastest solve per exercise, in seconds."""
    best: dict[str, float] = {}
    for s in sessions:
        if s.solved and (s.exercise not in best or s.seconds < best[s.exercise]):
            best[s.exercise] = s.seconds
    return best


def status(exercise: str, sessions: list[Session], gradings: list[LearnerGrading] = ()) -> str:
    """``new`` (never practised nor graded), ``attempted`` (never solved) or ``solved`` (a practice
    session solved it, or a grading of the learner's own file passed)."""
    mine = [s for s in sessions if s.exercise == exercise]
    graded = [g for g in gradings if g.exercise == exercise]
    if any(s.solved for s in mine) or any(g.passed for g in graded):
        return SessionEnd.SOLVED
    return ATTEMPTED if mine or graded else NEW


def has_ended_session(exercise: str, sessions: list[Session]) -> bool:
    """Whether the learner has finished a session of ``exercise`` (every recorded session is finished)."""
    return any(s.exercise == exercise for s in sessions)


def format_seconds(seconds: float) -> str:
    """``m:ss``, or ``h:mm:ss`` past an hour."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
