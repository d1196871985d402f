"""Timed practice: a fresh stub in a workspace of its own, a clock, and a regrade on every save.

``run_session`` is the loop. Everything it waits on is passed in: the clock, the file watcher, the
source of key presses, the grading function and the view, so a test can run a whole session on a fake
clock in milliseconds and the CLI can pick a live screen on a terminal or plain lines in a pipe. The
session is recorded in the history whatever ends it, Ctrl-C included.
"""

from __future__ import annotations

import ast
import os
import random
import select
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Protocol, TextIO

import click

from grader import catalog, history
from grader.catalog import Exercise
from grader.grading import AttemptNotFound
from grader.history import GAVE_UP, INTERRUPTED, SOLVED, TIMEOUT
from grader.report import terminal
from grader.results import CaseResult, ExerciseResult
from grader.userdata import data_dir

Grade = Callable[[Path, Callable[[CaseResult, int, int], None]], ExerciseResult]


class StubUnavailable(RuntimeError):
    pass


# --- the workspace ---------------------------------------------------------------------------------

def fresh_stub(exercise: Exercise) -> str:
    """The stub as committed, so that a learner's edits to ``exercises/NAME.py`` never leak in."""
    relative = f"exercises/{exercise.name}.py"
    try:
        shown = subprocess.run(["git", "-C", str(catalog.ROOT), "show", f"HEAD:{relative}"],
                               capture_output=True, text=True, timeout=10)
        if shown.returncode == 0 and shown.stdout.strip():
            return shown.stdout
    except (OSError, subprocess.SubprocessError):
        pass  # no git, or not a clone: the file itself will do if it is still untouched
    try:
        text = exercise.stub_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StubUnavailable(f"there is no stub for {exercise.name}: {relative} is missing.") from None
    if "raise NotImplementedError" in text:
        return text
    raise StubUnavailable(
        f"cannot start from a blank {exercise.name}: {relative} has been edited (it no longer raises "
        f"NotImplementedError) and git has no committed copy of it. Move your work elsewhere and put "
        f"the original stub back in {relative}.")


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


def pick_unsolved(sessions: list[history.Session], *, rng: random.Random | None = None) -> tuple[Exercise, bool]:
    """A random exercise the learner has not solved yet, and False; every one is solved: any, and True."""
    rng = rng or random.Random()
    ready = catalog.available()
    if not ready:
        raise StubUnavailable("no exercise is complete in this checkout (stub, solution and suite).")
    unsolved = [e for e in ready if history.status(e.name, sessions) != SOLVED]
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


class TerminalKeys:
    """Single key presses from a terminal in cbreak mode (no Enter needed, no echo).

    Use it as a context manager: the terminal's settings are restored on the way out, whatever ends
    the session. cbreak keeps ISIG on, so Ctrl-C still raises KeyboardInterrupt.
    """

    def __init__(self, fd: int):
        self.fd = fd
        self._pending = ""
        self._saved = None

    def __enter__(self) -> "TerminalKeys":
        import termios
        import tty

        self._saved = termios.tcgetattr(self.fd)
        tty.setcbreak(self.fd)
        return self

    def __exit__(self, *exc) -> None:
        import termios

        if self._saved is not None:
            try:
                termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)
            except termios.error:  # the terminal is gone (closed window): nothing left to restore
                pass

    def read(self, timeout: float) -> str | None:
        if not self._pending:
            ready, _, _ = select.select([self.fd], [], [], timeout)
            if not ready:
                return None
            chunk = os.read(self.fd, 64).decode(errors="ignore")
            if not chunk:  # the terminal went away; SIGHUP ends the session
                time.sleep(timeout)
                return None
            # Arrow and function keys arrive as escape sequences: none of them means anything here.
            self._pending = "" if chunk.startswith("\x1b") else chunk
            if not self._pending:
                return None
        key, self._pending = self._pending[0], self._pending[1:]
        return key.lower()


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
            seconds=round(self.seconds, 2), outcome=self.outcome or INTERRUPTED,
            score=result.score if result else 0.0, max_score=float(self.exercise.points),
            cases_passed=passed, cases_total=total, hints_used=self.hints_used, regrades=self.regrades,
            workspace=str(self.path))


class View(Protocol):
    def start(self, state: PracticeState, now: float) -> None: ...
    def tick(self, state: PracticeState, now: float) -> None: ...
    def grading(self, state: PracticeState, done: int, total: int) -> None: ...
    def show(self, state: PracticeState, now: float) -> None: ...
    def end(self, state: PracticeState, session: history.Session) -> None: ...


def run_session(exercise: Exercise, path: Path, *, minutes: float, grade: Grade, clock: Clock, watcher,
                keys: Keys, view: View, stub: str | None = None,
                record: Callable[[history.Session], None] | None = history.append) -> history.Session:
    """Run one timed session on ``path`` until it is solved, time runs out or the learner gives up.

    ``watcher`` is a ``grader.watch.PollingWatcher`` (or anything with ``changed(now)``,
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
            state.outcome, state.seconds = SOLVED, min(now - state.start, state.limit)
        view.show(state, clock.now())

    view.start(state, state.start)
    try:
        while state.outcome is None:
            now = clock.now()
            if state.left(now) <= 0:
                state.outcome, state.seconds = TIMEOUT, state.limit
                break
            key = keys.read(min(watcher.interval, state.left(now)))
            now = clock.now()
            if key == "q":
                state.outcome, state.seconds = GAVE_UP, min(now - state.start, state.limit)
            elif key == "h":
                state.hints_used = min(state.hints_used + 1, len(exercise.hints))
                view.show(state, now)
            if state.outcome is None and (key == "r" or watcher.changed(now)):
                regrade(now)
            else:
                view.tick(state, now)
        if state.outcome in (TIMEOUT, GAVE_UP) and watcher.pending():
            # A save the loop had not graded yet (still settling, or made at the last moment) counts.
            ended_as, seconds = state.outcome, state.seconds
            state.outcome = None
            regrade(state.start + seconds)
            if state.outcome is None:
                state.outcome, state.seconds = ended_as, seconds
    except KeyboardInterrupt:
        state.outcome, state.seconds = INTERRUPTED, min(clock.now() - state.start, state.limit)
        raise
    finally:
        if state.outcome is None:  # an unexpected error: still a session that ended
            state.outcome, state.seconds = INTERRUPTED, min(clock.now() - state.start, state.limit)
        session = state.record()
        if record is not None:
            record(session)
        view.end(state, session)
    return session


# --- views -----------------------------------------------------------------------------------------

def _hint_lines(state: PracticeState) -> list[str]:
    total = len(state.exercise.hints)
    return [click.style(f"Hint {n}/{total}: ", bold=True) + text
            for n, text in enumerate(state.exercise.hints[:state.hints_used], 1)]


def result_lines(state: PracticeState) -> list[str]:
    """Cases passed, then the first failure in detail (the learner fixes one thing at a time)."""
    if state.problem:
        return [click.style(state.problem, fg="red", bold=True)]
    result = state.result
    if result is None:
        return ["Not graded yet: save the file to grade it."]
    passed, total = result.counts()
    colour = "green" if result.passed else ("yellow" if passed else "red")
    lines = [click.style(f"{passed}/{total} cases passed", fg=colour, bold=True)
             + f"  score {result.score:g}/{result.max_score:g}  (graded in {result.seconds:.1f} s)"]
    if result.error:
        lines += [click.style("Your file could not be run:", fg="red", bold=True), f"  {result.error}"]
    elif result.not_implemented:
        lines.append("Not implemented yet: replace the `raise NotImplementedError`.")
    else:
        failing = [c for c in result.cases if not c.passed]
        public = next((c for c in failing if not c.hidden and c.call), None)
        if public is not None:
            lines += terminal.failure_detail(public)
        elif failing:
            lines += ["First failure:", terminal.case_line(failing[0])]
        more = len(failing) - 1
        if more > 0:
            lines.append(click.style(f"  ... and {more} more failing case{'s' * (more > 1)}", dim=True))
    if result.output.strip() and not result.passed:
        tail = result.output.strip().splitlines()[-5:]
        lines += [click.style("Your code printed (last lines):", dim=True)] + [f"  {t}" for t in tail]
    return lines


def _clock(seconds: float) -> str:
    return history.format_seconds(seconds + 0.999)  # round up: 0:00 only when time is really up


def ending_lines(state: PracticeState, session: history.Session) -> list[str]:
    name = state.exercise.name
    took = history.format_seconds(session.seconds)
    hints = f"{session.hints_used} hint{'s' * (session.hints_used != 1)}"
    if session.cases_total is None:
        tally = "your file was never graded (no save)"
    else:
        tally = (f"{session.cases_passed}/{session.cases_total} cases passed, "
                 f"score {session.score:g}/{session.max_score:g}, {hints}")
    head = {
        SOLVED: click.style(f"Solved {name} in {took}", fg="green", bold=True)
        + f" ({hints}, {session.regrades} grading{'s' * (session.regrades != 1)}).",
        TIMEOUT: click.style("Time is up: ", fg="red", bold=True) + tally + ".",
        GAVE_UP: click.style(f"Gave up after {took}: ", fg="yellow", bold=True) + tally + ".",
        INTERRUPTED: click.style(f"Stopped after {took}: ", fg="yellow", bold=True) + tally + ".",
    }[session.outcome]
    lines = [head, f"Your file: {state.path}", "Session recorded: `grade history` lists your sessions."]
    if session.outcome != SOLVED:
        lines.append(f"The reference: `grade solution {name}`.")
    return lines


class PlainLog:
    """Line by line, for pipes and scripts: no screen control, no keys."""

    def __init__(self, out: TextIO | None = None):
        self.out = out
        self._minutes_left: int | None = None

    def _echo(self, text: str = "") -> None:
        click.echo(text, file=self.out)

    def start(self, state: PracticeState, now: float) -> None:
        self._echo(contract(state.exercise, state.stub))
        self._echo()
        self._echo(f"Practice {state.exercise.name}: {_clock(state.limit)} on the clock, {state.watching}.")
        self._echo(f"Edit: {state.path}")
        self._echo("Every save is graded. No terminal, so no keys: Ctrl-C stops the session.")
        self._minutes_left = int(state.left(now) // 60)

    def tick(self, state: PracticeState, now: float) -> None:
        minutes = int(state.left(now) // 60)
        if self._minutes_left is not None and minutes < self._minutes_left:
            self._minutes_left = minutes
            if minutes > 0:
                self._echo(f"[{_clock(state.left(now))} left]")

    def grading(self, state: PracticeState, done: int, total: int) -> None:
        pass

    def show(self, state: PracticeState, now: float) -> None:
        self._echo()
        self._echo(f"[{_clock(state.left(now))} left] graded {state.path.name}:")
        for line in result_lines(state):
            self._echo(line)

    def end(self, state: PracticeState, session: history.Session) -> None:
        self._echo()
        for line in ending_lines(state, session):
            self._echo(line)


class LiveScreen:
    """A terminal screen redrawn after every grading, with a status line that counts down in place."""

    KEYS = "h hint  r regrade  q give up"

    def __init__(self, out: TextIO | None = None):
        self.out = out
        self._shown_second: int | None = None

    def _write(self, text: str) -> None:
        # color=True: the screen is drawn with escape codes, which click would strip off a non-terminal.
        click.echo(text, file=self.out, nl=False, color=True)

    def _status(self, state: PracticeState, now: float) -> str:
        """One line, cut to the terminal's width: a wrapped line could not be redrawn in place."""
        left = state.left(now)
        clock = f"{_clock(left)} left"
        result = state.result
        cases = "{}/{} passed".format(*result.counts()) if result else "not graded yet"
        hints = f"hints {state.hints_used}/{len(state.exercise.hints)}"
        width = shutil.get_terminal_size().columns - 1
        parts = [clock, cases, hints, self.KEYS]
        while len(parts) > 1 and len("  |  ".join(parts)) > width:
            parts.pop()
        line = "  |  ".join(parts)[:width]
        return click.style(clock, bold=True, fg="red" if left < 60 else None) + line[len(clock):]

    def _status_line(self, state: PracticeState, now: float) -> None:
        self._shown_second = int(state.left(now))
        self._write("\r\033[K" + self._status(state, now))

    def start(self, state: PracticeState, now: float) -> None:
        self._write(contract(state.exercise, state.stub) + "\n\n")
        self._write(click.style(f"Practice {state.exercise.name}: ", bold=True)
                    + f"{_clock(state.limit)} on the clock, {state.watching}.\n")
        self._write(click.style("Edit: ", bold=True) + f"{state.path}\n")
        self._write("Every save is graded. Press h for a hint (counted), r to regrade, q to give up.\n\n")
        self._status_line(state, now)

    def tick(self, state: PracticeState, now: float) -> None:
        if int(state.left(now)) != self._shown_second:
            self._status_line(state, now)

    def grading(self, state: PracticeState, done: int, total: int) -> None:
        self._write(f"\r\033[Kgrading {state.path.name}: {done}/{total} cases")

    def show(self, state: PracticeState, now: float) -> None:
        lines = [click.style(f"{state.exercise.name}: {state.exercise.title}", bold=True)
                 + f"  ({state.watching})",
                 f"Edit: {state.path}"]
        lines += [f"  {s}" for s in signatures(state.exercise, state.stub)]
        lines += [""] + result_lines(state)
        if state.hints_used:
            lines += [""] + _hint_lines(state)
        # Home and clear, then the whole screen: one write, so the terminal redraws it at once.
        self._write("\033[H\033[2J" + "\n".join(lines) + "\n\n")
        self._status_line(state, now)

    def end(self, state: PracticeState, session: history.Session) -> None:
        self._write("\r\033[K" + "\n".join(ending_lines(state, session)) + "\n")
