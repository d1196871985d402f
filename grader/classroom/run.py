"""Grading a class: find each student's files, grade every student x exercise in its own sandbox in
parallel, and put each class record on disk the moment it exists (``store``). Every report (gradebook,
feedback, the class report) is then built from the results file alone (``reports``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Protocol

from grader import catalog
from grader.catalog import Exercise
from grader.classroom import identity, store
from grader.classroom.discovery import MAX_FILE_BYTES, Submission, discover
from grader.grading.attempt import PreparedSuite, grade_attempt, prepare
from grader.grading.classify import classify
from grader.grading.seeds import DEFAULT_SEED
from grader.record.class_record import NOT_SUBMITTED, ClassRecord
from grader.record.vocabulary import FAILED_TO_RUN
from grader.sandbox import oslayer
from grader.sandbox.limits import Limits

# -- one grading --------------------------------------------------------------------------------


def read_bytes(path: Path) -> bytes:
    """A student's file, capped: a folder can hold a file of any size."""
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_FILE_BYTES)
    except OSError:
        return b""


def read_source(path: Path) -> str:
    """A student's file as text, capped."""
    return read_bytes(path).decode("utf-8", errors="replace")


def grade_one(submission: Submission, exercise: Exercise, *, seed: int, limits: Limits,
              prepared: PreparedSuite | None = None) -> ClassRecord:
    path = submission.attempt(exercise.name)
    notes = submission.notes_for(exercise.name)
    if path is None:
        reason = submission.problem or submission.missing.get(exercise.name) or NOT_SUBMITTED
        return ClassRecord.missing(submission.student, exercise.name, exercise.points, reason,
                                   submission=submission.source, notes=notes)
    return grade_file(submission.student, exercise, path, label=submission.label(exercise.name),
                      source=submission.source, notes=notes, seed=seed, limits=limits, prepared=prepared)


def grade_file(student: str, exercise: Exercise, path: Path, *, label: str, source: str, notes: list[str],
               seed: int, limits: Limits, prepared: PreparedSuite | None = None) -> ClassRecord:
    """Grade one student's file: the part of a grading that runs wherever the sandbox is (this machine,
    or a cluster worker that received the file's bytes). The record's result keeps the values of its
    public cases in memory, for the pictures the run draws (``keep_pictures``). Raises GraderFailure
    when the grader could not grade it (the sandbox could not be built): no record is made of that."""
    result = grade_attempt(exercise, path, seed=seed, limits=limits, prepared=prepared)
    outcome, detail = classify(result, read_source(path), exercise.forbidden)
    return ClassRecord(student, result, outcome, detail, attempt=label, submission=source, notes=list(notes))


def keep_pictures(record: ClassRecord, folder: Path, stem: str) -> ClassRecord:
    """Draw and write a grading's picture page (before its record exists, so that a record on disk always
    has its page and ``--resume`` never needs values it did not keep), and point the record at it. Drawn
    here, in the run's own process, from the values the grading brought back."""
    if any(c.values is not None and not c.passed for c in record.result.cases):
        from grader.report import visual  # only a class with failing public examples draws

        name = f"{stem}.{record.exercise}.html"
        store.write_text_atomic(folder / name, visual.feedback_page(record.student, [(record.result, record.attempt)]))
        record.pictures = name
    return record


# -- the run ------------------------------------------------------------------------------------

@dataclass
class Progress:
    total: int
    done: int = 0
    failed_to_run: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def eta_seconds(self) -> float | None:
        if not self.done:
            return None
        return (time.monotonic() - self.started) / self.done * (self.total - self.done)


@dataclass
class BatchRun:
    submissions: list[Submission]
    exercises: list[Exercise]
    records: list[ClassRecord]
    """Every record in the results file, this run's and earlier ones'."""
    skipped: list[str]
    graded: int = 0
    """Gradings done by this run."""
    errors: list[str] = field(default_factory=list)
    """Gradings the grader itself could not complete (not written: --resume retries them)."""
    interrupted: bool = False
    inferred: bool = False
    """No --exercises: the exercises are those the submissions hold a file for (``handed_in``)."""


def handed_in(found: list[Submission], exercises: list[Exercise]) -> list[Exercise]:
    """The exercises of an assignment given no --exercises: those at least one submission has a file for
    (or a near-miss name of one), in catalog order. With 23 exercises in the catalog, grading them all
    would score every student out of 230 points for the 2 the class was set. What discovery noted about
    the exercises left out (near-misses, reasons a file is missing) is dropped with them. When nobody
    handed in anything, every exercise stays, each scoring 0."""
    names = {name for s in found for name in s.files}
    names |= {note.exercise for s in found for note in s.notes if note.exercise}
    if not names:
        return exercises
    for submission in found:
        submission.notes = [n for n in submission.notes if n.exercise is None or n.exercise in names]
        submission.missing = {k: v for k, v in submission.missing.items() if k in names}
    return [e for e in exercises if e.name in names]


def default_jobs() -> int:
    """The cores this process may use (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Submitter(Protocol):
    """Where gradings run when not on local threads (``grader.classroom.cluster.Submitter``): one call
    per grading, a ``concurrent.futures`` future of its ClassRecord back."""

    def __call__(self, submission: Submission, exercise: Exercise) -> Future: ...

    def cancel(self) -> None: ...


def run_batch(submissions: Path, out: Path, *, scratch: Path, exercises: list[Exercise] | None = None,
              jobs: int | None = None, seed: int = DEFAULT_SEED, limits: Limits | None = None,
              resume: bool = False,
              on_progress: Callable[[Progress, ClassRecord | None], None] | None = None,
              submit: Submitter | None = None) -> BatchRun:
    """Grade every submission in ``submissions`` for ``exercises`` (default: all available), ``jobs``
    at a time, appending to ``out/results.jsonl``. ``scratch`` receives extracted zips and must
    outlive the reports (similarity reads the files). ``on_progress`` is called at the start and after
    each grading, with its record (None at the start, or when the grader failed). Ctrl-C stops cleanly:
    what is on disk stays. With ``submit`` (grader.classroom.cluster), the gradings run on a Dask
    cluster instead of local threads; everything else is the same."""
    out = Path(out)
    named = bool(exercises)
    exercises = list(exercises) if exercises else catalog.available()
    limits = limits or Limits()
    jobs = max(1, jobs or default_jobs())
    found, skipped = discover(submissions, scratch, exercises)
    if not named:
        exercises = handed_in(found, exercises)
    store.check_run_file(out, seed, resume, [e.name for e in exercises])
    # Cases and expected values are the same for every student: compute them once per exercise, here
    # in one thread (a reference's first import is not safe to race). Cluster workers make their own.
    prepared = {} if submit else {e.name: prepare(e, seed) for e in exercises}

    with store.ResultsLog(out / store.RESULTS_FILE) as log:
        todo = [(s, e) for s in found for e in exercises if (s.student, e.name) not in log.done]
        # The same stems as the feedback files: computed over every student found, as write_reports does.
        stems = identity.file_names([s.student for s in found])
        run = BatchRun(found, exercises, log.records, skipped, inferred=not named)
        progress = Progress(total=len(todo))
        # Each grading spends its time waiting on its own sandbox process, so threads overlap well.
        pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="grade")
        pending: dict[Future, tuple[Submission, Exercise]] = {}
        queue = iter(todo)

        def submit_next() -> None:
            for submission, exercise in queue:
                if submit:
                    future = submit(submission, exercise)
                else:
                    future = pool.submit(grade_one, submission, exercise, seed=seed, limits=limits,
                                         prepared=prepared[exercise.name])
                pending[future] = (submission, exercise)
                return

        try:
            if on_progress:
                on_progress(progress, None)  # shows 0/N at once: the first gradings can take seconds
            # Only a few gradings are queued at a time, so that Ctrl-C leaves nothing half-started.
            for _ in range(jobs * 2):
                submit_next()
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    submission, exercise = pending.pop(future)
                    try:
                        record = keep_pictures(future.result(), out / "feedback", stems[submission.student])
                    except Exception as exc:  # the grader's failure, not the student's: retry on resume
                        run.errors.append(f"{submission.student}/{exercise.name}: {type(exc).__name__}: {exc}")
                        record = None
                    progress.done += 1
                    if record is not None:
                        log.append(record)
                        run.graded += 1
                        progress.failed_to_run += record.outcome in FAILED_TO_RUN
                    if on_progress:
                        on_progress(progress, record)
                    submit_next()
        except KeyboardInterrupt:
            run.interrupted = True
            for future in pending:
                future.cancel()
            if submit:
                submit.cancel()
        finally:
            # Gradings already running finish (each within its limits) but are not recorded after Ctrl-C.
            pool.shutdown(wait=not run.interrupted, cancel_futures=True)
        run.records = list(log.records)
    return run


# -- scratch folders ----------------------------------------------------------------------------

SCRATCH_PREFIX = "grade-batch-"


@contextmanager
def scratch_folder(base: Path | None = None) -> Iterator[Path]:
    """A fresh extraction folder for this run, named after its process (oslayer.owned_prefix) so that
    the next run can tell it is stale if this one is killed; removed on any normal exit."""
    oslayer.remove_stale(str(base) if base else None)
    path = Path(tempfile.mkdtemp(prefix=oslayer.owned_prefix(SCRATCH_PREFIX), dir=base))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
