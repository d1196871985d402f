"""Timed practice: a fresh stub in a workspace of its own, a clock, and a regrade on every save.

``run_session`` is the loop. Everything it waits on is passed in: the clock, the file watcher, the
source of key presses, the grading function and the view, so a test can run a whole session on a fake
clock in milliseconds and the CLI can pick a live screen on a terminal or plain lines in a pipe. The
session is recorded in the history whatever ends it, Ctrl-C included.
"""

from __future__ import annotations

import ast
import random
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Protocol

from grader import catalog
from grader.practice import history
from grader.catalog import Exercise
from grader.grading.errors import AttemptNotFound
from grader.record.vocabulary import SessionEnd
from grader.record.result import CaseResult, ExerciseResult
from grader.userdata import data_dir
from grader.workspace import StubUnavailable, fresh_stub  # noqa: F401  (part of this module's API)

Grade = Callable[[Path, Callable[[CaseResult, int, int], None]], ExerciseResult]


# --- the workspace ---------------------------------------------------------------------------------

def create_workspace(exercise: Exercise, stub: str, *, when: datetime | None = None) -> Path:
    """``data_dir()/practice/NAME-TIMESTAMP/NAME.py`` holding ``stub``; a new directory every session."""
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    root = data_dir() / "practice"
    root.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, 1000):
        folder = root / (f"{exercise.name}-{stamp}" + (f"-{attempt}" if attempt > 1 else ""))
        try:
            folder.mkdir()
            break
        except FileExistsError:
            continue
    else:
        raise StubUnavailable(f"could not create a practice folder in {root}")
    path = folder / f"{exercise.name}.py"
    path.write_text(stub, encoding="utf-8")
    return path


def contract(exercise: Exercise, stub: str) -> str:
    """The module docstring and, for each function to write, its signature and docstring."""
    tree = ast.parse(stub)
    parts = [(ast.get_docstring(tree) or "").strip()]
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in exercise.functions:
            doc = ast.get_docstring(node) or ""
            body = "\n".join("    " + line if line else "" for line in doc.splitlines())
            parts.append(f"def {node.name}({ast.unparse(node.args)}):\n{body}")
    return "\n\n".join(p for p in parts if p)


def signatures(exercise: Exercise, stub: str) -> list[str]:
    tree = ast.parse(stub)
    return [f"def {node.name}({ast.unparse(node.args)})" for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name in exercise.functions]


def pick_unsolved(sessions: list[history.Session], *, gradings: list[history.Grading] = (),
                  track: str | None = None, rng: random.Random | None = None) -> tuple[Exercise, bool]:
    """A random exercise (of ``track``, if given) the learner has not solved yet, and False; every one
    is solved: any, and True."""
    rng = rng or random.Random()
    ready = [e for e in catalog.available() if track is None or e.track == track]
    if not ready:
        where = f"in the track {track!r}" if track else "in this installation"
        raise StubUnavailable(f"no exercise is complete {where} (stub, solution and suite).")
    unsolved = [e for e in ready if history.status(e.name, sessions, gradings) != SessionEnd.SOLVED]
    return (rng.choice(unsolved), False) if unsolved else (rng.choice(ready), True)


# --- what the loop waits on ------------------------------------------------------------------------

class Clock(Protocol):
    def now(self) -> float: ...
    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class Keys(Protocol):
    def read(self, timeout: float) -> str | None:
        """Wait up to ``timeout`` seconds for a key press; None if there was none."""


class NoKeys:
    """Without a terminal there are no keys: only saves, the clock and Ctrl-C end a session."""

    def __init__(self, clock: Clock):
        self.clock = clock

    def read(self, timeout: float) -> str | None:
        self.clock.sleep(timeout)
        return None


# --- the session -----------------------------------------------------------------------------------

@dataclass
class PracticeState:
    """What the view shows; the loop updates it."""
    exercise: Exercise
    path: Path
    minutes: float
    start: float
    stub: str
    watching: str
    result: ExerciseResult | None = None
    problem: str | None = None
    hints_used: int = 0
    regrades: int = 0
    outcome: str | None = None
    seconds: float = 0.0
    started_at: str = field(default_factory=lambda: datetime.now().astimezone().isoformat(timespec="seconds"))

    @property
    def limit(self) -> float:
        return self.minutes * 60

    def left(self, now: float) -> float:
        return max(0.0, self.limit - (now - self.start))

    def record(self) -> history.Session:
        result = self.result
        passed, total = result.counts() if result else (0, None)
        return history.Session(
            exercise=self.exercise.name, started=self.started_at, minutes=self.minutes,
            seconds=round(self.seconds, 2), outcome=self.outcome or SessionEnd.INTERRUPTED,
            score=result.score if result else 0.0, max_score=float(self.exercise.points),
            cases_passed=passed, cases_total=total, hints_used=self.hints_used, regrades=self.regrades,
            workspace=str(self.path))


class View(Protocol):
    def start(self, state: PracticeState, now: float) -> None: ...
    def tick(self, state: PracticeState, now: float) -> None: ...
    def grading(self, state: PracticeState, done: int, total: int) -> None: ...
    def show(self, state: PracticeState, now: float) -> None: ...
    def hint(self, state: PracticeState, now: float) -> None:
        """The newest hint, added below what is on screen (the contract stays in view)."""
    def end(self, state: PracticeState, session: history.Session) -> None: ...


def run_session(exercise: Exercise, path: Path, *, minutes: float, grade: Grade, clock: Clock, watcher,
                keys: Keys, view: View, stub: str | None = None,
                record: Callable[[history.Session], None] | None = history.append) -> history.Session:
    """Run one timed session on ``path`` until it is solved, time runs out or the learner gives up.

    ``watcher`` is a ``grader.practice.watch.PollingWatcher`` (or anything with ``changed(now)``,
    ``mark_current()``, ``pending()``, ``interval`` and ``description``). The session is passed to
    ``record`` (the history by default) on every way out, and returned.
    """
    state = PracticeState(exercise=exercise, path=Path(path), minutes=minutes, start=clock.now(),
                          stub=stub if stub is not None else Path(path).read_text(encoding="utf-8"),
                          watching=watcher.description)

    def regrade(now: float) -> None:
        watcher.mark_current()  # a save made while grading is news for the next poll
        state.regrades += 1
        try:
            state.result = grade(state.path, lambda case, done, total: view.grading(state, done, total))
            state.problem = None
        except AttemptNotFound:
            state.problem = f"{state.path} is gone: save your file there again."
        if state.result is not None and state.result.passed and state.problem is None:
            state.outcome, state.seconds = SessionEnd.SOLVED, min(now - state.start, state.limit)
        view.show(state, clock.now())

    try:
        # Inside the try: a Ctrl-C that lands while the start is drawn (its last write done, the
        # learner saw the clock) still ends a recorded session.
        view.start(state, state.start)
        while state.outcome is None:
            now = clock.now()
            if state.left(now) <= 0:
                state.outcome, state.seconds = SessionEnd.TIMEOUT, state.limit
                break
            key = keys.read(min(watcher.interval, state.left(now)))
            now = clock.now()
            if key == "q":
                state.outcome, state.seconds = SessionEnd.GAVE_UP, min(now - state.start, state.limit)
            elif key == "h":
                state.hints_used = min(state.hints_used + 1, len(exercise.hints))
                view.hint(state, now)
            if state.outcome is None and (key == "r" or watcher.changed(now)):
                regrade(now)
            else:
                view.tick(state, now)
        if state.outcome in (SessionEnd.TIMEOUT, SessionEnd.GAVE_UP) and watcher.pending():
            # A save the loop had not graded yet (still settling, or made at the last moment) counts.
            ended_as, seconds = state.outcome, state.seconds
            state.outcome = None
            regrade(state.start + seconds)
            if state.outcome is None:
                state.outcome, state.seconds = ended_as, seconds
    except KeyboardInterrupt:
        state.outcome, state.seconds = SessionEnd.INTERRUPTED, min(clock.now() - state.start, state.limit)
        raise
    finally:
        if state.outcome is None:  # an unexpected error: still a session that ended
            state.outcome, state.seconds = SessionEnd.INTERRUPTED, min(clock.now() - state.start, state.limit)
        session = state.record()
        if record is not None:
            record(session)
        view.end(state, session)
    return session
