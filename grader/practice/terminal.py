"""The terminal side of practice mode: keys read in cbreak mode, and the two views of a session
(a live screen on a terminal, plain lines in a pipe). grader/practice/session.py holds the loop they serve."""

from __future__ import annotations

import os
import select
import shutil
import time
from typing import TextIO

import click

from grader.record.result import LEARNER
from grader.practice import history
from grader.record.vocabulary import SessionEnd
from grader.practice.session import PracticeState, contract, signatures
from grader.report import terminal


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
        lines += [click.style("Your file could not be run:", fg="red", bold=True), f"  {result.error_for(LEARNER)}"]
    elif result.not_implemented:
        lines.append("Not implemented yet: replace the `raise NotImplementedError`.")
    else:
        failing = [c for c in result.cases if not c.passed]
        public = next((c for c in failing if not c.hidden and c.call), None)
        if public is not None:
            lines += terminal.failure_detail(public)
        elif failing:
            lines += ["First failure:", terminal.case_line(failing[0], LEARNER)]
        more = len(failing) - 1
        if more > 0:
            lines.append(click.style(f"  ... and {more} more failing case{'s' * (more > 1)}", dim=True))
    if not result.passed:
        lines += terminal.printed_lines(result, LEARNER, last=5)
    return lines


def newest_hint_line(state: PracticeState) -> str:
    total = len(state.exercise.hints)
    if state.hints_used == 0:
        return "No hint yet."
    line = _hint_lines(state)[-1]
    return line + (click.style("  (the last hint)", dim=True) if state.hints_used == total else "")


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
        SessionEnd.SOLVED: click.style(f"Solved {name} in {took}", fg="green", bold=True)
        + f" ({hints}, {session.regrades} grading{'s' * (session.regrades != 1)}).",
        SessionEnd.TIMEOUT: click.style("Time is up: ", fg="red", bold=True) + tally + ".",
        SessionEnd.GAVE_UP: click.style(f"Gave up after {took}: ", fg="yellow", bold=True) + tally + ".",
        SessionEnd.INTERRUPTED: click.style(f"Stopped after {took}: ", fg="yellow", bold=True) + tally + ".",
    }[session.outcome]
    lines = [head, f"Your file: {state.path}", "Session recorded: `grade history` lists your sessions."]
    if session.outcome != SessionEnd.SOLVED:
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

    def hint(self, state: PracticeState, now: float) -> None:
        self._echo(newest_hint_line(state))

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

    def hint(self, state: PracticeState, now: float) -> None:
        # Written below what is on screen, not a redraw: the contract printed at the start stays.
        self._write("\r\033[K" + newest_hint_line(state) + "\n\n")
        self._status_line(state, now)

    def end(self, state: PracticeState, session: history.Session) -> None:
        self._write("\r\033[K" + "\n".join(ending_lines(state, session)) + "\n")
