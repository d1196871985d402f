"""How `grade batch --scheduler` grows with workers, from three costs measured here:

* a grading's cost in core-seconds (``grade_task`` as a cluster worker runs it: the suite prepared
  once, the submission's bytes written to a temporary file, graded in the sandbox), from a mix of
  correct, wrong and stub answers graded two at a time on this 2-core machine;
* the scheduler's cost per task: no-op tasks pushed through a Dask ``LocalCluster`` of 2 worker
  processes (an upper bound on the per-task overhead of scheduling, transfer and the result's trip
  back, on one shared machine);
* the client's cost per record: append, flush and fsync of one results.jsonl line (the client is the
  only writer).

Throughput with W workers of C cores is then min(W*C / grading, 1 / scheduler, 1 / client). The
model ignores the network (a task carries a few kilobytes of source; a record returns a few more)
and assumes the gradings are independent, which they are.

    python benchmarks/cluster_model.py [--gradings 40] [--tasks 2000] [--cores-per-worker 2]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader import catalog  # noqa: E402
from grader.classroom import cluster  # noqa: E402
from grader.grading.seeds import DEFAULT_SEED  # noqa: E402
from grader.sandbox.limits import Limits  # noqa: E402

WRONG = ROOT / "tests" / "fixtures" / "wrong"
EXERCISES = ("iou", "nms", "max_subarray", "soft_nms", "gaussian", "bilinear", "conv2d", "rearrange_string",
             "mean_ap")


def grading_core_seconds(count: int) -> float:
    """Core-seconds per grading: ``count`` gradings two at a time on this 2-core machine, as a worker
    with two cores grades (the grader's side and the sandboxed worker both use CPU)."""
    from concurrent.futures import ThreadPoolExecutor

    files = []
    for name in EXERCISES:
        exercise = catalog.get(name)
        files += [(name, exercise.solution_path), (name, exercise.stub_path)]
        files += [(name, p) for p in sorted((WRONG / name).glob("*.py"))[:2]]
    files = [files[i % len(files)] for i in range(count)]
    for name in EXERCISES:
        cluster.prepared_here(name, DEFAULT_SEED)  # once per worker, as on a cluster

    def grade(item):
        name, path = item
        task = cluster.Task(student="s", exercise=name, source=path.read_bytes(), label=path.name,
                            submission="s", notes=())
        cluster.grade_task(task, DEFAULT_SEED, Limits(), allow_unsandboxed=False)

    cores = min(2, os.cpu_count() or 1)
    started = time.perf_counter()
    with ThreadPoolExecutor(cores) as pool:
        list(pool.map(grade, files))
    return cores * (time.perf_counter() - started) / len(files)


def scheduler_seconds(tasks: int) -> float:
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local, \
            Client(local) as client:
        client.gather(client.map(_noop, range(100), pure=False))  # warm up
        started = time.perf_counter()
        client.gather(client.map(_noop, range(tasks), pure=False))
        return (time.perf_counter() - started) / tasks


def _noop(i):
    return {"student": f"s{i}", "exercise": "nms", "score": 10.0}


def client_seconds(records: int) -> float:
    record = json.dumps({"student": "s", "exercise": "nms", "cases": [{"name": "c", "passed": True}] * 30}).encode()
    with tempfile.TemporaryDirectory() as folder, open(Path(folder) / "results.jsonl", "ab") as handle:
        started = time.perf_counter()
        for _ in range(records):
            handle.write(record + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        return (time.perf_counter() - started) / records


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gradings", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--cores-per-worker", type=int, default=2)
    args = parser.parse_args()
    grading = grading_core_seconds(args.gradings)
    scheduler = scheduler_seconds(args.tasks)
    client = client_seconds(500)
    print(f"one grading: {grading * 1000:.1f} ms of a core ({args.gradings} gradings, 2 at a time on 2 cores)")
    print(f"scheduler per task ({args.tasks} no-op tasks, LocalCluster of 2 processes): {scheduler * 1000:.2f} ms")
    print(f"client per record (append, flush, fsync): {client * 1000:.2f} ms")
    ceiling = min(1 / scheduler, 1 / client)
    print(f"\nceiling: {ceiling:.0f} gradings/s ({'scheduler' if scheduler > client else 'client'})")
    print(f"{'workers':>8} {'cores':>6} {'gradings/s':>11} {'34,000 gradings':>16}")
    for workers in (1, 2, 4, 8, 16, 32, 64, 128):
        cores = workers * args.cores_per_worker
        rate = min(cores / grading, ceiling)
        print(f"{workers:>8} {cores:>6} {rate:>11.0f} {34000 / rate / 60:>13.1f} min")


if __name__ == "__main__":
    main()
