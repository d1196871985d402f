"""Benchmark: `grade batch` against the naive way, one `grade EXERCISE FILE --json` process per grading.

Builds a synthetic class in a temporary folder: every student answers every exercise that exists,
with a mix of correct, partly wrong, not implemented, crashing (raising, syntax errors) and missing
files. Then, in the same run:

* batch: ``grade batch CLASS --out OUT --jobs N`` end to end (discovery, grading, every report);
* naive: ``grade EXERCISE FILE --json`` in a fresh process per grading, one at a time, on an evenly
  spread sample of the same gradings (all of them with ``--naive-sample 0``), and the same sample
  with N processes at once, so that parallelism and per-process overhead are not confused;
* with ``--pytest``: the unsandboxed pytest harness (``benchmarks/pytest_harness.py``), one pytest
  per student, N at a time: what grading costs with no isolation at all.

Rates count submitted files only (a missing file costs the batch nothing and the naive loop would
skip it). The naive sample's scores are checked against the batch's: speed is no use if they differ.

    python benchmarks/batch.py                      # 100 students, --jobs 2
    python benchmarks/batch.py --students 30 --naive-sample 0
    python benchmarks/batch.py --students 60 --pytest   # and the unsandboxed pytest baseline
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader import catalog  # noqa: E402

# The console script, as a user runs it (``python -m grader.cli`` would import the CLI twice).
GRADE = [str(Path(sys.executable).with_name("grade")) if Path(sys.executable).with_name("grade").exists()
         else shutil.which("grade") or "grade"]

# A wrong answer for any exercise: the reference, with every third call returning None. Partial
# credit, different per case, which is what a real class's wrong answers look like.
SABOTAGE = '''

def _every_third_call_wrong(func):
    calls = [0]

    def wrapper(*args, **kwargs):
        calls[0] += 1
        value = func(*args, **kwargs)
        return None if calls[0] % 3 == 0 else value
    return wrapper


for _name in {functions!r}:
    globals()[_name] = _every_third_call_wrong(globals()[_name])
'''

RAISES = '''
def {function}(*args, **kwargs):
    items = list(args)
    return items[len(items) + 1]
'''

SYNTAX_ERROR = "def {function}(*args, **kwargs)\n    return None\n"

MIX = (("correct", 40), ("wrong", 30), ("stub", 8), ("raises", 8), ("syntax_error", 7), ("missing", 7))


def attempt_source(exercise: catalog.Exercise, kind: str) -> str | None:
    if kind == "missing":
        return None
    if kind == "correct":
        return exercise.solution_path.read_text()
    if kind == "wrong":
        return exercise.solution_path.read_text() + SABOTAGE.format(functions=exercise.functions)
    if kind == "stub":
        return exercise.stub_path.read_text()
    template = RAISES if kind == "raises" else SYNTAX_ERROR
    return "\n".join(template.format(function=f) for f in exercise.functions)


def make_class(folder: Path, students: int, exercises: list[catalog.Exercise], seed: int = 0) -> list[tuple]:
    """Write the class; returns (student, exercise, kind) for every grading."""
    rng = random.Random(seed)
    kinds = [k for k, weight in MIX for _ in range(weight)]
    plan = []
    for i in range(students):
        student = f"student{i:03d}"
        (folder / student).mkdir(parents=True)
        for exercise in exercises:
            kind = rng.choice(kinds)
            source = attempt_source(exercise, kind)
            if source is not None:
                (folder / student / f"{exercise.name}.py").write_text(source)
            plan.append((student, exercise.name, kind))
    return plan


def naive(folder: Path, sample: list[tuple], jobs: int) -> tuple[float, dict]:
    def one(item):
        student, exercise, _ = item
        proc = subprocess.run([*GRADE, exercise, str(folder / student / f"{exercise}.py"), "--json"],
                              capture_output=True, text=True, cwd=ROOT)
        return (student, exercise), json.loads(proc.stdout)["score"]

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        scores = dict(pool.map(one, sample))
    return time.monotonic() - started, scores


def pytest_harness(folder: Path, students: list[str], jobs: int) -> float:
    """The unsandboxed baseline: one ``pytest benchmarks/pytest_harness.py`` per student, ``jobs`` at a time."""
    harness = Path(__file__).with_name("pytest_harness.py")

    def one(student):
        env = {**os.environ, "GRADE_HARNESS_STUDENT": str(folder / student)}
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(harness)],
                       capture_output=True, text=True, cwd=ROOT, env=env)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, students))
    return time.monotonic() - started


def run_batch(work: Path, out: str, *options: str) -> tuple[float, dict]:
    """``grade batch`` over the class into ``work/out``: its wall time and its scores."""
    started = time.monotonic()
    proc = subprocess.run([*GRADE, "batch", str(work / "class"), "--out", str(work / out), *options],
                          capture_output=True, text=True, cwd=ROOT)
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        sys.exit(f"grade batch {' '.join(options)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    records = [json.loads(line) for line in (work / out / "results.jsonl").read_text().splitlines()]
    return seconds, {(r["student"], r["exercise"]): r["score"] for r in records}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--exercises", default=None, help="comma-separated (default: every exercise that exists)")
    parser.add_argument("--naive-sample", type=int, default=40,
                        help="gradings the naive way is timed on, spread over the class (0: all of them)")
    parser.add_argument("--keep", action="store_true", help="keep the class and the results folder")
    parser.add_argument("--cluster", action="store_true",
                        help="also grade the class with --scheduler local:JOBS (Dask, JOBS worker processes) "
                             "and print its overhead against --jobs JOBS")
    parser.add_argument("--pytest", action="store_true",
                        help="also time the unsandboxed pytest harness (benchmarks/pytest_harness.py), one "
                             "pytest per student, JOBS at a time, and print grade batch's ratio to it")
    args = parser.parse_args()

    exercises = ([catalog.get(n) for n in args.exercises.split(",")] if args.exercises
                 else catalog.available())
    work = Path(tempfile.mkdtemp(prefix="grade-bench-"))
    try:
        plan = make_class(work / "class", args.students, exercises)
        submitted = [p for p in plan if p[2] != "missing"]
        kinds = {k: sum(p[2] == k for p in plan) for k, _ in MIX}
        print(f"class: {args.students} students x {len(exercises)} exercises = {len(plan)} gradings "
              f"({len(submitted)} submitted: " + ", ".join(f"{v} {k}" for k, v in kinds.items()) + ")")
        print(f"machine: {os.cpu_count()} cores; --jobs {args.jobs}")

        names = ",".join(e.name for e in exercises)
        batch_seconds, batch_scores = run_batch(work, "out", "--jobs", str(args.jobs), "--exercises", names)
        if args.cluster:
            cluster_seconds, cluster_scores = run_batch(work, "out-cluster", "--scheduler", f"local:{args.jobs}",
                                                        "--exercises", names)
            same = "same scores" if cluster_scores == batch_scores else "SCORES DIFFER"
            print(f"cluster --scheduler local:{args.jobs}: {cluster_seconds:.1f} s against {batch_seconds:.1f} s "
                  f"with --jobs {args.jobs}: overhead {100 * (cluster_seconds / batch_seconds - 1):+.0f}% ({same}; "
                  "cluster start-up included)")
        batch_rate = len(submitted) / batch_seconds

        step = max(1, len(submitted) // args.naive_sample) if args.naive_sample else 1
        sample = submitted[::step][: args.naive_sample or None]
        sequential_seconds, naive_scores = naive(work / "class", sample, 1)
        parallel_seconds, _ = naive(work / "class", sample, args.jobs)
        mismatches = [key for key, score in naive_scores.items() if batch_scores.get(key) != score]

        print(f"batch   grade batch --jobs {args.jobs}: {len(submitted)} gradings in {batch_seconds:.1f} s "
              f"= {batch_rate:.2f} gradings/s (reports included)")
        seq_rate = len(sample) / sequential_seconds
        par_rate = len(sample) / parallel_seconds
        print(f"naive   one process per grading, 1 at a time: {len(sample)} gradings in {sequential_seconds:.1f} s "
              f"= {seq_rate:.2f} gradings/s")
        print(f"naive   one process per grading, {args.jobs} at a time: {len(sample)} gradings in "
              f"{parallel_seconds:.1f} s = {par_rate:.2f} gradings/s")
        print(f"speed-up: {batch_rate / seq_rate:.1f}x the naive loop, {batch_rate / par_rate:.1f}x the naive "
              f"loop run {args.jobs} at a time")
        print(f"scores: {len(sample) - len(mismatches)}/{len(sample)} naive gradings match the batch"
              + (f"; MISMATCH {mismatches[:5]}" if mismatches else ""))
        if args.pytest:
            students = sorted({p[0] for p in plan})
            harness_seconds = pytest_harness(work / "class", students, args.jobs)
            print(f"pytest  one unsandboxed pytest per student, {args.jobs} at a time: {len(submitted)} gradings in "
                  f"{harness_seconds:.1f} s = {len(submitted) / harness_seconds:.2f} gradings/s; grade batch is "
                  f"{harness_seconds / batch_seconds:.2f}x its speed, fully sandboxed")
        if args.keep:
            print(f"kept: {work}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
