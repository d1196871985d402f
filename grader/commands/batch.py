"""Commands for instructors: `grade batch` grades a class, `grade gradescope` runs inside Gradescope."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from grader import catalog
from grader.record.vocabulary import FAILED_TO_RUN, ClassOutcome
from grader.commands.options import (INTERRUPTED_EXIT, class_mode_options, display_path, limit_options,
                                     make_limits, require_os_layer)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def parse_exercises(ctx, param, value) -> list[catalog.Exercise] | None:
    """``nms,iou`` -> Exercise records; every name must be known and present in this checkout."""
    if value is None:
        return None
    chosen = []
    for name in (part.strip() for part in value.split(",")):
        if not name:
            continue
        try:
            exercise = catalog.get(name)  # an incomplete exercise says what it lacks
        except catalog.UnknownExercise as exc:
            raise click.BadParameter(str(exc), ctx=ctx, param=param) from None
        if exercise not in chosen:
            chosen.append(exercise)
    if not chosen:
        raise click.BadParameter("name at least one exercise, e.g. --exercises nms,iou", ctx=ctx, param=param)
    return chosen


def exercises_option(default: str):
    return click.option("--exercises", callback=parse_exercises, metavar="NAMES",
                        help=f"Comma-separated exercises to grade, e.g. nms,iou [default: {default}]")


def format_eta(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(round(seconds))
    return f"{seconds // 60:d}:{seconds % 60:02d}"


def progress_line(progress) -> str:
    """One line for a classroom.run.Progress: a bar, counts and the time left."""
    width = 24
    filled = int(width * progress.done / progress.total) if progress.total else width
    bar = "#" * filled + "-" * (width - filled)
    return (f"[{bar}] {progress.done}/{progress.total} graded, {progress.failed_to_run} failed to run, "
            f"ETA {format_eta(progress.eta_seconds)}")


def summary_block(decisions, join) -> list[str]:
    """The end of `grade batch`: every choice discovery made and what the roster join left over."""
    lines = []
    if decisions:
        lines.append(f"Files found and chosen ({len(decisions)}; also in the report and each student's feedback):")
        lines += [f"  {d.student}: {d.text}" for d in decisions]
    if join is not None:
        roster = join.roster
        lines.append(f"Roster {roster.path.name} (joined on {roster.column!r}): {len(join.matched)} of "
                     f"{len(roster.entries)} entries have a submission.")
        if join.missing:
            lines.append(f"  on the roster, no submission ({len(join.missing)}): "
                         + ", ".join(roster.value(e) for e in join.missing))
        if join.unknown:
            lines.append(f"  submissions not on the roster ({len(join.unknown)}): " + ", ".join(join.unknown))
        for value, claimants in join.ambiguous:
            lines.append(f"  {value!r} matches several submissions, none joined: " + ", ".join(claimants))
    return lines


@click.command("batch")
@click.argument("submissions", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for results.jsonl, grades.csv, feedback/ and report.html.")
@exercises_option("every exercise some submission holds a file for")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Gradings run at once [default: the number of cores].")
@click.option("--resume", is_flag=True,
              help="Grade only what OUT/results.jsonl does not hold yet (with nothing missing, this "
                   "just rebuilds the reports). Refused with another --seed or --exercises.")
@click.option("--roster", "roster_path", type=click.Path(dir_okay=False, path_type=Path),
              help="A CSV of the class (e.g. the LMS's gradebook export): reports who has no submission "
                   "and which submissions are on no roster entry.")
@click.option("--roster-column", default="name", show_default=True, metavar="COLUMN",
              help="The roster column that submission names match (email, id, name, ...).")
@click.option("--lms", type=click.Choice(["canvas", "moodle"]),
              help="Also write OUT/canvas.csv or OUT/moodle.csv for the LMS's gradebook import (needs --roster).")
@click.option("--assignment", default="Autograded exercises", show_default=True,
              help="Name of the assignment column of --lms canvas.")
@click.option("--junit", "junit_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write every result as JUnit XML to this file.")
@click.option("--similarity", type=click.FloatRange(0.0, 1.0), default=0.8, show_default=True,
              help="List pairs of submissions at least this similar in the report.")
@click.option("--title", default="Class report", show_default=True, help="Heading of report.html.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Grade on a Dask cluster: the scheduler's address (tcp://host:8786), or local:N for N "
                   "worker processes here. Needs pip install 'grade[cluster]'; see docs/cluster.md.")
@limit_options
@class_mode_options
def batch_command(submissions, out, exercises, jobs, resume, roster_path, roster_column, lms, assignment,
                  junit_path, similarity, title, scheduler, seed, case_timeout, memory_mb, allow_unsandboxed):
    """Grade a class: SUBMISSIONS holds one folder or .zip per student, each with any of <exercise>.py
    (any case) or <exercise>.ipynb.

    Every student x exercise runs in its own sandbox, JOBS at a time. Each result is appended to
    OUT/results.jsonl as soon as it is graded, so an interrupted run loses nothing: rerun with
    --resume to grade the rest. Then OUT gets grades.csv, feedback/<student>.md and report.html
    (what the class got wrong, which files were chosen). Students keep the name they handed in
    under. Exit status: 0 when every grading completed, 1 when the grader could not grade some,
    130 when interrupted.

    \b
    Examples:
      grade batch submissions/ --out graded/
      grade batch submissions/ --out graded/ --exercises nms,iou --seed 98731 --jobs 4
      grade batch submissions/ --out graded/ --roster export.csv --roster-column "SIS Login ID" --lms canvas
      grade batch submissions/ --out graded/ --seed 98731 --resume
    """
    # Imported here, not at the top: every `grade` invocation loads this module, few grade a class.
    from grader.classroom import reports, roster, run as class_run, store
    from grader.classroom.errors import ClassInputError
    from grader.report import junit, lms as lms_export

    limits = make_limits(case_timeout, memory_mb)
    submit = None
    if scheduler:  # the workers grade: each must have the OS layer, checked there
        submit, jobs = _cluster(scheduler, limits, seed, allow_unsandboxed)
        Path(out).mkdir(mode=0o700, parents=True, exist_ok=True)
    else:
        require_os_layer(allow_unsandboxed, protected=[catalog.ROOT, submissions, out], unwritable=[out],
                         private=[out])
    tty = sys.stderr.isatty()
    if lms and not roster_path:
        raise click.UsageError("--lms needs --roster: the LMS knows students by its own ids, which only "
                               "its roster export has")
    try:
        class_roster = roster.load(roster_path, roster_column) if roster_path else None
        if lms == "canvas":
            lms_export.canvas_columns(class_roster.header)
    except ClassInputError as exc:
        raise click.UsageError(str(exc)) from None

    def show(progress, record):
        if tty:
            click.echo("\r\033[K" + progress_line(progress), nl=False, err=True)

    started = time.monotonic()
    with class_run.scratch_folder() as scratch:
        try:
            run = class_run.run_batch(submissions, out, scratch=scratch, exercises=exercises, jobs=jobs,
                                      seed=seed, limits=limits, resume=resume, on_progress=show, submit=submit)
        except ClassInputError as exc:
            raise click.UsageError(str(exc)) from None
        finally:
            if submit:
                submit.client.close()
        if tty:
            click.echo("", err=True)
        for error in run.errors:
            click.echo(click.style(f"could not grade {error}", fg="red"), err=True)
        if run.interrupted:
            click.echo(f"Interrupted: {len(run.records)} gradings are saved in "
                       f"{display_path(out / store.RESULTS_FILE)}. Run the same command with --resume "
                       "to grade the rest.", err=True)
            sys.exit(INTERRUPTED_EXIT)
        students = [s.student for s in run.submissions]
        join = roster.join(class_roster, students) if class_roster else None
        written = reports.write_reports(run, out, title=title, similar_at=similarity, roster=join, lms=lms,
                                      assignment=assignment)
    if junit_path:
        suites = [(f"{r.student}/{r.exercise}", r.result) for r in run.records]
        junit.write(junit_path, suites)

    if not run.submissions:
        click.echo(f"no student folders or .zip files in {display_path(submissions)}", err=True)
    failed_to_run = sum(r.outcome in FAILED_TO_RUN for r in run.records)
    slow = sum(r.outcome == ClassOutcome.SLOW for r in run.records)
    missing = sum(not r.submitted for r in run.records)
    click.echo(f"Graded {_count(len(run.submissions), 'student')} x {_count(len(run.exercises), 'exercise')}: "
               f"{_count(run.graded, 'grading')} this run in {time.monotonic() - started:.1f} s "
               f"({len(run.records)} in all; {missing} not submitted, {slow} too slow on some cases, "
               f"{failed_to_run} did not run).")
    if run.inferred:
        click.echo(f"Exercises: {', '.join(e.name for e in run.exercises)}, those the submissions hold files for "
                   "(--exercises names the assignment's; a missing file then scores 0).")
    for label, path in (("results", out / store.RESULTS_FILE), ("gradebook", written["grades"]),
                        ("feedback", written["feedback"]), ("report", written["report"]),
                        ("lms", written.get("lms")), ("junit", junit_path)):
        if path:
            click.echo(f"  {label:<10}{display_path(path)}")
    for line in summary_block(reports.decisions(run), join):
        click.echo(line)
    sys.exit(1 if run.errors else 0)


def _cluster(scheduler: str, limits, seed: int, allow_unsandboxed: bool):
    """A Submitter for the Dask cluster at ``scheduler`` and the gradings it runs at once."""
    from grader.classroom import cluster

    try:
        client = cluster.connect(scheduler)
        try:
            layers = cluster.check_workers(client, allow_unsandboxed=allow_unsandboxed)
        except cluster.ClusterError:
            client.close()
            raise
    except cluster.ClusterError as exc:
        click.echo(f"grade batch: {exc}", err=True)
        raise SystemExit(2)
    kinds = sorted({layer or "no OS layer" for layer in layers.values()})
    click.echo(f"Dask cluster at {scheduler}: {_count(len(layers), 'worker')}, OS layer {', '.join(kinds)}.",
               err=True)
    return (cluster.Submitter(client, seed=seed, limits=limits, allow_unsandboxed=allow_unsandboxed),
            cluster.slots(client))


@click.command("gradescope")
@click.option("--submission", type=click.Path(file_okay=False, path_type=Path),
              default=Path("/autograder/submission"), show_default=True,
              help="Where Gradescope puts the student's files.")
@click.option("--results", "results_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("/autograder/results/results.json"), show_default=True,
              help="Where Gradescope reads the results.")
@exercises_option("every <exercise>.py found")
@limit_options
@class_mode_options
def gradescope_command(submission, results_path, exercises, seed, case_timeout, memory_mb, allow_unsandboxed):
    """Grade one submission inside Gradescope's autograder and write its results.json.

    With --exercises, a missing file scores 0; without it, every <exercise>.py found is graded.
    Public cases are visible to the student at once; hidden ones after grades are published.
    See docs/gradescope.md for the setup.sh and run_autograder to upload.

    \b
    Examples:
      grade gradescope --exercises nms,iou --seed 98731
      grade gradescope --submission tmp/sub --results tmp/results.json --exercises nms
    """
    from grader.classroom import single
    from grader.classroom.errors import ClassInputError
    from grader.classroom.run import scratch_folder
    from grader.grading.errors import GraderFailure
    from grader.report import gradescope

    started = time.monotonic()
    if not submission.is_dir():
        raise click.UsageError(f"no such folder: {submission}")
    require_os_layer(allow_unsandboxed, protected=[catalog.ROOT], unwritable=[results_path.parent])

    def show(record):
        result = record.result
        passed, total = result.counts()
        click.echo(f"{result.exercise}: {passed}/{total} cases, score {result.score:g}/{result.max_score:g}"
                   + (f" ({result.error})" if result.error else ""))

    with scratch_folder() as scratch:
        try:
            run = single.grade_folder(submission, exercises, scratch=scratch, seed=seed,
                                      limits=make_limits(case_timeout, memory_mb), on_result=show)
        except ClassInputError as exc:
            raise click.UsageError(str(exc)) from None
        except GraderFailure as exc:
            # No results.json: Gradescope then shows the autograder failed, never a 0 the student earned.
            click.echo(f"grade could not grade this submission: {exc}", err=True)
            sys.exit(1)
    for note in run.notes:
        click.echo(note.text)
    data = gradescope.results_json(run.records, execution_time=time.monotonic() - started)
    if run.notes:
        data["output"] = "\n".join(n.text for n in run.notes) + "\n" + data["output"]
    if not run.wanted:
        names = ", ".join(f"{e.name}.py" for e in catalog.available())
        data["output"] = f"No exercise file found in the submission: expected one of {names}."
    gradescope.write(results_path, data)
    click.echo(f"score {data['score']:g}: wrote {results_path}")


COMMANDS = [batch_command, gradescope_command]
