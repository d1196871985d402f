"""The parent side of the sandbox: start a worker under limits, send it calls, read plain replies.

The attempt runs only in the child (``grader/worker.py``). The child gets rlimits on CPU time,
address space, file size and core dumps; a session and process group of its own, killed whole when
the session ends; a scratch working directory holding only a copy of the attempt and the worker; a
clean environment; a wall-clock deadline per call; and capped stdout/stderr. Replies are decoded
strictly (``worker.decode``): nothing in them is executed, and nothing the child says is a verdict.
"""

from __future__ import annotations

import functools
import json
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.engine import worker
from grader.engine.compare import Unsupported

WORKER_FILE = Path(worker.__file__)

#: What every session uses, reported in the ``sandbox`` field of a result.
LAYERS = ("process-group", "rlimits", "scratch-dir", "clean-env", "import-guard", "audit-hook")


def active_layers() -> list[str]:
    """The layers a session started now would use: LAYERS, plus bubblewrap where it works."""
    return list(LAYERS) + (["bubblewrap"] if bubblewrap() else [])

#: Environment variables passed through to the child: BLAS settings some CPUs need to run numpy at all.
PASS_THROUGH_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "LANG", "LC_ALL", "TZ")


@dataclass(frozen=True)
class Limits:
    """Defaults sized so that a plain-loop answer passes and an infinite loop is noticed quickly."""
    case_seconds: float = 3.0
    """Wall clock per call, unless a case sets its own."""
    import_seconds: float = 10.0
    """Wall clock for starting the interpreter and importing the attempt."""
    cpu_seconds: int = 60
    """CPU time for one worker process (RLIMIT_CPU): a backstop behind the wall clock."""
    memory_mb: int = 1024
    """Address space of the worker (RLIMIT_AS)."""
    output_bytes: int = 64 * 1024
    """What is kept of the attempt's stdout and stderr; the rest is read and discarded."""
    reply_bytes: int = 256 * 1024 * 1024
    """The largest reply accepted (a returned array, base64-encoded)."""
    total_seconds: float = 120.0
    """Wall clock for all the cases of one attempt."""
    consecutive_limit_hits: int = 2
    """After this many cases in a row time out, run out of memory or crash, the rest are not run."""


@dataclass
class Outcome:
    """What became of one call (or of starting the worker)."""
    kind: str  # "value", "raised", "timeout", "died", "broken"
    value: Any = None
    error: str | None = None
    mro: list[str] = field(default_factory=list)
    message: str = ""
    line: int | None = None
    seconds: float = 0.0
    inputs: tuple[list, dict] | None = None
    """The call's arguments as they were after it returned, when the call asked for them."""

    @property
    def ok(self) -> bool:
        return self.kind == "value"


def _clean_env(scratch: str) -> dict[str, str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": scratch, "TMPDIR": scratch, "PYTHONDONTWRITEBYTECODE": "1",
           "PYTHONIOENCODING": "utf-8",
           # One BLAS thread: limits stay per process and a learner's matmul cannot eat every core.
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    env.update({k: os.environ[k] for k in PASS_THROUGH_ENV if k in os.environ})
    return env


def _numpy_paths() -> tuple[list[str], list[str]]:
    """The site directory the worker imports numpy from, and the only parts of it the attempt may read."""
    import numpy

    package = Path(numpy.__file__).resolve().parent
    readable = [str(p) for p in (package, package.with_name("numpy.libs")) if p.is_dir()]
    return [str(package.parent)], readable


#: Set to "off" to run without bubblewrap even where it works (to debug an attempt, say).
OS_SANDBOX_ENV = "GRADE_OS_SANDBOX"


@functools.lru_cache(maxsize=1)
def bubblewrap() -> str | None:
    """bwrap's path if it is installed and can make namespaces here (containers often forbid it)."""
    path = shutil.which("bwrap")
    if not path or os.environ.get(OS_SANDBOX_ENV, "").lower() in ("off", "0", "no"):
        return None
    probe = subprocess.run([path, "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent", "true"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return path if probe.returncode == 0 else None


def bubblewrap_args(bwrap: str, scratch: str) -> list[str]:
    """A view of the filesystem with only the system libraries, the Python installation and numpy,
    read-only; the scratch directory writable; no network; its own process tree."""
    args = [bwrap, "--unshare-all", "--die-with-parent", "--proc", "/proc", "--dev", "/dev",
            "--tmpfs", "/tmp"]
    for path in ("/usr", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime"):
        args += ["--ro-bind-try", path, path]
    for path in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    python = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.realpath(sys.executable))}
    site, _ = _numpy_paths()
    for path in sorted(python | set(site)):
        args += ["--ro-bind-try", path, path]
    return args + ["--bind", scratch, scratch, "--chdir", scratch, "--"]


def describe_exit(returncode: int | None, wrapped: bool = False) -> str:
    if returncode is None:
        return "stopped responding"
    if wrapped and returncode > 128:
        # bubblewrap reports a child killed by signal N as exit status 128 + N, like a shell.
        returncode = -(returncode - 128)
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        reason = {"SIGXCPU": " (CPU time limit)", "SIGKILL": " (killed: memory or time limit)",
                  "SIGSEGV": " (segmentation fault)", "SIGXFSZ": " (file size limit)"}.get(name, "")
        return f"crashed with {name}{reason}"
    return f"exited with status {returncode}"


class WorkerSession:
    """One worker process for one attempt. Use as a context manager: leaving it kills the whole group."""

    def __init__(self, attempt: Path, *, functions: tuple[str, ...], forbidden: tuple[str, ...],
                 limits: Limits):
        self.attempt = Path(attempt)
        self.functions = functions
        self.forbidden = forbidden
        self.limits = limits
        self.proc: subprocess.Popen | None = None
        self.scratch: str | None = None
        self._buffers: dict[int, bytearray] = {}
        self._output = {"stdout": bytearray(), "stderr": bytearray()}
        self._next_id = 0
        self.blocked: list[str] = []
        self.wrapped = False
        """What the worker's audit hook refused (as the child reports it: only ever a reason to fail)."""

    # -- life cycle -------------------------------------------------------------------------
    def start(self) -> Outcome:
        """Start the worker and wait until it has imported the attempt (or failed to)."""
        self.spawn()
        return self.wait_ready()

    def spawn(self) -> None:
        """Start the worker without waiting: it imports numpy and the attempt meanwhile."""
        self.scratch = tempfile.mkdtemp(prefix="grade-")
        stem = self.attempt.stem if self.attempt.stem.isidentifier() else "attempt"
        attempt_copy = Path(self.scratch) / f"{stem}.py"
        shutil.copyfile(self.attempt, attempt_copy)
        shutil.copyfile(WORKER_FILE, Path(self.scratch) / "_grade_worker.py")
        request_r, request_w = os.pipe()
        reply_r, reply_w = os.pipe()
        site, readable = _numpy_paths()
        config = {"attempt": str(attempt_copy), "module": stem, "functions": list(self.functions),
                  "forbidden": list(self.forbidden), "paths": site, "read_roots": readable,
                  "request_fd": request_r, "reply_fd": reply_w,
                  # The worker applies these itself before touching the attempt: no preexec_fn, which
                  # is unsafe when several sessions start from threads (batch grading).
                  "limits": {"memory_bytes": self.limits.memory_mb * 1024 * 1024,
                             "cpu_seconds": self.limits.cpu_seconds, "file_bytes": 16 * 1024 * 1024}}
        self._spawned_at = time.monotonic()
        try:
            bwrap = bubblewrap()
            prefix = bubblewrap_args(bwrap, self.scratch) if bwrap else []
            self.wrapped = bool(bwrap)
            self.proc = subprocess.Popen(
                prefix + [sys.executable, "-I", "-S", "-B", "_grade_worker.py", json.dumps(config)],
                cwd=self.scratch, env=_clean_env(self.scratch), stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, pass_fds=(request_r, reply_w),
                start_new_session=True)
        finally:
            os.close(request_r)
            os.close(reply_w)
        self._requests = os.fdopen(request_w, "wb", buffering=0)
        self._reply_fd = reply_r
        os.set_blocking(reply_r, False)
        for stream in (self.proc.stdout, self.proc.stderr):
            os.set_blocking(stream.fileno(), False)
        self._selector = selectors.DefaultSelector()
        self._selector.register(reply_r, selectors.EVENT_READ, "reply")
        self._selector.register(self.proc.stdout, selectors.EVENT_READ, "stdout")
        self._selector.register(self.proc.stderr, selectors.EVENT_READ, "stderr")

    def wait_ready(self) -> Outcome:
        started = self._spawned_at
        message, why = self._read_reply(started + self.limits.import_seconds)
        seconds = time.monotonic() - started
        if message is None:
            return Outcome(kind=why, message=self._died_message(why, "while being imported"),
                           seconds=seconds)
        if message.get("event") == "ready":
            return Outcome(kind="value", value=message.get("functions", []), seconds=seconds)
        if message.get("event") == "import_failed":
            return self._raised(message, seconds)
        return Outcome(kind="broken", message="the worker sent an unexpected message", seconds=seconds)

    def close(self) -> None:
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.proc.wait()
            for stream in (self.proc.stdout, self.proc.stderr):
                stream.close()
            self._selector.close()
            self._requests.close()
            os.close(self._reply_fd)
            self.proc = None
        if self.scratch:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None

    def __enter__(self) -> "WorkerSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- calls ------------------------------------------------------------------------------
    def call(self, func: str, args: tuple, kwargs: dict, timeout: float, echo_inputs: bool = False) -> Outcome:
        self._next_id += 1
        request = {"id": self._next_id, "func": func, "args": [worker.encode(a) for a in args],
                   "kwargs": {k: worker.encode(v) for k, v in kwargs.items()}}
        if echo_inputs:
            request["echo_inputs"] = True
        started = time.monotonic()
        try:
            self._requests.write(json.dumps(request).encode() + b"\n")
        except (BrokenPipeError, OSError):
            self.proc.wait()
            return Outcome(kind="died", message=self._died_message("died", "before the call"))
        message, why = self._read_reply(started + timeout)
        seconds = time.monotonic() - started
        if message is None:
            return Outcome(kind=why, message=self._died_message(why, "during the call", timeout), seconds=seconds)
        if message.get("id") != self._next_id:
            return Outcome(kind="broken", message="the worker's reply did not match the call", seconds=seconds)
        if message.get("ok") is True:
            try:
                value = worker.decode(message.get("value"), unsupported=Unsupported)
                inputs = self._decode_inputs(message.get("inputs")) if echo_inputs else None
            except worker.WireError as exc:
                return Outcome(kind="broken", message=f"the returned value could not be read ({exc})",
                               seconds=seconds)
            return Outcome(kind="value", value=value, seconds=seconds, inputs=inputs)
        return self._raised(message, seconds)

    @property
    def output(self) -> str:
        out = (self._output["stdout"] + self._output["stderr"]).decode("utf-8", "replace")
        return out

    # -- internals --------------------------------------------------------------------------
    @staticmethod
    def _decode_inputs(data) -> tuple[list, dict]:
        if (not isinstance(data, dict) or set(data) != {"args", "kwargs"} or not isinstance(data["args"], list)
                or not isinstance(data["kwargs"], dict)):
            raise worker.WireError("the arguments sent back are malformed")
        return ([worker.decode(a, unsupported=Unsupported) for a in data["args"]],
                {str(k): worker.decode(v, unsupported=Unsupported) for k, v in data["kwargs"].items()})

    def _note_blocked(self, message: dict) -> None:
        blocked = message.get("blocked")
        if isinstance(blocked, list):
            for item in blocked[:20]:
                text = scrub_paths(str(item)[:200])
                if text not in self.blocked:
                    self.blocked.append(text)

    def _raised(self, message: dict, seconds: float) -> Outcome:
        mro = message.get("mro")
        line = message.get("line")
        return Outcome(kind="raised", error=str(message.get("error", "Exception"))[:100],
                       mro=[str(m)[:100] for m in mro] if isinstance(mro, list) else [],
                       message=str(message.get("message", ""))[:500],
                       line=line if isinstance(line, int) else None, seconds=seconds)

    def _died_message(self, why: str, when: str, timeout: float | None = None) -> str:
        if why == "timeout":
            limit = timeout if timeout is not None else self.limits.import_seconds
            return f"timed out after {limit:g} s {when}"
        if why == "too_large":
            return "returned a value larger than the grader accepts"
        if why == "broken":
            return "wrote something to the grader's channel that is not a reply"
        try:
            self.proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            pass
        return f"the attempt {describe_exit(self.proc.returncode, self.wrapped)} {when}"

    def _read_reply(self, deadline: float) -> tuple[dict | None, str]:
        """Wait for one reply line; meanwhile drain stdout/stderr (kept up to the cap)."""
        buffer = self._buffers.setdefault(self._reply_fd, bytearray())
        while True:
            if b"\n" in buffer:
                line, _, rest = bytes(buffer).partition(b"\n")
                buffer[:] = rest
                try:
                    message = json.loads(line)
                except ValueError:
                    return None, "broken"
                if not isinstance(message, dict):
                    return None, "broken"
                self._note_blocked(message)
                return message, ""
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None, "timeout"
            events = self._selector.select(timeout=min(remaining, 0.5))
            for key, _ in events:
                try:
                    chunk = os.read(key.fd, 1 << 20)
                except BlockingIOError:
                    continue
                if key.data == "reply":
                    if not chunk:
                        return None, "died"
                    buffer += chunk
                    if len(buffer) > self.limits.reply_bytes:
                        return None, "too_large"
                else:
                    kept = self._output[key.data]
                    if not chunk:
                        self._selector.unregister(key.fileobj)
                    elif len(kept) < self.limits.output_bytes:
                        kept += chunk[: self.limits.output_bytes - len(kept)]


_SCRATCH_PATH = re.compile(r"/\S*?/grade-[^/\s]+/")


def scrub_paths(text: str) -> str:
    """Remove the scratch directory from messages so they name only the learner's file."""
    return _SCRATCH_PATH.sub("", text)
