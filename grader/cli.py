"""The `grade` command: a thin click layer that parses, calls the library, renders, and maps exit codes.

Exit status: 0 when every case passes, 1 when a case fails or the attempt cannot run, 2 for usage
errors (unknown exercise, missing file, bad option).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from grader import catalog, hints
from grader.grading import DEFAULT_SEED, AttemptNotFound, grade_attempt
from grader.report import terminal
from grader.sandbox import Limits

USAGE_ERROR = 2


class ExerciseFirstGroup(click.Group):
    """Lets `grade nms` stand for `grade check nms`: the everyday command needs no verb."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["check", *args]
        return super().parse_args(ctx, args)


def exercise_argument(func):
    def convert(ctx, param, value):
        try:
            return catalog.get(value)
        except catalog.UnknownExercise as exc:
            raise click.BadParameter(str(exc), ctx=ctx, param=param) from None
    return click.argument("exercise", callback=convert, metavar="EXERCISE")(func)


def limit_options(func):
    """Options shared by every command that grades: the seed of the hidden random cases and the limits."""
    options = [
        click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
                     help="Seed of the hidden random cases. Instructors: pass a secret one."),
        click.option("--case-timeout", type=click.FloatRange(min=0.1), default=Limits.case_seconds,
                     show_default=True, help="Wall-clock seconds per case (large cases set their own)."),
        click.option("--memory-mb", type=click.IntRange(min=128), default=Limits.memory_mb,
                     show_default=True, help="Memory limit of the process that runs the attempt."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def make_limits(case_timeout: float, memory_mb: int) -> Limits:
    return Limits(case_seconds=case_timeout, memory_mb=memory_mb)


def display_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


@click.group(cls=ExerciseFirstGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="grade")
def cli():
    """Grade hand-written solutions to computer-vision interview exercises.

    \b
    Examples:
      grade list                      the exercises, their difficulty and time
      grade nms                       grade exercises/nms.py
      grade nms ~/my_nms.py --json    grade another file, print the JSON record
      grade hint nms                  the next hint for nms
    """


@cli.command("check")
@exercise_argument
@click.argument("attempt", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.option("-v", "--verbose", is_flag=True, help="List every case, even when the file could not run.")
@limit_options
def check_command(exercise, attempt, as_json, verbose, seed, case_timeout, memory_mb):
    """Grade EXERCISE. ATTEMPT defaults to exercises/EXERCISE.py (`grade EXERCISE` is short for this).

    \b
    Examples:
      grade nms
      grade check nms path/to/other_nms.py --seed 7
      grade iou --json | python -m json.tool
    """
    path = attempt or exercise.stub_path
    show_progress = not as_json and sys.stderr.isatty()

    def progress(case, done, total):
        click.echo(f"\rgrading {exercise.name}: {done}/{total} cases", nl=False, err=True)

    try:
        result = grade_attempt(exercise, path, seed=seed, limits=make_limits(case_timeout, memory_mb),
                               on_case=progress if show_progress else None)
    except AttemptNotFound:
        raise click.UsageError(f"no such file: {display_path(path)}") from None
    if show_progress:
        click.echo("\r\033[K", nl=False, err=True)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
    else:
        click.echo(terminal.render(result, title=exercise.title, attempt_label=display_path(path),
                                   verbose=verbose))
    sys.exit(0 if result.passed else 1)


@cli.command("list")
def list_command():
    """List the exercises: difficulty, suggested minutes, and your practice status and best time.

    \b
    Example:
      grade list
    """
    from grader import history  # imported here: only this command reads the practice history

    sessions = history.load(on_problem=lambda message: click.echo(message, err=True))
    best = history.best_times(sessions)
    width = max(len(e.name) for e in catalog.EXERCISES)
    click.echo(click.style(f"{'exercise':<{width}}  {'difficulty':<10}  {'minutes':>7}  {'status':<9}  "
                           f"{'best':>5}  title", bold=True))
    for e in catalog.EXERCISES:
        status = history.status(e.name, sessions)
        shown = click.style(f"{status:<9}", fg={"solved": "green", "attempted": "yellow"}.get(status))
        best_time = history.format_seconds(best[e.name]) if e.name in best else "-"
        click.echo(f"{e.name:<{width}}  {e.difficulty:<10}  {e.minutes:>7}  {shown}  {best_time:>5}  {e.title}")


@cli.command("hint")
@exercise_argument
@click.option("--all", "show_all", is_flag=True, help="Show every hint at once.")
@click.option("--reset", is_flag=True, help="Forget which hints you have seen.")
def hint_command(exercise, show_all, reset):
    """Show the next hint for EXERCISE: the first is a nudge, the last the key idea.

    \b
    Examples:
      grade hint nms
      grade hint nms --all
    """
    if reset:
        hints.reset(exercise)
        click.echo(f"Hints for {exercise.name} reset.")
        return
    shown = list(exercise.hints) if show_all else hints.reveal(exercise)
    for number, text in enumerate(shown, 1):
        style = {"bold": True} if number == len(shown) else {"dim": True}
        click.echo(click.style(f"Hint {number}/{len(exercise.hints)}: ", **style) + text)
    if len(shown) < len(exercise.hints):
        click.echo(f"Run `grade hint {exercise.name}` again for the next one.")


# Imported here, not at the top: the command modules use limit_options and friends defined above.
from grader.commands import batch as batch_commands  # noqa: E402
from grader.commands import practice as practice_commands  # noqa: E402

# Feature commands import the shared options above, so they are registered once those exist.
from grader.commands import batch as batch_commands  # noqa: E402
from grader.commands import practice as practice_commands  # noqa: E402

for _command in practice_commands.COMMANDS + batch_commands.COMMANDS:
    cli.add_command(_command)


def main():
    cli(prog_name="grade")

