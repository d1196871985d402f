"""The grader's side of the zygote (``zygote.py``): start it once, ask it for one sandboxed worker per
attempt, and hold each worker as a process-like object (``ForkedWorker``) the session can poll, wait
for and kill.

The zygote is started from a thread of its own that lives as long as the grader: the kernel sends
PR_SET_PDEATHSIG when the *thread* that started a process ends, and a batch starts its sessions from
pool threads that come and go.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ZYGOTE_FILE = Path(__file__).with_name("zygote.py")
DEFAULT_WORKER = Path(__file__).with_name("worker.py")
#: "bubblewrap": bubblewrap rather than grade's own namespaces; "off": neither (a root grader then
#: uses the unprivileged uid); "none": no OS layer at all (to debug an attempt).
OS_SANDBOX_ENV = "GRADE_OS_SANDBOX"
#: Environment variables passed through to workers: BLAS settings some CPUs need to run numpy at all.
PASS_THROUGH_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "LANG", "LC_ALL", "TZ")
#: The most of an attempt's file a worker reads (a submission is a few kilobytes).
MAX_ATTEMPT_BYTES = 4 * 1024 * 1024
STARTUP_SECONDS = 30.0
_SIGNALS_FOR_THE_MAIN_THREAD = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGCHLD,
                                signal.SIGWINCH, signal.SIGALRM, signal.SIGUSR1, signal.SIGUSR2}


class ZygoteError(RuntimeError):
    """The zygote could not be started, or could not make a sandbox."""


class Zygote:
    """One zygote process, started on first use and again if it dies."""

    def __init__(self, worker_file: Path):
        self.worker_file = Path(worker_file)
        self._lock = threading.Lock()
        self._control: socket.socket | None = None
        self._proc: subprocess.Popen | None = None
        self._ready_fd: int | None = None

    def launch(self) -> None:
        """Start the zygote if it is not running, without waiting for it to be ready."""
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._close()
                self._launch()

    def _launch(self) -> None:
        control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        ready_r, ready_w = os.pipe()
        # The zygote imports numpy from where this process would; the worker it forks sees numpy's
        # own directory only (its configuration says which).
        paths = [p for p in sys.path if p and os.path.isdir(p)]
        config = {"parent": os.getpid(), "worker_file": str(self.worker_file), "paths": paths,
                  "control_fd": theirs.fileno(), "ready_fd": ready_w}
        env = base_env()
        started: dict = {}

        def start() -> None:
            # This thread takes no signal (see in_background); the zygote, which inherits the mask,
            # clears it.
            signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS_FOR_THE_MAIN_THREAD)
            try:
                started["proc"] = subprocess.Popen(
                    [os.path.realpath(sys.executable), "-I", "-S", "-B", str(ZYGOTE_FILE), json.dumps(config)],
                    cwd="/", env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL, pass_fds=(theirs.fileno(), ready_w), start_new_session=True)
            except BaseException as exc:  # noqa: B902  reported to the caller below
                started["error"] = exc
            finally:
                done.set()
            threading.Event().wait()  # never returns: the zygote's death signal is tied to this thread

        done = threading.Event()
        threading.Thread(target=start, name="grade-zygote", daemon=True).start()
        done.wait()
        theirs.close()
        os.close(ready_w)
        if "error" in started:
            os.close(ready_r)
            control.close()
            raise ZygoteError(f"the zygote could not start: {started['error']}")
        self._proc, self._control, self._ready_fd = started["proc"], control, ready_r

    def _await_ready(self) -> None:
        if self._ready_fd is None:
            return
        try:
            ready = _read_with_deadline(self._ready_fd, time.monotonic() + STARTUP_SECONDS)
        finally:
            os.close(self._ready_fd)
            self._ready_fd = None
        if ready != b"R":
            self._close()
            raise ZygoteError("the zygote exited before it was ready")

    def fork(self, request: dict, fds: dict[str, int]) -> None:
        """Ask for one worker; ``fds`` are the descriptors zygote.FD_NAMES names (sent, not closed)."""
        message = json.dumps(request).encode()
        order = [fds[name] for name in ("request", "reply", "stdout", "stderr", "status", "attempt")]
        with self._lock:
            for attempt in range(2):
                if self._control is None or self._proc.poll() is not None:
                    self._close()
                    self._launch()
                self._await_ready()
                try:
                    socket.send_fds(self._control, [message], order)
                    return
                except OSError:
                    if attempt:
                        raise ZygoteError("the zygote stopped taking requests") from None
                    self._close()

    def _close(self) -> None:
        if self._ready_fd is not None:
            os.close(self._ready_fd)
            self._ready_fd = None
        if self._control is not None:
            self._control.close()
            self._control = None
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc.wait()
            self._proc = None

    def close(self) -> None:
        with self._lock:
            self._close()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None


def _read_with_deadline(fd: int, deadline: float) -> bytes:
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return b""
        readable, _, _ = select.select([fd], [], [], remaining)
        if readable:
            return os.read(fd, 1)


def in_background(work, name: str) -> None:
    """Run ``work()`` in a daemon thread that takes no signals (they are for the main thread: one the
    kernel handed to another thread would not wake the main thread from a blocking call)."""
    def run() -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS_FOR_THE_MAIN_THREAD)
        work()

    threading.Thread(target=run, name=name, daemon=True).start()


_zygotes: dict[str, Zygote] = {}
_zygotes_lock = threading.Lock()


def zygote_for(worker_file: Path = DEFAULT_WORKER) -> Zygote:
    """The zygote serving ``worker_file`` (a test may give a worker of its own)."""
    key = str(worker_file)
    with _zygotes_lock:
        if key not in _zygotes:
            _zygotes[key] = Zygote(Path(worker_file))
        return _zygotes[key]


def sandbox_mode() -> str:
    """``GRADE_OS_SANDBOX``: "bubblewrap" (rather than grade's own namespaces), "off" (neither),
    "none" (no OS layer at all), or "" (the first layer that works)."""
    return os.environ.get(OS_SANDBOX_ENV, "").strip().lower()


def wanted() -> bool:
    """Whether grade's own namespaces may be used at all here (the setting, the architecture)."""
    return (sandbox_mode() not in ("off", "0", "no", "none", "bubblewrap")
            and os.uname().machine in ("x86_64", "aarch64") and sys.byteorder == "little")


def launch_early() -> None:
    """Start the default zygote now, without waiting: it imports numpy while the grader imports
    click, numpy and the suite (the first worker then costs a fork). Errors wait for the probe."""
    if wanted():
        try:
            zygote_for().launch()
        except (OSError, ZygoteError):
            pass


def base_env() -> dict[str, str]:
    """The environment of the zygote and of every worker, before the worker's home and TMPDIR."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8",
           # One BLAS thread: limits stay per process and a learner's matmul cannot eat every core.
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    env.update({k: os.environ[k] for k in PASS_THROUGH_ENV if k in os.environ})
    return env


def _pid_of(pidfd: int) -> int | None:
    """The host pid a pidfd refers to (for diagnostics: signals go through the pidfd itself)."""
    try:
        with open(f"/proc/self/fdinfo/{pidfd}") as handle:
            for line in handle:
                if line.startswith("Pid:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


class ForkedWorker:
    """A worker the zygote forked, seen through its keeper's status socket: ``poll``, ``wait`` and
    ``returncode`` as for a subprocess (128 + N when killed by signal N, as bubblewrap reports it),
    ``kill`` by pidfd (so a reused pid is never hit), ``stdout``/``stderr`` its output pipes."""

    def __init__(self, status: socket.socket, stdout, stderr):
        self._status = status
        self.stdout, self.stderr = stdout, stderr
        self.returncode: int | None = None
        self.setup_error: str | None = None
        self.keeper_lost = False
        """The keeper ended without reporting (the zygote died, say): the worker died with it."""
        self._pidfd: int | None = None
        self._pid: int | None = None

    def _read(self, timeout: float | None) -> bool:
        """Read one status message; False if none came within ``timeout``."""
        self._status.settimeout(timeout)
        try:
            data, fds, _, _ = socket.recv_fds(self._status, 4096, 1)
        except (socket.timeout, BlockingIOError):
            return False
        except OSError:
            data, fds = b"", []
        for fd in fds:
            if data[:1] == b"P" and self._pidfd is None:
                self._pidfd = fd
                self._pid = _pid_of(fd)
            else:
                os.close(fd)
        if not data:  # the keeper is gone: killed before it could say how the worker ended
            if self.returncode is None:
                self.returncode = 128 + signal.SIGKILL
                self.keeper_lost = True
        elif data[:1] == b"S":
            self.returncode = int(data[1:])
        elif data[:1] == b"E":
            self.setup_error = data[1:].decode("utf-8", "replace")
            self.returncode = 1
        return True

    @property
    def pid(self) -> int | None:
        """The worker's host pid, once its keeper has reported it (for diagnostics and tests)."""
        if self._pid is None and self._pidfd is None and self._status.fileno() >= 0:
            self.poll()
        return self._pid

    def poll(self) -> int | None:
        while self.returncode is None and self._read(0):
            pass
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.returncode is None:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise subprocess.TimeoutExpired("worker", timeout)
            self._read(remaining)
        return self.returncode

    def kill(self) -> None:
        self.poll()
        if self._pidfd is None:
            self._read(5)  # the keeper sends the pidfd right after it forked
        if self._pidfd is not None and self.returncode is None:
            try:
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def close(self) -> None:
        if self._pidfd is not None:
            os.close(self._pidfd)
            self._pidfd = None
        self._status.close()


def fork_worker(zygote: Zygote, attempt: Path, module_file: str, worker_config: dict, request_r: int,
                reply_w: int, *, mounts: list, env: dict[str, str], scratch_bytes: int,
                host_uid: int | None = None, probe: bool = False) -> ForkedWorker:
    """Start a worker for ``attempt`` in fresh namespaces: its scratch is a tmpfs of its own
    (``scratch_bytes``) holding only ``module_file`` (the attempt's bytes under the module's name).
    ``mounts``: what it sees (oslayer.sandbox_mounts); ``host_uid``: the uid it has outside its
    namespaces, for a root grader (None: the grader's own)."""
    scratch = f"/tmp/grade-{os.urandom(6).hex()}"
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    status, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    attempt_fd = os.open(attempt, os.O_RDONLY | os.O_CLOEXEC)
    request = {"mounts": mounts, "scratch": {"path": scratch, "bytes": scratch_bytes}, "file": module_file,
               "max_bytes": MAX_ATTEMPT_BYTES, "worker": worker_config,
               "env": dict(env, HOME=scratch, TMPDIR=scratch), "probe": probe, "host_uid": host_uid}
    try:
        zygote.fork(request, {"request": request_r, "reply": reply_w, "stdout": out_w,
                                               "stderr": err_w, "status": theirs.fileno(), "attempt": attempt_fd})
    except BaseException:
        for fd in (out_r, err_r):
            os.close(fd)
        status.close()
        raise
    finally:
        for fd in (out_w, err_w, attempt_fd):
            os.close(fd)
        theirs.close()
    return ForkedWorker(status, os.fdopen(out_r, "rb", buffering=0), os.fdopen(err_r, "rb", buffering=0))


def probe(zygote: Zygote, *, mounts: list, env: dict[str, str], scratch_bytes: int,
          host_uid: int | None = None) -> tuple[bool, str]:
    """(True, "") when ``zygote`` can make a worker's namespaces here, else (False, why not): one
    probe worker builds the whole sandbox, reports back and exits."""
    request_r, request_w = os.pipe()
    reply_r, reply_w = os.pipe()
    line = b""
    try:
        # An empty attempt; no temporary file (tempfile's import would wait for this process's own).
        child = fork_worker(zygote, Path(os.devnull), "probe.py", {}, request_r, reply_w, mounts=mounts, env=env,
                            scratch_bytes=scratch_bytes, host_uid=host_uid, probe=True)
    except (ZygoteError, OSError) as exc:
        os.close(reply_r)
        os.close(request_w)
        return False, str(exc)
    finally:
        for fd in (request_r, reply_w):
            os.close(fd)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not line.endswith(b"\n"):
            chunk = _read_with_deadline(reply_r, deadline)
            if not chunk:
                break
            line += chunk
    finally:
        os.close(reply_r)
        os.close(request_w)
        child.kill()
        child.wait(5)
        for stream in (child.stdout, child.stderr):
            stream.close()
        child.close()
    try:
        event = json.loads(line)
    except ValueError:
        event = {}
    if event.get("event") == "probe":
        return True, ""
    why = (event.get("message") or child.setup_error or "the probe worker died").strip().splitlines()
    return False, f"grade cannot make a worker's namespaces here ({why[-1][:160] if why else ''})"


def shutdown() -> None:
    """Stop every zygote (tests; the zygote dies with the grader anyway)."""
    with _zygotes_lock:
        for zygote in _zygotes.values():
            zygote.close()
        _zygotes.clear()

