"""The `grade` command: a thin click layer that parses, calls the library, renders, and maps exit codes.

Exit status: 0 when every case passes, 1 when a case fails or the attempt cannot run, 2 for usage
errors (unknown exercise, missing file, bad option).
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import click

from grader import __version__, catalog
from grader import workspace as workspaces
from grader.practice import hints
from grader.commands import options
from grader.commands.options import display_path, exercise_argument, limit_options, make_limits
from grader.report import terminal
from grader.grading.errors import AttemptNotFound
from grader.record.vocabulary import LEARNER

#: Commands defined in modules of their own, imported only when one of them runs or help lists them:
#: `grade nms` needs neither the practice loop nor class grading (36 ms and 18 ms of imports).
LAZY_COMMANDS = {"practice": "grader.commands.practice", "history": "grader.commands.practice",
                 "solution": "grader.commands.practice", "batch": "grader.commands.batch",
                 "gradescope": "grader.commands.batch"}


class ExerciseFirstGroup(click.Group):
    """Lets `grade nms` stand for `grade check nms`: the everyday command needs no verb."""

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx, name):
        if name in LAZY_COMMANDS and name not in self.commands:
            import importlib

            for command in importlib.import_module(LAZY_COMMANDS[name]).COMMANDS:
                self.add_command(command)
        return super().get_command(ctx, name)

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in LAZY_COMMANDS and not args[0].startswith("-"):
            return "check", self.commands["check"], args
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx, formatter):
        """Each command's first sentence whole, wrapped, where click would cut it at the column."""
        rows = [(name, command.get_short_help_str(limit=10_000))
                for name, command in ((n, self.get_command(ctx, n)) for n in self.list_commands(ctx))
                if command is not None and not command.hidden]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _short_usage() -> str:
    """What `grade` alone prints: how to start, and the exercises (not the whole help)."""
    width = max(len(e.name) for e in catalog.available())
    lines = ["Usage: grade EXERCISE [FILE]   grade your exercises/EXERCISE.py (or FILE)",
             "       grade COMMAND ...        list, hint, practice, init, ...: `grade --help` lists them",
             "", "Exercises:"]
    lines += [f"  {e.name:<{width}}  {e.title}" for e in catalog.available()]
    return "\n".join(lines)


@click.group(cls=ExerciseFirstGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=__version__, prog_name="grade")
@click.option("--workspace", type=click.Path(file_okay=False, path_type=Path), envvar=workspaces.ENV_VAR,
              help="The folder holding your exercises/  [default: the nearest one from here upward]")
@click.pass_context
def cli(ctx, workspace):
    """Grade hand-written solutions to computer-vision interview exercises.

    \b
    Examples:
      grade init ~/cv-practice        a workspace of fresh stubs (exercises/) to edit
      grade list                      the exercises, their difficulty and your status
      grade nms                       grade exercises/nms.py
      grade nms ~/my_nms.py --json    grade another file, print the JSON record
      grade nms --html nms.html       a page with a picture of each failing example
      grade hint nms                  the next hint for nms
    """
    ctx.obj = {"workspace": workspace.resolve() if workspace else None}
    if ctx.invoked_subcommand is None:
        click.echo(_short_usage())


@cli.command("check")
@exercise_argument
@click.argument("attempt", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.option("-v", "--verbose", is_flag=True, help="List every case, even when the file could not run.")
@click.option("--junit", "junit_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the result as JUnit XML to this file (for CI).")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a page with a picture of every failing example to this file.")
@click.option("--open", "open_page", is_flag=True, help="Open the --html page in your browser.")
@limit_options
def check_command(exercise, attempt, as_json, verbose, junit_path, html_path, open_page, seed, case_timeout,
                  memory_mb):
    """Grade EXERCISE: your exercises/EXERCISE.py, or the file ATTEMPT.

    `grade EXERCISE` is short for this. Gradings of your own exercises/ files count in `grade list`.

    \b
    Examples:
      grade nms
      grade check nms path/to/other_nms.py --seed 7
      grade iou --json | python -m json.tool
      grade nms --junit reports/nms.xml
      grade nms --html nms.html --open
    """
    if open_page and not html_path:
        raise click.UsageError("--open opens the --html page: pass --html PATH too.")
    own_workspace = None
    if attempt is None:
        own_workspace = options.workspace()
        path = workspaces.attempt_path(exercise, own_workspace)
    else:
        path = attempt
        with contextlib.suppress(click.UsageError):  # grading a file outside any workspace is fine
            own_workspace = options.workspace()
    show_progress = not as_json and sys.stderr.isatty()

    def progress(case, done, total):
        click.echo(f"\rgrading {exercise.name}: {done}/{total} cases", nl=False, err=True)

    try:
        from grader.grading.attempt import grade_attempt  # numpy: only a command that grades loads it

        result = grade_attempt(exercise, path, seed=seed, limits=make_limits(case_timeout, memory_mb),
                               on_case=progress if show_progress else None)
    except AttemptNotFound:
        raise click.UsageError(f"no such file: {display_path(path)}") from None
    if show_progress:
        click.echo("\r\033[K", nl=False, err=True)
    if workspaces.is_own_file(exercise, path, own_workspace):
        _record_grading(result)
    if junit_path:
        from grader.report import junit  # imported here: only --junit needs it

        junit.write(junit_path, [(exercise.name, result)])
    if html_path:
        from grader.report import visual  # imported here: drawing costs time only when asked for

        visual.write_page(html_path, result, title=exercise.title, attempt_label=display_path(path))
        if not as_json:
            click.echo(f"Wrote {display_path(html_path)}", err=True)
        if open_page:
            click.launch(str(Path(html_path).resolve()))
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
    else:
        click.echo(terminal.render(result, title=exercise.title, attempt_label=display_path(path),
                                   audience=LEARNER, verbose=verbose))
    sys.exit(0 if result.passed else 1)


def _warn(message: str) -> None:
    click.echo(click.style(message, fg="yellow"), err=True)


def _record_grading(result) -> None:
    from datetime import datetime

    from grader.practice import history

    passed, total = result.counts()
    history.record_grading(history.LearnerGrading(
        exercise=result.exercise, time=datetime.now().astimezone().isoformat(timespec="seconds"),
        score=result.score, max_score=float(result.max_score), passed=result.passed,
        cases_passed=passed, cases_total=total), on_problem=_warn)


@cli.command("init")
@click.argument("folder", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
def init_command(folder):
    """Create a workspace: FOLDER/exercises/ with a fresh stub of every exercise.

    Files already there are kept. Then `grade NAME` in FOLDER (or below it) grades exercises/NAME.py.

    \b
    Examples:
      grade init ~/cv-practice
      grade init                      here
    """
    try:
        written, kept = workspaces.init(folder)
    except workspaces.StubUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {display_path(folder)}: {exc.strerror or exc}") from None
    where = display_path(folder / "exercises")
    click.echo(f"Wrote {len(written)} stub{'s' * (len(written) != 1)} to {where}/"
               + (f" (kept your {len(kept)} existing file{'s' * (len(kept) != 1)})" if kept else "") + ".")
    moving = "" if Path(folder).resolve() == Path.cwd() else f"cd {display_path(folder)} && "
    click.echo(f"Next: {moving}grade list, then open {where}/nms.py and run `grade nms`.")


@cli.command("list")
def list_command():
    """List the exercises by track: difficulty, suggested minutes, your status and best practice time.

    Status counts practice sessions and every grading of your own exercises/ files.

    \b
    Example:
      grade list
    """
    from grader.practice import history

    sessions = history.load(on_problem=_warn)
    gradings = history.load_gradings(on_problem=_warn)
    best = history.best_times(sessions)
    width = max(len(e.name) for e in catalog.available()) + 2
    click.echo(click.style(f"{'exercise':<{width}}  {'difficulty':<10}  {'minutes':>7}  {'status':<9}  "
                           f"{'best':>5}  title", bold=True))
    for track in catalog.TRACKS:
        members = [e for e in catalog.available() if e.track == track]
        if not members:
            continue
        click.echo(click.style(track, bold=True, underline=True))
        for e in members:
            status = history.status(e.name, sessions, gradings)
            shown = click.style(f"{status:<9}", fg={"solved": "green", "attempted": "yellow"}.get(status))
            best_time = history.format_seconds(best[e.name]) if e.name in best else "-"
            click.echo(f"  {e.name:<{width - 2}}  {e.difficulty:<10}  {e.minutes:>7}  {shown}  {best_time:>5}  "
                       f"{e.title}")


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
    total = len(exercise.hints)
    seen_before = hints.seen(exercise)
    shown = list(exercise.hints) if show_all else hints.reveal(exercise)
    for number, text in enumerate(shown, 1):
        style = {"bold": True} if number == len(shown) else {"dim": True}
        click.echo(click.style(f"Hint {number}/{total}: ", **style) + text)
    if len(shown) < total:
        click.echo(f"Run `grade hint {exercise.name}` again for the next one.")
    elif not show_all and seen_before >= total:
        click.echo(f"No more hints: you have seen all {total}, and hint {total} was the last "
                   f"(`grade hint {exercise.name} --reset` starts over).")
    elif not show_all:
        click.echo(f"That was the last hint for {exercise.name}.")


def main():
    """The console script (``grader.entry.main``, which starts what must come first)."""
    from grader import entry

    entry.main()
