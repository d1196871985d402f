"""The `grade` command: a thin click layer that parses, calls the library, renders, and maps exit codes.

Exit status: 0 when every case passes, 1 when a case fails or the attempt cannot run, 2 for usage
errors (unknown exercise, missing file, bad option).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from grader import catalog
from grader.practice import hints
from grader.commands import batch as batch_commands
from grader.commands import practice as practice_commands
from grader.commands.options import display_path, exercise_argument, limit_options, make_limits
from grader.engine.grading import AttemptNotFound, grade_attempt
from grader.report import terminal
from grader.engine.results import LEARNER

USAGE_ERROR = 2


class ExerciseFirstGroup(click.Group):
    """Lets `grade nms` stand for `grade check nms`: the everyday command needs no verb."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["check", *args]
        return super().parse_args(ctx, args)


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
@click.option("--junit", "junit_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the result as JUnit XML to this file (for CI).")
@limit_options
def check_command(exercise, attempt, as_json, verbose, junit_path, seed, case_timeout, memory_mb):
    """Grade EXERCISE. ATTEMPT defaults to exercises/EXERCISE.py (`grade EXERCISE` is short for this).

    \b
    Examples:
      grade nms
      grade check nms path/to/other_nms.py --seed 7
      grade iou --json | python -m json.tool
      grade nms --junit reports/nms.xml
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
    if junit_path:
        from grader.report import junit  # imported here: only --junit needs it

        junit.write(junit_path, [(exercise.name, result)])
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
    else:
        click.echo(terminal.render(result, title=exercise.title, attempt_label=display_path(path),
                                   audience=LEARNER, verbose=verbose))
    sys.exit(0 if result.passed else 1)


@cli.command("list")
def list_command():
    """List the exercises: difficulty, suggested minutes, and your practice status and best time.

    \b
    Example:
      grade list
    """
    from grader.practice import history  # local only to keep issue 4 inside this function: fine at the top

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


for _command in practice_commands.COMMANDS + batch_commands.COMMANDS:
    cli.add_command(_command)


def main():
    cli(prog_name="grade")

