"""Commands of the timed practice mode: `grade practice`, `grade history`, `grade solution`."""

from __future__ import annotations

import contextlib
import json
import signal
import sys

import click

from grader import catalog
from grader.record.vocabulary import SessionEnd
from grader.commands.options import INTERRUPTED_EXIT, exercise_argument, limit_options, make_limits

# The practice loop's modules are imported by the commands that run it: `grade --help` imports this
# file only for the commands' help.

def _warn(message: str) -> None:
    click.echo(click.style(message, fg="yellow"), err=True)


def _exercise(name: str):
    try:
        return catalog.get(name)
    except catalog.UnknownExercise as exc:
        raise click.BadParameter(str(exc), param_hint="EXERCISE") from None


def _track(value: str | None) -> str | None:
    if value is None:
        return None
    wanted = value.strip().lower().replace("-", " ").replace("_", " ")
    if wanted not in catalog.TRACKS:
        raise click.BadParameter(f"no track {value!r}; the tracks are: {', '.join(catalog.TRACKS)}.",
                                 param_hint="--track")
    return wanted


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


@contextlib.contextmanager
def _terminations_interrupt():
    """A closed terminal (SIGHUP) or a kill (SIGTERM) ends the session like Ctrl-C: recorded, terminal restored."""
    previous = {sig: signal.signal(sig, _raise_interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@click.command("practice")
@click.argument("exercise", required=False, metavar="[EXERCISE]")
@click.option("--minutes", type=click.FloatRange(min=0, min_open=True),
              help="Time limit in minutes  [default: the exercise's, as `grade list` shows]")
@click.option("--random", "pick_random", is_flag=True,
              help="Practise an exercise you have not solved yet, picked at random: a mock interview.")
@click.option("--track", callback=lambda ctx, param, value: _track(value), metavar="TRACK",
              help=f"With --random: draw from one track ({', '.join(catalog.TRACKS)}).")
@click.option("--poll-interval", type=click.FloatRange(min=0.02, max=5), default=0.25, show_default=True,
              help="Seconds between checks of your file for a save.")
@limit_options
def practice_command(exercise, minutes, pick_random, track, poll_interval, seed, case_timeout, memory_mb):
    """Solve EXERCISE against the clock, in a fresh copy of its stub; every save is graded.

    Prints the file to edit and the contract, then counts down. On a terminal: h shows the next
    hint (counted), r regrades, q gives up. The session ends when every case passes or time is up,
    and is recorded (`grade history`). Exit status: 0 solved, 1 not solved, 130 stopped by Ctrl-C.

    \b
    Examples:
      grade practice nms
      grade practice nms --minutes 25
      grade practice --random          a mock interview: an exercise you have not solved yet
      grade practice --random --track layers
    """
    from grader.practice import history
    from grader.practice import session as practice
    from grader.practice import terminal as practice_terminal
    from grader.practice.watch import PollingWatcher

    if track and not pick_random:
        raise click.UsageError("--track chooses where --random draws from: pass --random too.")
    if pick_random and exercise:
        raise click.UsageError("give an EXERCISE or --random, not both.")
    if not pick_random and not exercise:
        raise click.UsageError("name the exercise to practise (see `grade list`), or pass --random.")
    try:
        if pick_random:
            chosen, all_solved = practice.pick_unsolved(history.load(on_problem=_warn),
                                                        gradings=history.load_gradings(on_problem=_warn),
                                                        track=track)
            every = f"every exercise of the track {track}" if track else "every exercise"
            note = f"You have solved {every}; here is one to beat your best time: " if all_solved else \
                "Your mock interview: "
            click.echo(note + click.style(f"{chosen.name} ({chosen.title})", bold=True))
        else:
            chosen = _exercise(exercise)  # an incomplete exercise is a usage error naming what it lacks
        stub = practice.fresh_stub(chosen)
        path = practice.create_workspace(chosen, stub)
    except practice.StubUnavailable as exc:
        raise click.ClickException(str(exc)) from None

    limits = make_limits(case_timeout, memory_mb)

    def grade(attempt, on_case):
        from grader.grading.attempt import grade_attempt  # numpy: loaded when a session grades

        return grade_attempt(chosen, attempt, seed=seed, limits=limits, on_case=on_case)

    previous_best = history.best_times(history.load(on_problem=_warn)).get(chosen.name)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    clock = practice.SystemClock()
    watcher = PollingWatcher(path, interval=poll_interval)
    view = practice_terminal.LiveScreen() if interactive else practice_terminal.PlainLog()
    keys_context = practice_terminal.TerminalKeys(sys.stdin.fileno()) if interactive else \
        contextlib.nullcontext(practice.NoKeys(clock))
    try:
        with _terminations_interrupt(), keys_context as keys:
            session = practice.run_session(
                chosen, path, minutes=minutes or chosen.minutes, grade=grade, clock=clock, watcher=watcher,
                keys=keys, view=view, stub=stub,
                record=lambda s: history.append(s, on_problem=_warn))
    except KeyboardInterrupt:
        sys.exit(INTERRUPTED_EXIT)
    if session.solved:
        if previous_best is None:
            click.echo(f"Your first solve of {chosen.name} in practice.")
        elif session.seconds < previous_best:
            click.echo(f"A new best time (was {history.format_seconds(previous_best)}).")
        else:
            click.echo(f"Your best time is {history.format_seconds(previous_best)}.")
    sys.exit(0 if session.solved else 1)


@click.command("history")
@click.option("--json", "as_json", is_flag=True, help="Print the sessions as a JSON list of records.")
def history_command(as_json):
    """List your practice sessions and your best time per exercise.

    \b
    Examples:
      grade history
      grade history --json | python -m json.tool
    """
    from grader.practice import history

    sessions = history.load(on_problem=_warn)
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in sessions], indent=2))
        return
    if not sessions:
        click.echo("No practice sessions yet: `grade practice nms` starts one.")
        return
    width = max(len("exercise"), *(len(s.exercise) for s in sessions))
    click.echo(click.style(f"{'exercise':<{width}}  {'date':<16}  {'time':>7}  {'score':>7}  "
                           f"{'hints':>5}  result", bold=True))
    for s in sessions:
        date = s.started[:16].replace("T", " ")
        score = f"{s.score:g}/{s.max_score:g}"
        result = {SessionEnd.SOLVED: click.style("solved", fg="green"), SessionEnd.TIMEOUT: "time up",
                  SessionEnd.GAVE_UP: "gave up", SessionEnd.INTERRUPTED: "stopped"}[s.outcome]
        click.echo(f"{s.exercise:<{width}}  {date:<16}  {history.format_seconds(s.seconds):>7}  {score:>7}  "
                   f"{s.hints_used:>5}  {result}")
    best = history.best_times(sessions)
    click.echo()
    if best:
        click.echo(click.style("Best times: ", bold=True)
                   + ", ".join(f"{name} {history.format_seconds(t)}" for name, t in sorted(best.items())))
    else:
        click.echo("No exercise solved in practice yet.")


@click.command("solution")
@exercise_argument
@click.option("--force", is_flag=True, help="Show it even if you have not practised EXERCISE yet.")
def solution_command(exercise, force):
    """Print the reference solution of EXERCISE, once you have ended a practice session of it.

    \b
    Examples:
      grade solution nms
      grade solution nms --force > /tmp/nms_reference.py
    """
    from grader.practice import history

    chosen = exercise
    if not force and not history.has_ended_session(chosen.name, history.load(on_problem=_warn)):
        click.echo(f"The reference for {chosen.name} opens once you have ended a practice session of it "
                   f"(`grade practice {chosen.name}`); `grade solution {chosen.name} --force` shows it now.",
                   err=True)
        sys.exit(1)
    try:
        click.echo(chosen.solution_path.read_text(encoding="utf-8"), nl=False)
    except FileNotFoundError:
        raise click.ClickException(f"there is no reference for {chosen.name} in this checkout yet.") from None


COMMANDS = [practice_command, history_command, solution_command]
