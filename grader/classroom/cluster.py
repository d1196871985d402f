"""``grade batch --scheduler``: the gradings of a class run on a Dask distributed cluster.

The client (the machine running ``grade batch``) stays what it is locally: it discovers the
submissions, is the only writer of ``results.jsonl`` (append, flush, fsync per record), and builds
every report. What moves to the workers is ``run.grade_file``: each task carries the bytes of one
student's file (no shared filesystem needed), writes them into a fresh folder of the worker, and
grades them there in the same OS sandbox as locally. A worker without a working OS layer refuses the
task unless the run was told ``--allow-unsandboxed``.

Each worker computes an exercise's cases and expected values once, from the run's seed: ``prepare``
is a pure function of (exercise, seed) (``tests/test_cluster.py`` checks that two processes agree),
so nothing but the seed has to travel, and no worker trusts what another computed.

A task that Dask retries (its worker died, or disconnected) still ends in one result on the client,
which writes one record per (student, exercise) and skips those the file already holds: a retry can
never produce a second record.
"""

from __future__ import annotations

import concurrent.futures
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader import catalog
from grader.grading.attempt import PreparedSuite, prepare
from grader.sandbox.limits import Limits

#: What ``pip install 'grade[cluster]'`` adds; said when it is missing.
INSTALL_HINT = "grading on a cluster needs Dask: pip install 'grade[cluster]'"


class ClusterError(RuntimeError):
    """The cluster cannot be used (not reachable, Dask missing, a worker without an OS layer)."""


@dataclass(frozen=True)
class Task:
    """One student x exercise, with the file's bytes: everything a worker needs, and nothing else."""
    student: str
    exercise: str
    source: bytes
    label: str
    submission: str
    notes: tuple[str, ...]


# -- on the workers -------------------------------------------------------------------------------

_PREPARED: dict[tuple[str, int], PreparedSuite] = {}
_PREPARED_LOCK = threading.Lock()


def prepared_here(exercise: str, seed: int) -> PreparedSuite:
    """This worker's cases and expected values of ``exercise`` for ``seed``, computed once."""
    with _PREPARED_LOCK:
        key = (exercise, seed)
        if key not in _PREPARED:
            _PREPARED[key] = prepare(catalog.get(exercise), seed)
        return _PREPARED[key]


def os_layer_here() -> str | None:
    """The OS layer this worker can grade under (None: none works)."""
    from grader.sandbox import oslayer

    return oslayer.os_layer()


def grade_task(task: Task, seed: int, limits: Limits, allow_unsandboxed: bool):
    """Runs on a worker: grade one task and hand back its ClassRecord (with its public cases' values, for
    the pictures the client draws)."""
    import tempfile

    from grader.classroom import run
    from grader.sandbox import oslayer

    if not allow_unsandboxed and os_layer_here() is None:
        raise ClusterError("this worker has no working OS sandbox (bubblewrap, or a root worker for the "
                           "unprivileged-uid layer): install bubblewrap there, or pass --allow-unsandboxed")
    exercise = catalog.get(task.exercise)
    with tempfile.TemporaryDirectory(prefix=oslayer.owned_prefix("grade-task-")) as folder:
        path = Path(folder) / f"{exercise.name}.py"
        path.write_bytes(task.source)
        return run.grade_file(task.student, exercise, path, label=task.label, source=task.submission,
                                notes=list(task.notes), seed=seed, limits=limits,
                                prepared=prepared_here(exercise.name, seed))


# -- on the client --------------------------------------------------------------------------------

def connect(scheduler: str):
    """A ``distributed.Client`` for ``scheduler``: an address (``tcp://host:8786``) or ``local:N`` for a
    cluster of N worker processes on this machine (one thread each: a grading is one sandbox)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError(INSTALL_HINT) from None
    if scheduler.startswith("local:"):
        try:
            workers = int(scheduler.partition(":")[2])
        except ValueError:
            raise ClusterError(f"--scheduler local:N takes a number of workers, not {scheduler!r}") from None
        if workers < 1:
            raise ClusterError("--scheduler local:N needs at least one worker")
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=":0")
        return Client(cluster)
    try:
        return Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None


def check_workers(client, *, allow_unsandboxed: bool) -> dict[str, str | None]:
    """Each worker's OS layer; refuses (ClusterError) when one has none, unless allowed."""
    layers = client.run(os_layer_here)
    if not layers:
        raise ClusterError("the cluster has no workers")
    bare = sorted(address for address, layer in layers.items() if layer is None)
    if bare and not allow_unsandboxed:
        raise ClusterError(f"{len(bare)} of {len(layers)} workers have no working OS sandbox "
                           f"({', '.join(bare[:3])}{', ...' if len(bare) > 3 else ''}): install bubblewrap on "
                           "them, or pass --allow-unsandboxed (every record then says so)")
    return layers


def slots(client) -> int:
    """Gradings the cluster runs at once: its worker threads."""
    return max(1, sum(client.nthreads().values()))


class Submitter:
    """Hands gradings to the cluster and gives back ``concurrent.futures`` futures, so ``run_batch``
    waits on the cluster exactly as on its local thread pool (``grader.classroom.run.Submitter``)."""

    def __init__(self, client, *, seed: int, limits: Limits, allow_unsandboxed: bool):
        self.client, self.seed, self.limits, self.allow = client, seed, limits, allow_unsandboxed
        self._remote: list[Any] = []

    def __call__(self, submission, exercise) -> concurrent.futures.Future:
        from grader.classroom import run

        path = submission.attempt(exercise.name)
        if path is None:  # nothing to run: the record is made here, at once
            return _done(run.grade_one(submission, exercise, seed=self.seed, limits=self.limits))
        task = Task(submission.student, exercise.name, run.read_bytes(path),
                    submission.label(exercise.name), submission.source, tuple(submission.notes_for(exercise.name)))
        remote = self.client.submit(grade_task, task, self.seed, self.limits, self.allow, pure=False,
                                    retries=1, key=f"grade-{exercise.name}-{len(self._remote)}")
        self._remote.append(remote)
        return _bridge(remote)

    def cancel(self) -> None:
        self.client.cancel(self._remote)


def _done(value) -> concurrent.futures.Future:
    future: concurrent.futures.Future = concurrent.futures.Future()
    future.set_result(value)
    return future


def _bridge(remote) -> concurrent.futures.Future:
    local: concurrent.futures.Future = concurrent.futures.Future()

    def finished(done) -> None:
        try:
            local.set_result(done.result())
        except BaseException as exc:  # noqa: BLE001  the run records it as the grader's failure
            local.set_exception(exc)

    remote.add_done_callback(finished)
    return local
