"""Batch grading of a class: find each student's files, grade every student x exercise in its own
sandbox in parallel, and put each result on disk the moment it exists.

``results.jsonl`` is the record of the run: one line per student x exercise, the ``grade --json``
record plus ``student`` and ``outcome``, appended, flushed and fsynced as each grading ends. A crash,
``kill -9`` or Ctrl-C loses nothing already graded, and ``resume=True`` grades only what the file does
not hold yet. Every report (gradebook, feedback, the class report) is built from that file alone.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import shutil
import stat
import time
import zipfile
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

from grader import catalog, similarity, worker
from grader.catalog import Exercise
from grader.grading import DEFAULT_SEED, PreparedSuite, grade_attempt, prepare
from grader.results import ERROR, TIMEOUT, ExerciseResult
from grader.sandbox import Limits

RESULTS_FILE = "results.jsonl"
#: Remembers a digest of the seed so that --resume cannot mix results of two different secret seeds.
RUN_FILE = "batch.json"
NOT_SUBMITTED = "not submitted"

# What a student's zip may hold: it is untrusted input, and only the exercise files are extracted.
MAX_ZIP_MEMBERS = 2000
MAX_FILE_BYTES = 1024 * 1024
MAX_ZIP_BYTES = 16 * 1024 * 1024
#: Folders that archivers add and no student wrote.
JUNK_DIRS = frozenset({"__MACOSX", "__pycache__", ".git", ".ipynb_checkpoints"})

#: How a student x exercise went, most serious first. The first three are code that did not run,
#: which the progress bar counts and the class report lists.
OUTCOMES = ("forbidden", "timeout", "crashed", "not_submitted", "failed", "passed")
FAILED_TO_RUN = OUTCOMES[:3]
OUTCOME_LABELS = {"forbidden": "forbidden module", "timeout": "timed out", "crashed": "crashed",
                  "not_submitted": "not submitted", "failed": "failed", "passed": "passed"}

# The worker's words when it refuses a module (grader/worker.py): how a result shows a forbidden import.
_REFUSED = re.compile(r"'([\w.]+)' " + re.escape(worker.REFUSED_PHRASE))


class BatchError(Exception):
    """Bad input to a batch run (no such folder, results of another seed): a usage error, not a crash."""


class UnsafeArchive(ValueError):
    pass


# -- finding the submissions --------------------------------------------------------------------

@dataclass
class Submission:
    student: str
    """Unique and safe as a file name: derived from the folder or zip name."""
    root: Path
    """The folder holding the student's files (the extracted copy, for a zip)."""
    source: str
    """What it came from, relative to the submissions folder: ``alice`` or ``bob.zip``."""
    problem: str | None = None
    """Why nothing could be read (an unsafe or corrupt zip): every exercise then scores 0 with it."""

    def attempt(self, exercise: str) -> Path | None:
        return None if self.problem else find_attempt(self.root, exercise)

    def label(self, path: Path) -> str:
        """Where a file came from, for people: ``bob.zip:hw/nms.py``, ``alice/nms.py``."""
        relative = path.relative_to(self.root).as_posix()
        return f"{self.source}:{relative}" if self.source.endswith(".zip") else f"{self.source}/{relative}"


def student_name(raw: str) -> str:
    """A name safe in a file name and a CSV cell: letters, digits, '.', '_', '-', starting with a
    letter or digit (so no spreadsheet reads it as a formula)."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", raw).strip("._-")
    name = re.sub(r"^[^A-Za-z0-9]+", "", name)[:80]
    return name or "student"


def find_attempt(root: Path, exercise: str) -> Path | None:
    """``<exercise>.py`` in ``root`` or, failing that, the shallowest one below it (zips often wrap
    everything in a folder). Symbolic links are not followed: they could point anywhere."""
    wanted = f"{exercise}.py"
    direct = root / wanted
    if direct.is_file() and not direct.is_symlink():
        return direct
    best: tuple[int, str] | None = None
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in JUNK_DIRS and not d.startswith("."))
        if wanted in filenames:
            path = Path(dirpath) / wanted
            if path.is_file() and not path.is_symlink():
                key = (len(path.relative_to(root).parts), path.as_posix())
                best = min(best, key) if best else key
    return Path(best[1]) if best else None


def extract_zip(archive: Path, dest: Path, wanted: Iterable[str]) -> int:
    """Extract the members named ``<exercise>.py`` into ``dest``, refusing anything unsafe.

    No member may leave ``dest`` (absolute paths, ``..``), links are skipped, and sizes are capped
    while reading (a zip's own size fields can lie). Returns how many files were extracted.
    """
    wanted = set(wanted)
    dest.mkdir(parents=True, exist_ok=True)
    total = extracted = 0
    with zipfile.ZipFile(archive) as zf:
        members = zf.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise UnsafeArchive(f"the zip holds {len(members)} entries (at most {MAX_ZIP_MEMBERS})")
        for info in members:
            name = info.filename.replace("\\", "/")
            parts = PurePosixPath(name).parts
            if info.is_dir() or not parts or parts[-1] not in wanted:
                continue
            if name.startswith("/") or ".." in parts or re.match(r"^[A-Za-z]:", name):
                raise UnsafeArchive(f"the zip entry {info.filename!r} points outside the archive")
            if stat.S_ISLNK(info.external_attr >> 16):
                continue
            if any(p in JUNK_DIRS or p.startswith(".") for p in parts[:-1]):
                continue
            target = dest.joinpath(*parts)
            if not target.resolve().is_relative_to(dest.resolve()):
                raise UnsafeArchive(f"the zip entry {info.filename!r} points outside the archive")
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as out:
                size = 0
                while chunk := src.read(64 * 1024):
                    size += len(chunk)
                    total += len(chunk)
                    if size > MAX_FILE_BYTES:
                        raise UnsafeArchive(f"{info.filename} is larger than {MAX_FILE_BYTES // 1024} KB")
                    if total > MAX_ZIP_BYTES:
                        raise UnsafeArchive(f"the zip expands to more than {MAX_ZIP_BYTES // 2**20} MB")
                    out.write(chunk)
            extracted += 1
    return extracted


def discover(submissions: Path, scratch: Path,
             exercises: Iterable[str] | None = None) -> tuple[list[Submission], list[str]]:
    """One Submission per folder or ``.zip`` in ``submissions``, sorted by name; zips are extracted
    under ``scratch``. Returns the submissions and the entries skipped (loose files and the like)."""
    submissions = Path(submissions)
    if not submissions.is_dir():
        raise BatchError(f"no such folder: {submissions}")
    wanted = {f"{name}.py" for name in (exercises or catalog.names())}
    found: list[Submission] = []
    skipped: list[str] = []
    taken: set[str] = set()

    def unique(raw: str) -> str:
        base = student_name(raw)
        name, n = base, 1
        while name.lower() in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name.lower())
        return name

    for entry in sorted(submissions.iterdir(), key=lambda p: p.name):
        if entry.name.startswith(".") or entry.name in JUNK_DIRS:
            continue
        if entry.is_dir():  # a link here is the instructor's doing; inside a submission none is followed
            found.append(Submission(unique(entry.name), entry, entry.name))
        elif entry.is_file() and entry.suffix.lower() == ".zip":
            student = unique(entry.stem)
            dest = scratch / student
            submission = Submission(student, dest, entry.name)
            try:
                extract_zip(entry, dest, wanted)
            except Exception as exc:  # corrupt, encrypted, truncated, unsafe: a student's zip fails
                # in many ways, and each only costs that student, with the reason in their feedback.
                shutil.rmtree(dest, ignore_errors=True)
                submission.problem = f"the zip could not be read safely: {exc}"
            found.append(submission)
        else:
            skipped.append(entry.name)
    return found, skipped


# -- one grading --------------------------------------------------------------------------------

def forbidden_imports(source: str, forbidden: Iterable[str]) -> list[str]:
    """Forbidden modules that the source imports by name: catches what a hidden case's terse message
    would not say (the worker refuses them at run time either way)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    refused, found = set(forbidden), []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module]
        for name in names:
            top = name.partition(".")[0]
            if top in refused and top not in found:
                found.append(top)
    return found


def classify(result: ExerciseResult, source: str = "", forbidden: Iterable[str] = ()) -> tuple[str, str]:
    """The outcome of one grading (one of OUTCOMES) and a line saying why, for the class report."""
    texts = [result.error or ""] + [c.message for c in result.cases]
    refused = sorted({m.group(1) for t in texts for m in _REFUSED.finditer(t)}
                     | set(forbidden_imports(source, forbidden)))
    if refused:
        return "forbidden", "imports " + ", ".join(refused)
    timeouts = sum(c.status == TIMEOUT for c in result.cases)
    if timeouts or (result.error and "timed out" in result.error):
        return "timeout", f"timed out in {timeouts} of {len(result.cases)} cases" if timeouts else result.error
    if result.error:
        return "crashed", f"could not be run: {result.error}"
    passed, total = result.counts()
    errors = [c for c in result.cases if c.status == ERROR]
    if errors and not passed:
        first = errors[0].message
        return "crashed", f"raised an error in {len(errors)} of {total} cases, e.g. {first}"
    if result.passed:
        return "passed", f"{passed}/{total} cases"
    if result.not_implemented:
        return "failed", "not implemented (still the stub)"
    return "failed", f"{passed}/{total} cases passed"


def make_record(student: str, result: ExerciseResult, *, attempt_label: str, outcome: tuple[str, str]) -> dict:
    record = {"student": student, **result.to_dict()}
    record["attempt"] = attempt_label
    record["outcome"], record["detail"] = outcome
    return record


def missing_record(student: str, exercise: Exercise, reason: str = NOT_SUBMITTED) -> dict:
    result = ExerciseResult(exercise=exercise.name, attempt="", cases=[], max_score=exercise.points,
                            error=reason)
    return make_record(student, result, attempt_label="", outcome=("not_submitted", reason))


def read_source(path: Path) -> str:
    """A student's file as text, capped: a folder can hold a file of any size."""
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_FILE_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return ""


def grade_one(submission: Submission, exercise: Exercise, *, seed: int, limits: Limits,
              prepared: PreparedSuite | None = None) -> dict:
    path = submission.attempt(exercise.name)
    if path is None:
        return missing_record(submission.student, exercise, submission.problem or NOT_SUBMITTED)
    result = grade_attempt(exercise, path, seed=seed, limits=limits, prepared=prepared)
    outcome = classify(result, read_source(path), exercise.forbidden)
    return make_record(submission.student, result, attempt_label=submission.label(path), outcome=outcome)


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


def _check_run_file(out: Path, seed: int, resume: bool) -> None:
    run_file = out / RUN_FILE
    results = out / RESULTS_FILE
    if results.exists() and results.stat().st_size and not resume:
        raise BatchError(f"{results} already holds results: pass --resume to grade only what is "
                         "missing, or choose another --out folder")
    if resume and run_file.exists():
        try:
            previous = json.loads(run_file.read_text()).get("seed_sha256")
        except (ValueError, AttributeError):
            previous = None
        if previous and previous != seed_digest(seed):
            raise BatchError(f"{results} was graded with another --seed: resume with the same seed, "
                             "or choose another --out folder")
    out.mkdir(parents=True, exist_ok=True)
    run_file.write_text(json.dumps({"seed_sha256": seed_digest(seed)}) + "\n")


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


def default_jobs() -> int:
    """The cores this process may use (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_batch(submissions: Path, out: Path, *, scratch: Path, exercises: list[Exercise] | None = None,
              jobs: int | None = None, seed: int = DEFAULT_SEED, limits: Limits | None = None,
              resume: bool = False,
              on_progress: Callable[[Progress, dict | None], None] | None = None) -> BatchRun:
    """Grade every submission in ``submissions`` for ``exercises`` (default: all available), ``jobs``
    at a time, appending to ``out/results.jsonl``. ``scratch`` receives extracted zips and must
    outlive the reports (similarity reads the files). ``on_progress`` is called at the start and after
    each grading, with its record (None at the start, or when the grader failed). Ctrl-C stops cleanly:
    what is on disk stays."""
    out = Path(out)
    exercises = list(exercises) if exercises else catalog.available()
    limits = limits or Limits()
    jobs = max(1, jobs or default_jobs())
    _check_run_file(out, seed, resume)
    found, skipped = discover(submissions, scratch, [e.name for e in exercises])
    # Cases and expected values are the same for every student: compute them once per exercise, here
    # in one thread (a reference's first import is not safe to race).
    prepared = {e.name: prepare(e, seed) for e in exercises}

    with ResultsLog(out / RESULTS_FILE) as log:
        todo = [(s, e) for s in found for e in exercises if (s.student, e.name) not in log.done]
        run = BatchRun(found, exercises, log.records, skipped)
        progress = Progress(total=len(todo))
        # Each grading spends its time waiting on its own sandbox process, so threads overlap well.
        pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="grade")
        pending: dict[Future, tuple[Submission, Exercise]] = {}
        queue = iter(todo)

        def submit_next() -> None:
            for submission, exercise in queue:
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
                        record = future.result()
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
        finally:
            # Gradings already running finish (each within its limits) but are not recorded after Ctrl-C.
            pool.shutdown(wait=not run.interrupted, cancel_futures=True)
        run.records = list(log.records)
    return run


def format_eta(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(round(seconds))
    return f"{seconds // 60:d}:{seconds % 60:02d}"


def progress_line(progress: Progress) -> str:
    width = 24
    filled = int(width * progress.done / progress.total) if progress.total else width
    bar = "#" * filled + "-" * (width - filled)
    return (f"[{bar}] {progress.done}/{progress.total} graded, {progress.failed_to_run} failed to run, "
            f"ETA {format_eta(progress.eta_seconds)}")


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


def write_reports(run: BatchRun, out: Path, *, title: str = "Class report",
                  similar_at: float = 0.8) -> dict[str, Path]:
    """Gradebook, per-student feedback and the class report, all from the results file's records."""
    # Imported here: the reports use this module's vocabulary (OUTCOMES), so they import it.
    from grader.report import feedback, gradebook, html

    out = Path(out)
    students = [s.student for s in run.submissions]
    # Students graded earlier but absent now still have their records: keep them in the reports.
    students += sorted({r["student"] for r in run.records} - set(students))
    exercises = [e.name for e in run.exercises]
    exercises += sorted({r["exercise"] for r in run.records} - set(exercises))
    written = {"grades": gradebook.write_csv(out / "grades.csv", run.records, students=students,
                                             exercises=exercises)}
    feedback.write_all(out / "feedback", run.records, students=students, exercises=exercises)
    written["feedback"] = out / "feedback"
    written["report"] = html.write_report(out / "report.html", run.records, students=students,
                                          exercises=exercises, similar=find_similar(run, threshold=similar_at),
                                          title=title)
    return written
