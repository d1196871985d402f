"""Batch grading of a class: find each student's files, grade every student x exercise in its own
sandbox in parallel, and put each result on disk the moment it exists.

``results.jsonl`` is the record of the run: one line per student x exercise, the ``grade --json``
record plus ``student`` and ``outcome``, appended, flushed and fsynced as each grading ends. A crash,
``kill -9`` or Ctrl-C loses nothing already graded, and ``resume=True`` grades only what the file does
not hold yet. Every report (gradebook, feedback, the class report) is built from that file alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from grader import catalog
from grader.classroom import identity, similarity
from grader.classroom.roster import Join
from grader.classroom.discovery import MAX_FILE_BYTES, BatchError, Decision, Submission, discover
from grader.catalog import Exercise
from grader.grading.attempt import PreparedSuite, grade_attempt, prepare
from grader.grading.seeds import DEFAULT_SEED
from grader.record.result import ExerciseResult
from grader.record.vocabulary import FAILED_TO_RUN, ClassOutcome
from grader.grading.classify import classify
from grader.sandbox import oslayer
from grader.sandbox.limits import Limits

if TYPE_CHECKING:
    from grader.classroom import cluster

RESULTS_FILE = "results.jsonl"
#: Remembers a digest of the seed so that --resume cannot mix results of two different secret seeds.
RUN_FILE = "batch.json"
NOT_SUBMITTED = "not submitted"
#: The assignment column of an LMS export.
DEFAULT_ASSIGNMENT = "Autograded exercises"

# -- one grading --------------------------------------------------------------------------------

def make_record(student: str, result: ExerciseResult, *, attempt_label: str, outcome: tuple[str, str],
                submission: str = "", notes: list[str] = ()) -> dict:
    record = {"student": student, **result.to_dict()}
    record["attempt"] = attempt_label
    record["outcome"], record["detail"] = outcome
    record["submission"] = submission
    record["notes"] = list(notes)
    return record


def missing_record(student: str, exercise: Exercise, reason: str = NOT_SUBMITTED, *, submission: str = "",
                   notes: list[str] = ()) -> dict:
    result = ExerciseResult(exercise=exercise.name, attempt="", cases=[], max_score=exercise.points,
                            error=reason)
    return make_record(student, result, attempt_label="", outcome=(ClassOutcome.NOT_SUBMITTED, reason),
                       submission=submission, notes=notes)


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


@dataclass
class Graded:
    """What one grading hands back to the run: its record, and the HTML page of pictures of its
    failing public examples (None when it has none), which the run writes beside the feedback."""
    record: dict
    pictures: str | None = None


def grade_one(submission: Submission, exercise: Exercise, *, seed: int, limits: Limits,
              prepared: PreparedSuite | None = None) -> Graded:
    path = submission.attempt(exercise.name)
    notes = submission.notes_for(exercise.name)
    if path is None:
        reason = submission.problem or submission.missing.get(exercise.name) or NOT_SUBMITTED
        return Graded(missing_record(submission.student, exercise, reason, submission=submission.source,
                                     notes=notes))
    return grade_file(submission.student, exercise, path, label=submission.label(exercise.name),
                      source=submission.source, notes=notes, seed=seed, limits=limits, prepared=prepared)


def grade_file(student: str, exercise: Exercise, path: Path, *, label: str, source: str, notes: list[str],
               seed: int, limits: Limits, prepared: PreparedSuite | None = None) -> Graded:
    """Grade one student's file: the part of a grading that runs wherever the sandbox is (this machine,
    or a cluster worker that received the file's bytes)."""
    result = grade_attempt(exercise, path, seed=seed, limits=limits, prepared=prepared)
    outcome = classify(result, read_source(path), exercise.forbidden)
    record = make_record(student, result, attempt_label=label, outcome=outcome, submission=source, notes=notes)
    pictures = None
    if any(c.values is not None and not c.passed for c in result.cases):
        from grader.report import visual  # only a class with failing public examples draws

        pictures = visual.feedback_page(student, [(result, label)])
    return Graded(record, pictures)


def keep_pictures(graded: Graded, folder: Path, stem: str) -> dict:
    """Write a grading's picture page (before its record exists, so that a record on disk always has its
    page and ``--resume`` never needs values it did not keep) and return the record, pointing at it."""
    record = graded.record
    if graded.pictures is not None:
        name = f"{stem}.{record['exercise']}.html"
        write_text_atomic(folder / name, graded.pictures)
        record["pictures"] = name
    return record


def write_text_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


# -- the results file ---------------------------------------------------------------------------

def record_key(record: dict) -> tuple[str, str]:
    return record["student"], record["exercise"]


def load_records(path: Path) -> list[dict]:
    """Every whole record in a results file; a torn last line (a kill mid-write) is ignored, and a
    student x exercise written twice keeps its first record."""
    records, seen = [], set()
    try:
        lines = Path(path).read_bytes().split(b"\n")
    except FileNotFoundError:
        return []
    for line in lines:
        try:
            record = json.loads(line)
            key = record_key(record)
        except (ValueError, KeyError, TypeError):
            continue
        if key not in seen:
            seen.add(key)
            records.append(record)
    return records


class ResultsLog:
    """Appends records to ``results.jsonl`` and makes each durable before the next one starts."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._drop_torn_tail()
        self.records = load_records(self.path)
        self.done = {record_key(r) for r in self.records}
        self._file = open(self.path, "ab")

    def _drop_torn_tail(self) -> None:
        # A line cut short by a kill has no newline; appending after it would glue the next record
        # onto it. Cut the file back to its last complete line (that grading is simply redone).
        try:
            with open(self.path, "rb+") as handle:
                data = handle.read()
                if data and not data.endswith(b"\n"):
                    handle.truncate(data.rfind(b"\n") + 1)
        except FileNotFoundError:
            pass

    def append(self, record: dict) -> None:
        key = record_key(record)
        if key in self.done:
            return
        self._file.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
        self._file.flush()
        os.fsync(self._file.fileno())
        self.done.add(key)
        self.records.append(record)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> "ResultsLog":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def seed_digest(seed: int) -> str:
    # A digest, not the seed: results folders get shared, and the seed is the instructor's secret.
    return hashlib.sha256(f"grade-batch-seed:{seed}".encode()).hexdigest()[:16]


def _check_run_file(out: Path, seed: int, resume: bool, exercises: list[str]) -> None:
    """Refuses to mix two runs in one results file: another seed or another set of exercises would
    leave blank columns and totals out of different maxima."""
    run_file = out / RUN_FILE
    results = out / RESULTS_FILE
    if results.exists() and results.stat().st_size and not resume:
        raise BatchError(f"{results} already holds results: pass --resume to grade only what is "
                         "missing, or choose another --out folder")
    if resume and run_file.exists():
        try:
            previous = json.loads(run_file.read_text())
        except ValueError:
            previous = {}
        previous = previous if isinstance(previous, dict) else {}
        if previous.get("seed_sha256") and previous["seed_sha256"] != seed_digest(seed):
            raise BatchError(f"{results} was graded with another --seed: resume with the same seed, "
                             "or choose another --out folder")
        before = previous.get("exercises")
        if isinstance(before, list) and sorted(before) != sorted(exercises):
            raise BatchError(f"{results} was graded for --exercises {','.join(before)}: resume with "
                             "the same exercises, or choose another --out folder")
    out.mkdir(parents=True, exist_ok=True)
    run_file.write_text(json.dumps({"seed_sha256": seed_digest(seed), "exercises": exercises}) + "\n")


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
    records: list[dict]
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


def run_batch(submissions: Path, out: Path, *, scratch: Path, exercises: list[Exercise] | None = None,
              jobs: int | None = None, seed: int = DEFAULT_SEED, limits: Limits | None = None,
              resume: bool = False,
              on_progress: Callable[[Progress, dict | None], None] | None = None,
              remote: "cluster.Submitter | None" = None) -> BatchRun:
    """Grade every submission in ``submissions`` for ``exercises`` (default: all available), ``jobs``
    at a time, appending to ``out/results.jsonl``. ``scratch`` receives extracted zips and must
    outlive the reports (similarity reads the files). ``on_progress`` is called at the start and after
    each grading, with its record (None at the start, or when the grader failed). Ctrl-C stops cleanly:
    what is on disk stays. With ``remote`` (grader.classroom.cluster), the gradings run on a Dask
    cluster instead of local threads; everything else is the same."""
    out = Path(out)
    named = bool(exercises)
    exercises = list(exercises) if exercises else catalog.available()
    limits = limits or Limits()
    jobs = max(1, jobs or default_jobs())
    found, skipped = discover(submissions, scratch, exercises)
    if not named:
        exercises = handed_in(found, exercises)
    _check_run_file(out, seed, resume, [e.name for e in exercises])
    # Cases and expected values are the same for every student: compute them once per exercise, here
    # in one thread (a reference's first import is not safe to race). Cluster workers make their own.
    prepared = {} if remote else {e.name: prepare(e, seed) for e in exercises}

    with ResultsLog(out / RESULTS_FILE) as log:
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
                if remote:
                    future = remote(submission, exercise)
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
                        progress.failed_to_run += record["outcome"] in FAILED_TO_RUN
                    if on_progress:
                        on_progress(progress, record)
                    submit_next()
        except KeyboardInterrupt:
            run.interrupted = True
            for future in pending:
                future.cancel()
            if remote:
                remote.cancel()
        finally:
            # Gradings already running finish (each within its limits) but are not recorded after Ctrl-C.
            pool.shutdown(wait=not run.interrupted, cancel_futures=True)
        run.records = list(log.records)
    return run


def find_similar(run: BatchRun, *, threshold: float = 0.8) -> dict[str, list[similarity.Pair]]:
    """exercise -> pairs of students whose files are near-identical once names and layout are
    normalised; the stub everyone started from does not count."""
    found = {}
    for exercise in run.exercises:
        sources = {}
        for submission in run.submissions:
            path = submission.attempt(exercise.name)
            if path is not None:
                sources[submission.student] = read_source(path)
        try:
            base = exercise.stub_path.read_text(encoding="utf-8")
        except OSError:
            base = None
        pairs = similarity.similar_pairs(sources, base=base, threshold=threshold)
        if pairs:
            found[exercise.name] = pairs
    return found


def decisions(run: BatchRun) -> list[Decision]:
    """Every choice discovery made, for the summary and the report: one per student x note, then the
    entries that were not submissions at all."""
    found = [Decision(s.student, n.kind, n.text) for s in run.submissions for n in s.notes]
    found += [Decision(name, "skipped", "skipped: neither a folder nor a .zip") for name in run.skipped]
    return found


def write_reports(run: BatchRun, out: Path, *, title: str = "Class report", similar_at: float = 0.8,
                  roster: Join | None = None, lms: str | None = None,
                  assignment: str = DEFAULT_ASSIGNMENT) -> dict[str, Path]:
    """Gradebook, per-student feedback, the class report and (with ``lms``) the LMS import file, all
    from the results file's records. ``roster`` is the join of the run's students to a roster."""
    from grader.report import feedback, gradebook, html, lms as lms_export

    out = Path(out)
    students = [s.student for s in run.submissions]
    # Students graded earlier but absent now still have their records: keep them in the reports.
    students += sorted({r["student"] for r in run.records} - set(students))
    exercises = [e.name for e in run.exercises]
    exercises += sorted({r["exercise"] for r in run.records} - set(exercises))
    keys = {s: roster.key_of(s) for s in students} if roster else None
    written = {"grades": gradebook.write_csv(out / "grades.csv", run.records, students=students,
                                             exercises=exercises, roster_keys=keys)}
    feedback.write_all(out / "feedback", run.records, students=students, exercises=exercises)
    written["feedback"] = out / "feedback"
    written["report"] = html.write_report(out / "report.html", run.records, students=students,
                                          exercises=exercises, similar=find_similar(run, threshold=similar_at),
                                          title=title, decisions=decisions(run), roster=roster)
    if lms:
        written["lms"] = lms_export.write(out / f"{lms}.csv", lms, roster, run.records, students=students,
                                          exercises=exercises, assignment=assignment)
    return written


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
