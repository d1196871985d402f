"""`grade batch --scheduler`: the same class graded on a Dask cluster gives the same grades as on local
threads, a worker killed mid-run loses and duplicates nothing, and a worker without an OS layer is
refused."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

distributed = pytest.importorskip("distributed", reason="needs Dask: pip install 'grade[cluster]'")

from grader import catalog  # noqa: E402
from grader.classroom import cluster, run as batch, store  # noqa: E402
from grader.cli import cli  # noqa: E402
from grader.sandbox import oslayer  # noqa: E402
from grader.sandbox import worker
from grader.sandbox.limits import Limits  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent

DIGEST = """
import hashlib, json, sys
from grader.sandbox import worker
from grader.grading.attempt import prepare
suite = prepare(sys.argv[1], int(sys.argv[2]))
h = hashlib.sha256()
for case, expected in zip(suite.cases, suite.expectations):
    h.update(json.dumps([case.name, case.func, [worker.encode(a) for a in case.args],
                         {k: worker.encode(v) for k, v in case.kwargs.items()},
                         worker.encode(expected.value), expected.raises], sort_keys=True).encode())
print(h.hexdigest())
"""


@pytest.mark.parametrize("exercise", ["nms", "mean_ap", "rearrange_string"])
def test_prepared_suites_are_the_same_in_every_process(exercise):
    """Workers compute cases and expected values themselves, from the seed only: that is sound only if
    preparing is a pure function of (exercise, seed), across processes and hash seeds."""
    digests = set()
    for hash_seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-c", DIGEST, exercise, "98731"], capture_output=True, text=True,
                              cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": hash_seed}, check=True)
        digests.add(done.stdout.strip())
    assert len(digests) == 1


def make_class(root: Path) -> Path:
    subs = root / "subs"
    files = {
        "ada": {"nms.py": catalog.get("nms").solution_path, "iou.py": catalog.get("iou").solution_path},
        "bo": {"nms.py": FIXTURES / "wrong/nms/ge_threshold.py"},
        "cy": {"nms.py": FIXTURES / "attempts/raises/nms.py", "iou.py": FIXTURES / "attempts/syntax_error/nms.py"},
        "dee": {"nms.py": FIXTURES / "attempts/correct/nms.py", "iou.py": catalog.get("iou").solution_path},
    }
    for student, attempts in files.items():
        (subs / student).mkdir(parents=True)
        for name, source in attempts.items():
            shutil.copy(source, subs / student / name)
    return subs


def grade(subs: Path, out: Path, *extra: str):
    result = CliRunner().invoke(cli, ["batch", str(subs), "--out", str(out), "--exercises", "nms,iou",
                                      "--case-timeout", "2", *extra])
    assert result.exit_code == 0, result.output
    return result


def stable(record: dict) -> dict:
    """A record without what differs run to run (time taken)."""
    record = {k: v for k, v in record.items() if k not in ("seconds",)}
    record["cases"] = [{k: v for k, v in c.items() if k != "seconds"} for c in record["cases"]]
    return record


def records(out: Path) -> dict:
    lines = (out / store.RESULTS_FILE).read_text().splitlines()
    found = [json.loads(line) for line in lines]
    keys = [(r["student"], r["exercise"]) for r in found]
    assert len(keys) == len(set(keys)), "a student x exercise was written twice"
    return {key: stable(r) for key, r in zip(keys, found)}


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("local")
    subs = make_class(root)
    grade(subs, root / "out", "--jobs", "2")
    return subs, root / "out"


def test_a_local_cluster_grades_exactly_as_local_threads(local_run, tmp_path):
    subs, local_out = local_run
    result = grade(subs, tmp_path / "out", "--scheduler", "local:2")
    assert "Dask cluster at local:2: 2 workers" in result.output
    assert records(tmp_path / "out") == records(local_out)
    assert (tmp_path / "out" / "grades.csv").read_bytes() == (local_out / "grades.csv").read_bytes()
    # Pictures of failing public examples are drawn on the worker and written here, as locally.
    assert sorted(p.name for p in (tmp_path / "out" / "feedback").iterdir()) == \
        sorted(p.name for p in (local_out / "feedback").iterdir())


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(local_run, tmp_path):
    subs, local_out = local_run
    client = cluster.connect("local:2")
    try:
        pids = list(client.run(os.getpid).values())
        killed = []

        def kill_one_worker(progress, record):
            if record is not None and not killed:
                os.kill(pids[0], signal.SIGKILL)  # its running and queued tasks move to the other worker
                killed.append(pids[0])

        remote = cluster.Submitter(client, seed=2024, limits=Limits(case_seconds=2.0), allow_unsandboxed=False)
        with batch.scratch_folder() as scratch:
            run = batch.run_batch(subs, tmp_path / "out", scratch=scratch, exercises=[catalog.get("nms"), catalog.get("iou")],
                                  jobs=cluster.slots(client), limits=Limits(case_seconds=2.0),
                                  on_progress=kill_one_worker, submit=remote)
    finally:
        client.close()
    assert killed
    # A grading lost with its worker is either retried by Dask or, failing that, reported and left to
    # --resume: never half-written, never written twice.
    if run.errors:
        resumed = grade(subs, tmp_path / "out", "--resume", "--jobs", "2")
        assert "0 did not run" in resumed.output or resumed.exit_code == 0
    assert records(tmp_path / "out") == records(local_out)


def test_a_worker_without_an_os_layer_is_refused(monkeypatch):
    # Threads, not processes: the test's patch of the OS layer reaches the worker.
    local = distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=":0")
    client = distributed.Client(local)
    try:
        monkeypatch.setattr(oslayer, "os_layer", lambda: None)
        with pytest.raises(cluster.ClusterError, match="no working OS sandbox"):
            cluster.check_workers(client, allow_unsandboxed=False)
        assert list(cluster.check_workers(client, allow_unsandboxed=True).values()) == [None]
        # A worker that joins later, without the layer, refuses each task itself.
        task = cluster.Task("ada", "nms", catalog.get("nms").solution_path.read_bytes(), "ada/nms.py", "ada", ())
        with pytest.raises(cluster.ClusterError):
            client.submit(cluster.grade_task, task, 2024, Limits(), False).result()
    finally:
        client.close()
        local.close()


def test_a_bad_scheduler_is_a_usage_error(tmp_path):
    subs = make_class(tmp_path)
    result = CliRunner().invoke(cli, ["batch", str(subs), "--out", str(tmp_path / "out"), "--scheduler", "local:x"])
    assert result.exit_code == 2 and "local:N takes a number" in result.output
    assert "Traceback" not in result.output
