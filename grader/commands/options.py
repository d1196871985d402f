"""Arguments and options shared by the commands, defined once (grader/cli.py and grader/commands/*)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from grader import catalog
from grader.grading.seeds import DEFAULT_SEED
from grader.sandbox.limits import Limits


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


#: What a shell reports for a command stopped by Ctrl-C.
INTERRUPTED_EXIT = 130


def workspace(ctx: click.Context | None = None) -> Path:
    """The learner's workspace: ``--workspace`` (or $GRADE_WORKSPACE) if given, else the nearest one
    from the current directory upward."""
    from grader import workspace as workspaces

    ctx = ctx or click.get_current_context()
    given = (ctx.find_root().obj or {}).get("workspace")
    if given is not None:
        if not workspaces.is_workspace(given):
            raise click.UsageError(f"{display_path(given)} holds no exercises/ folder of grade: "
                                   f"`grade init {display_path(given)}` creates one.")
        return given
    try:
        return workspaces.find()
    except workspaces.NoWorkspace as exc:
        raise click.UsageError(str(exc)) from None


def class_mode_options(func):
    """--allow-unsandboxed: class mode runs only under an OS layer unless told otherwise."""
    return click.option("--allow-unsandboxed", is_flag=True,
                        help="Grade even without an OS sandbox (bubblewrap or an unprivileged uid); "
                             "every record and report then says so.")(func)


def require_os_layer(allow_unsandboxed: bool, *, protected=(), unwritable=(), private=()) -> None:
    """Class mode's policy (grader.sandbox.oslayer): one line and exit status 2 when no OS layer holds.
    ``private`` folders (the results) are created readable by their owner only if they do not exist."""
    from grader.sandbox import oslayer

    for folder in private:
        try:
            Path(folder).mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            pass  # the command itself says what is wrong with it
    refusal = oslayer.refuse_unsandboxed_class(allow_unsandboxed, protected=protected, unwritable=unwritable)
    if refusal:
        click.echo(refusal, err=True)
        raise SystemExit(2)
    if allow_unsandboxed and oslayer.os_layer() is None:
        click.echo("warning: grading without an OS sandbox (--allow-unsandboxed); every record says so.",
                   err=True)
