"""The parent side of the sandbox: start a worker under limits, send it calls, read plain replies.

The attempt runs only in the child (``grader/worker.py``). The child runs under the OS layer
(``oslayer``: bubblewrap, or an unprivileged uid of its own) where one works, with a seccomp filter,
rlimits on CPU time, address space, file size and core dumps; a session and process group of its own,
killed (and reaped) when the session ends; a fresh scratch working directory holding only a copy of
the attempt and the worker; a clean environment; a wall-clock deadline per call; and capped
stdout/stderr. Replies are decoded strictly (``worker.decode``): nothing in them is executed, and
nothing the child says is a verdict.

The channel is untrusted: a reply is capped in bytes (by the size of the expected answer), pre-scanned
for nesting and value count before ``json.loads`` sees it, and any failure to read it is a failed
call, never an exception in the grader. What the attempt prints is kept per call (``Printed``), so a
report can tell what was printed after a hidden case's arguments reached the attempt.
"""

from __future__ import annotations

import json
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.sandbox import forkserver

from grader.sandbox import oslayer

from grader.sandbox import worker
from grader.sandbox.limits import Limits
from grader.record.vocabulary import Word
from grader.sandbox.worker import Unsupported

WORKER_FILE = oslayer.WORKER_FILE

#: What every session uses, reported in the ``sandbox`` field of a result.
LAYERS = ("process-group", "rlimits", "scratch-dir", "clean-env", "import-guard", "audit-hook")


def active_layers() -> list[str]:
    """The layers a session started now would use: LAYERS, the OS layer (or NO_OS_LAYER) and seccomp."""
    layer = oslayer.os_layer()
    own_uid = [oslayer.UID_OF_ITS_OWN] if layer == oslayer.NAMESPACES and oslayer.namespaces_own_uid() else []
    return (list(LAYERS) + [layer or oslayer.NO_OS_LAYER] + own_uid
            + (["seccomp"] if oslayer.seccomp_filter() else []))


class End(Word):
    """How a call (or the start of a worker) ended."""
    VALUE = "value"
    RAISED = "raised"
    TIMEOUT = "timeout"
    DIED = "died"
    """The worker's process ended (a signal, an exit) during the call."""
    TOO_LARGE = "too_large"
    """The reply was refused unread: larger than the expected answer could be."""
    BROKEN = "broken"
    """The channel carried something that is not a reply."""
    NO_SANDBOX = "no_sandbox"
    """The sandbox could not be built: the grader's failure, before the attempt ran."""


@dataclass
class CallEnd:
    """What became of one call (or of starting the worker)."""
    kind: End
    value: Any = None
    error: str | None = None
    mro: list[str] = field(default_factory=list)
    message: str = ""
    line: int | None = None
    seconds: float = 0.0
    inputs: tuple[list, dict] | None = None
    """The call's arguments as they were after it returned, when the call asked for them."""
    refused: str | None = None
    """The module the import guard refused, when that is what the call raised."""

    @property
    def ok(self) -> bool:
        return self.kind == End.VALUE


@dataclass
class Printed:
    """What the attempt wrote to stdout and stderr during one call (or while being imported)."""
    case: str | None
    """The case that was running, None while the attempt was being imported."""
    after_hidden: bool
    """Written after a hidden case's arguments reached the attempt: it may carry them."""
    data: bytearray = field(default_factory=bytearray)
    dropped: int = 0
    """Bytes read past the session's output cap and discarded."""


#: RLIMIT_NPROC of a worker whose uid is its own (counted per uid, so only then a cap on the worker).
PROCESSES_PER_OWN_UID = 16

#: How a worker that never ran begins its message: the grader's failure, not the attempt's.
SANDBOX_FAILED = "grade could not build the sandbox"

#: Bytes per value allowed on the channel: a float as JSON text is at most 24 characters and a
#: separator, an array element base64-encoded at most 11.
REPLY_BYTES_PER_VALUE = 32
#: Room for the reply's envelope and a small answer whatever the expected value is.
REPLY_BASE_BYTES = 64 * 1024
#: Values (list items, array elements, characters) of the reply's envelope besides the answer.
REPLY_BASE_VALUES = 256


def reply_cap(max_values: int, limits: Limits) -> int:
    """The bytes a reply holding at most ``max_values`` values may take on the channel."""
    return min(limits.reply_bytes, REPLY_BASE_BYTES + REPLY_BYTES_PER_VALUE * max_values)


#: "bubblewrap": bubblewrap rather than grade's own namespaces; "off": neither; "none": no OS layer.
OS_SANDBOX_ENV = oslayer.OS_SANDBOX_ENV


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
        self._reply = bytearray()
        self._kept_output = 0
        self.printed: list[Printed] = []
        self._case: str | None = None
        self.after_hidden = False
        """Set once a hidden case's arguments were sent (the caller sets it for a restarted worker)."""
        self._next_id = 0
        self.blocked: list[str] = []
        """What the worker's audit hook refused, as the attempt's own process reports it: it can forge
        or erase these, so they are only ever a reason to look, never a verdict."""
        self.observed: list[str] = []
        """What the grader itself saw the attempt run into (output discarded, replies refused)."""
        self.wrapped = False
        self.uid: int | None = None
        """The uid the worker runs as under the fallback OS layer (None: the grader's own)."""
        self._info_fd: int | None = None
        self._forked_uid: int | None = None
        """The uid a forked worker has outside its namespaces, when it has one of its own."""

    # -- life cycle -------------------------------------------------------------------------
    def start(self) -> CallEnd:
        """Start the worker and wait until it has imported the attempt (or failed to)."""
        self.spawn()
        return self.wait_ready()

    def spawn(self) -> None:
        """Start the worker without waiting: it imports numpy (unless forked) and the attempt meanwhile."""
        stem = self.attempt.stem if self.attempt.stem.isidentifier() else "attempt"
        forked = oslayer.namespaces()  # looked up at each spawn: a test can switch a layer off
        bwrap = None if forked else oslayer.bubblewrap()
        self.wrapped = forked or bool(bwrap)
        site, readable = oslayer.numpy_dirs()
        seccomp = oslayer.seccomp_filter()
        config = {"module": stem, "functions": list(self.functions),
                  "forbidden": list(self.forbidden), "paths": [site], "read_roots": readable,
                  # Outside a PID namespace the worker asks to die with the grader, then checks that
                  # the grader did not die before it asked (then its parent is no longer this process).
                  "parent": None if self.wrapped else os.getpid(),
                  "seccomp": seccomp.hex() if seccomp else None,
                  # The worker applies these itself before touching the attempt: no preexec_fn, which
                  # is unsafe when several sessions start from threads (batch grading).
                  "limits": {"memory_bytes": self.limits.memory_mb * 1024 * 1024,
                             "cpu_seconds": self.limits.cpu_seconds, "file_bytes": 16 * 1024 * 1024}}
        request_r, request_w = os.pipe()
        reply_r, reply_w = os.pipe()
        self._spawned_at = time.monotonic()
        try:
            if forked:
                if oslayer.namespaces_own_uid():
                    self._forked_uid = oslayer.take_uid(oslayer.FORKED_UIDS)
                    config["limits"]["processes"] = PROCESSES_PER_OWN_UID
                self.proc = forkserver.fork_worker(
                    oslayer.zygote(WORKER_FILE), self.attempt, f"{stem}.py", config, request_r, reply_w,
                    mounts=oslayer.sandbox_mounts(), env=oslayer.worker_env("/tmp"),
                    scratch_bytes=oslayer.SCRATCH_BYTES, host_uid=self._forked_uid)
            else:
                self._popen(config, stem, bwrap, request_r, reply_w)
        except BaseException:
            os.close(request_w)
            os.close(reply_r)
            self._release()
            raise
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

    def _popen(self, config: dict, stem: str, bwrap: str | None, request_r: int, reply_w: int) -> None:
        """Start a fresh interpreter for the worker, under bubblewrap, the fallback's uid, or neither."""
        self.scratch = oslayer.make_scratch()
        attempt_copy = Path(self.scratch) / f"{stem}.py"
        worker_copy = Path(self.scratch) / "_grade_worker.py"
        shutil.copyfile(self.attempt, attempt_copy)
        shutil.copyfile(WORKER_FILE, worker_copy)
        if not bwrap and oslayer.unprivileged_uid():
            self.uid = oslayer.take_uid()
            for path in (self.scratch, attempt_copy, worker_copy):
                os.chown(path, self.uid, self.uid)
            config["limits"]["processes"] = PROCESSES_PER_OWN_UID
        config.update(attempt=str(attempt_copy), request_fd=request_r, reply_fd=reply_w)
        info_r, info_w = os.pipe() if bwrap else (None, None)
        fds = (request_r, reply_w) + ((info_w,) if bwrap else ())
        try:
            prefix = (oslayer.bubblewrap_args(bwrap, self.scratch, [str(attempt_copy), str(worker_copy)],
                                              info_fd=info_w) if bwrap else [])
            as_uid = {"user": self.uid, "group": self.uid, "extra_groups": []} if self.uid is not None else {}
            self.proc = subprocess.Popen(
                prefix + [os.path.realpath(sys.executable), "-I", "-S", "-B", "_grade_worker.py",
                          json.dumps(config)],
                cwd=self.scratch, env=oslayer.worker_env(self.scratch), stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, pass_fds=fds,
                start_new_session=True, **as_uid)
        except BaseException:
            if info_r is not None:
                os.close(info_r)
            raise
        finally:
            if info_w is not None:
                os.close(info_w)
        self._info_fd = info_r

    def wait_ready(self) -> CallEnd:
        started = self._spawned_at
        message, why = self._read_reply(started + self.limits.import_seconds, max_values=1000)
        seconds = time.monotonic() - started
        if message is None:
            if why == "died" and isinstance(self.proc, forkserver.ForkedWorker):
                try:
                    self.proc.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    pass
                if self.proc.setup_error:  # the keeper failed before there was a worker
                    lines = self.proc.setup_error.strip().splitlines() or ["?"]
                    return CallEnd(kind=End.NO_SANDBOX, message=f"{SANDBOX_FAILED} ({lines[-1][:200]})",
                                   seconds=seconds)
            if why == "died" and isinstance(self.proc, subprocess.Popen) and self.wrapped:
                self._drain_output()
                said = self.output.lstrip()
                if said.startswith("bwrap: "):  # bubblewrap's own error, before the worker ran at all
                    self.proc.wait()
                    return CallEnd(kind=End.NO_SANDBOX, seconds=seconds, message=(
                        f"{SANDBOX_FAILED} ({said.splitlines()[0][:200]})"))
            return CallEnd(kind=End(why), message=self._died_message(why, "while being imported"),
                           seconds=seconds)
        if message.get("event") == "ready":
            return CallEnd(kind=End.VALUE, value=message.get("functions", []), seconds=seconds)
        if message.get("event") == "import_failed":
            return self._raised(message, seconds)
        if message.get("event") == "setup_failed" and isinstance(message.get("message"), str):
            # Written by the zygote's own code before the attempt was read: the grader's failure.
            lines = message["message"].strip().splitlines() or ["?"]
            return CallEnd(kind=End.NO_SANDBOX, message=f"{SANDBOX_FAILED} ({lines[-1][:200]})", seconds=seconds)
        return CallEnd(kind=End.BROKEN, message="the worker sent an unexpected message", seconds=seconds)

    def close(self) -> None:
        if self.proc is not None:
            self._kill()
            for stream in (self.proc.stdout, self.proc.stderr):
                stream.close()
            self._selector.close()
            self._requests.close()
            os.close(self._reply_fd)
            self.proc = None
        self._release()

    def _kill(self) -> None:
        """Kill the worker and everything it started, and reap what this process started."""
        if isinstance(self.proc, forkserver.ForkedWorker):
            # PID 1 of its namespace: the kernel takes every other process of the attempt with it.
            self.proc.kill()
            self.proc.wait()
            self.proc.close()
            return
        if self.wrapped:
            # The sandboxed worker first: bwrap then reaps it and exits, and its namespace takes every
            # other process of the attempt with it. Killing bwrap first would orphan the worker.
            child = oslayer.bwrap_child_pid(self._info_fd)
            if child is not None and self.proc.poll() is None:
                oslayer.kill_child_of(self.proc.pid, child)
                try:
                    self.proc.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    pass
            os.close(self._info_fd)
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        if self.uid is not None:
            oslayer.kill_all_of(self.uid)  # what left the process group (setsid) dies too

    def _release(self) -> None:
        if self.scratch:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None
        for uid in (self.uid, self._forked_uid):
            if uid is not None:
                oslayer.release_uid(uid)
        self.uid = self._forked_uid = None

    def __enter__(self) -> "WorkerSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- calls ------------------------------------------------------------------------------
    def call(self, func: str, args: tuple, kwargs: dict, timeout: float, *, case: str | None = None,
             hidden: bool = False, max_values: int = worker.MAX_ELEMENTS, echo_inputs: bool = False) -> CallEnd:
        """Run one call. ``case`` labels what the attempt prints meanwhile; ``hidden`` marks everything
        it produces from now on as possibly carrying hidden data; a reply holding more than
        ``max_values`` values (list items, array elements, characters) is refused unread;
        ``echo_inputs`` asks for the arguments back after the call (to see what it changed in place)."""
        self._next_id += 1
        request = {"id": self._next_id, "func": func, "args": [worker.encode(a) for a in args],
                   "kwargs": {k: worker.encode(v) for k, v in kwargs.items()}}
        if echo_inputs:
            request["echo_inputs"] = True
        self._case = case
        self.after_hidden = self.after_hidden or hidden
        started = time.monotonic()
        try:
            self._requests.write(json.dumps(request).encode() + b"\n")
        except (BrokenPipeError, OSError):
            self.proc.wait()
            return CallEnd(kind=End.DIED, message=self._died_message("died", "before the call"))
        message, why = self._read_reply(started + timeout, max_values)
        seconds = time.monotonic() - started
        if message is None:
            return CallEnd(kind=End(why), message=self._died_message(why, "during the call", timeout), seconds=seconds)
        if message.get("id") != self._next_id:
            return CallEnd(kind=End.BROKEN, message="the worker's reply did not match the call", seconds=seconds)
        if message.get("ok") is True:
            try:
                value = worker.decode(message.get("value"), unsupported=Unsupported, max_elements=max_values)
                inputs = self._decode_inputs(message.get("inputs"), max_values) if echo_inputs else None
            except worker.WireError as exc:
                self._observe(f"reply refused: {exc}")
                return CallEnd(kind=End.BROKEN, message=f"the returned value could not be read ({exc})",
                               seconds=seconds)
            except Exception as exc:  # noqa: BLE001  whatever the reply does to the decoder, it is the attempt's failure
                self._observe(f"reply refused: {type(exc).__name__} while decoding")
                return CallEnd(kind=End.BROKEN, message="the returned value could not be read", seconds=seconds)
            return CallEnd(kind=End.VALUE, value=value, seconds=seconds, inputs=inputs)
        return self._raised(message, seconds)

    @property
    def lost_with_its_sandbox(self) -> bool:
        """The worker died because its keeper did (the zygote ended, say), which nothing the attempt
        can reach causes: the grader may start it again without counting it against the attempt."""
        return isinstance(self.proc, forkserver.ForkedWorker) and self.proc.keeper_lost

    @property
    def output(self) -> str:
        """Everything kept of what the attempt printed, in the order it was read."""
        return b"".join(bytes(p.data) for p in self.printed).decode("utf-8", "replace")

    # -- internals --------------------------------------------------------------------------
    def _observe(self, what: str) -> None:
        if what not in self.observed and len(self.observed) < 20:
            self.observed.append(what)

    @staticmethod
    def _decode_inputs(data, max_values: int) -> tuple[list, dict]:
        if (not isinstance(data, dict) or set(data) != {"args", "kwargs"} or not isinstance(data["args"], list)
                or not isinstance(data["kwargs"], dict)):
            raise worker.WireError("the arguments sent back are malformed")
        return ([worker.decode(a, unsupported=Unsupported, max_elements=max_values) for a in data["args"]],
                {str(k): worker.decode(v, unsupported=Unsupported, max_elements=max_values) for k, v in data["kwargs"].items()})

    def _note_blocked(self, message: dict) -> None:
        blocked = message.get("blocked")
        if isinstance(blocked, list):
            for item in blocked[:20]:
                if isinstance(item, str):
                    text = scrub_paths(item[:200])
                    if text not in self.blocked:
                        self.blocked.append(text)

    def _raised(self, message: dict, seconds: float) -> CallEnd:
        def text(value, limit: int, default: str = "") -> str:
            # Only strings are taken, cut before any other work: str() of an arbitrary value is not.
            return value[:limit] if isinstance(value, str) else default

        mro = message.get("mro")
        line = message.get("line")
        refused = message.get("refused")
        return CallEnd(kind=End.RAISED, error=text(message.get("error"), 100, "Exception"),
                       refused=refused if isinstance(refused, str) and refused.isidentifier() else None,
                       mro=[text(m, 100) for m in mro[:64]] if isinstance(mro, list) else [],
                       message=text(message.get("message"), 500),
                       line=line if type(line) is int and 0 < line < 10**7 else None, seconds=seconds)

    def _died_message(self, why: str, when: str, timeout: float | None = None) -> str:
        if why == "timeout":
            limit = timeout if timeout is not None else self.limits.import_seconds
            self._observe(f"worker stopped at the {limit:g} s time limit")
            return f"timed out after {limit:g} s {when}"
        if why == "too_large":
            return "returned a value far larger than the expected answer"
        if why == "broken":
            return "wrote something to the grader's channel that is not a reply"
        try:
            self.proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            pass
        how = describe_exit(self.proc.returncode, self.wrapped)
        if getattr(self.proc, "keeper_lost", False):
            how = "was stopped with its sandbox (the sandbox's keeper ended first)"
        self._observe(f"worker {how}")
        return f"the attempt {how} {when}"

    def _read_reply(self, deadline: float, max_values: int = worker.MAX_ELEMENTS) -> tuple[dict | None, str]:
        """Wait for one reply line; meanwhile drain stdout/stderr (kept up to the cap). The line is
        refused unread past ``reply_cap(max_values)`` bytes, and refused undecoded when its nesting or
        value count is out of bounds; nothing a reply holds can raise here."""
        buffer = self._reply
        cap = reply_cap(max_values, self.limits)
        searched = 0
        while True:
            newline = buffer.find(b"\n", searched)
            if newline > cap or (newline < 0 and len(buffer) > cap):
                self._observe(f"reply refused: more than {cap} bytes")
                return None, "too_large"
            if newline >= 0:
                line = bytes(buffer[:newline])
                del buffer[: newline + 1]
                message, why = self._parse(line, max_values + REPLY_BASE_VALUES)
                self._drain_output()  # what the call printed before replying is in the pipes by now
                return message, why
            searched = len(buffer)
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
                else:
                    self._keep_output(key, chunk)

    def _parse(self, line: bytes, max_values: int) -> tuple[dict | None, str]:
        # A tuple is two levels of JSON; the envelope adds one.
        problem = prescan(line, max_values=max_values, max_depth=2 * worker.MAX_DEPTH + 4)
        if problem:
            self._observe(f"reply refused: {problem}")
            return None, "broken"
        try:
            message = json.loads(line)
        except Exception as exc:  # noqa: BLE001  RecursionError, MemoryError, UnicodeError: all unreadable
            self._observe(f"reply refused: {type(exc).__name__} while reading it")
            return None, "broken"
        if not isinstance(message, dict):
            return None, "broken"
        self._note_blocked(message)
        return message, ""

    def _keep_output(self, key, chunk: bytes) -> None:
        """Keep ``chunk`` (up to the session's cap) in the record of the call now running."""
        if not chunk:
            self._selector.unregister(key.fileobj)
            return
        current = self.printed[-1] if self.printed else None
        if current is None or (current.case, current.after_hidden) != (self._case, self.after_hidden):
            current = Printed(self._case, self.after_hidden)
            self.printed.append(current)
        room = max(0, self.limits.output_bytes - self._kept_output)
        current.data += chunk[:room]
        current.dropped += max(0, len(chunk) - room)
        self._kept_output += min(room, len(chunk))
        if len(chunk) > room:
            self._observe("output past the cap discarded")

    def _drain_output(self) -> None:
        """Read what is already waiting on stdout/stderr, without blocking (a bounded amount)."""
        for stream in (self.proc.stdout, self.proc.stderr):
            for _ in range(8):
                try:
                    key = self._selector.get_key(stream)
                except (KeyError, ValueError):
                    break
                try:
                    chunk = os.read(key.fd, 1 << 20)
                except (BlockingIOError, OSError):
                    break
                self._keep_output(key, chunk)
                if not chunk:
                    break


#: A JSON string (escapes included), a bracket, or a quote that starts no complete string.
_JSON_TOKEN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]|"')


def prescan(line: bytes, *, max_values: int, max_depth: int) -> str | None:
    """Why ``line`` must not be handed to ``json.loads`` (None if it may), in time linear in its length.

    Every JSON value but the first of a container follows a comma and every container opens with a
    bracket, so commas + brackets + 1 bounds the values (counted by ``bytes.count``, in C). The depth
    walk visits only strings and brackets, whose number that bound also caps."""
    values = line.count(b",") + line.count(b"[") + line.count(b"{") + 1
    if values > max_values:
        return f"more than {max_values} values"
    depth = 0
    for token in _JSON_TOKEN.finditer(line):
        first = token.group()[:1]
        if first in b"[{":
            depth += 1
            if depth > max_depth:
                return f"nested deeper than {max_depth}"
        elif first in b"]}":
            depth -= 1
        elif len(token.group()) == 1:
            return "an unterminated string"
    return None


#: A scratch directory's own component; only a literal "/grade-" starts a match, and the name cannot
#: hold a "/", so scanning for it is linear.
_SCRATCH_NAME = re.compile(r"/grade-[^/\s]+/")
_WORD = re.compile(r"\S+")


def _scrub_word(match: re.Match) -> str:
    word = match.group()
    if "/grade-" not in word:
        return word
    kept, start = [], 0
    for name in _SCRATCH_NAME.finditer(word):
        slash = word.find("/", start, name.start())  # the path starts at the first "/" before it
        if slash < 0:
            continue
        kept.append(word[start:slash])
        start = name.end()
    return "".join(kept) + word[start:]


def scrub_paths(text: str) -> str:
    """Remove the scratch directory (``.../grade-XXXX/``) from messages so they name only the learner's
    file. Linear in the text's length: it runs on whatever the attempt printed."""
    return _WORD.sub(_scrub_word, text)
