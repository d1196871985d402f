"""What a class run keeps on disk: ``results.jsonl``, one class record per line, appended, flushed and
fsynced as each grading ends (a crash, ``kill -9`` or Ctrl-C loses nothing already graded, and
``resume`` grades only what the file does not hold yet), and ``batch.json``, which ties the file to one
seed and one set of exercises so that ``--resume`` cannot mix two runs."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from grader.classroom.errors import ResultsError
from grader.record.class_record import ClassRecord

RESULTS_FILE = "results.jsonl"
#: Remembers a digest of the seed so that --resume cannot mix results of two different secret seeds.
RUN_FILE = "batch.json"


def write_text_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def load_records(path: Path) -> list[ClassRecord]:
    """Every whole record in a results file; a torn last line (a kill mid-write) or a line that is not a
    record is ignored, and a student x exercise written twice keeps its first record."""
    records, seen = [], set()
    try:
        lines = Path(path).read_bytes().split(b"\n")
    except FileNotFoundError:
        return []
    for line in lines:
        try:
            record = ClassRecord.from_dict(json.loads(line))
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
        if record.key not in seen:
            seen.add(record.key)
            records.append(record)
    return records


class ResultsLog:
    """Appends records to ``results.jsonl`` and makes each durable before the next one starts."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._drop_torn_tail()
        self.records = load_records(self.path)
        self.done = {r.key for r in self.records}
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

    def append(self, record: ClassRecord) -> None:
        key = record.key
        if key in self.done:
            return
        data = record.to_dict()
        self._file.write(json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n")
        self._file.flush()
        os.fsync(self._file.fileno())
        self.done.add(key)
        # As a later run reads it back: reports are the same bytes whether built now or on --resume.
        self.records.append(ClassRecord.from_dict(data))

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> "ResultsLog":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def seed_digest(seed: int) -> str:
    # A digest, not the seed: results folders get shared, and the seed is the instructor's secret.
    return hashlib.sha256(f"grade-batch-seed:{seed}".encode()).hexdigest()[:16]


def check_run_file(out: Path, seed: int, resume: bool, exercises: list[str]) -> None:
    """Refuses to mix two runs in one results file: another seed or another set of exercises would
    leave blank columns and totals out of different maxima."""
    run_file = out / RUN_FILE
    results = out / RESULTS_FILE
    if results.exists() and results.stat().st_size and not resume:
        raise ResultsError(f"{results} already holds results: pass --resume to grade only what is "
                         "missing, or choose another --out folder")
    if resume and run_file.exists():
        try:
            previous = json.loads(run_file.read_text())
        except ValueError:
            previous = {}
        previous = previous if isinstance(previous, dict) else {}
        if previous.get("seed_sha256") and previous["seed_sha256"] != seed_digest(seed):
            raise ResultsError(f"{results} was graded with another --seed: resume with the same seed, "
                             "or choose another --out folder")
        before = previous.get("exercises")
        if isinstance(before, list) and sorted(before) != sorted(exercises):
            raise ResultsError(f"{results} was graded for --exercises {','.join(before)}: resume with "
                             "the same exercises, or choose another --out folder")
    out.mkdir(parents=True, exist_ok=True)
    run_file.write_text(json.dumps({"seed_sha256": seed_digest(seed), "exercises": exercises}) + "\n")
