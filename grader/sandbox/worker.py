"""The child side of the sandbox: the only code that imports an attempt.

This file runs as a plain script in a fresh interpreter (``python -I -S``), copied into the scratch
directory, or is imported by the zygote (``zygote.py``) and run in a child it forked, so it must not
import the ``grader`` package. The parent imports it too, for the wire
format (``encode``/``decode``), which both sides share so that they cannot drift apart.

Protocol: one JSON object per line. The parent writes requests ``{"id", "func", "args", "kwargs"}``
on the request descriptor; the worker answers on the response descriptor, first with
``{"event": "ready"}`` or ``{"event": "import_failed", ...}`` and then one reply per request. Values
cross as JSON with numeric arrays tagged and base64-encoded: never pickle, so nothing the attempt
returns can run code in the parent.
"""

import base64
import json
import os
import sys
import traceback

MAX_DEPTH = 32
MAX_ELEMENTS = 50_000_000
#: Only plain numeric dtypes cross the wire, never object arrays.
DTYPE_KINDS = "biuf"


class Unsupported:
    """Stands for a value the worker could not turn into plain data (a generator, an object...)."""

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<{self.type_name}>"


class WireError(ValueError):
    """A message that does not follow the wire format (a broken or tampering child)."""


def encode(value, depth=0):
    """Turn a value into JSON-able plain data. Anything unexpected becomes an ``__unsupported__`` tag."""
    import numpy as np

    if depth > MAX_DEPTH:
        return {"__unsupported__": "structure nested too deeply"}
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.generic):
        # Kept a numpy scalar on the other side (np.int64(5) is a legal ksize, np.float64 is a float):
        # the type travels as its dtype, the value as plain data.
        if value.dtype.kind in DTYPE_KINDS:
            return {"__scalar__": value.dtype.str, "value": value.item()}
        return {"__unsupported__": f"numpy {type(value).__name__}"}
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, np.ndarray):
        # ndarray.view is looked up on the base class, so a subclass cannot lie about its data here.
        arr = np.ndarray.view(value, np.ndarray)
        if arr.dtype.kind not in DTYPE_KINDS:
            return {"__unsupported__": f"array of dtype {arr.dtype}"}
        arr = np.ascontiguousarray(arr)
        return {"__ndarray__": arr.dtype.str, "shape": list(arr.shape),
                "data": base64.b64encode(arr.tobytes()).decode("ascii")}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v, depth + 1) for v in value]}
    if isinstance(value, list):
        return [encode(v, depth + 1) for v in value]
    return {"__unsupported__": type(value).__name__}


def decode(data, depth=0, unsupported=None, max_elements=MAX_ELEMENTS):
    """Strictly rebuild a value from ``encode``'s output; raise WireError on anything else, and on more
    than ``max_elements`` values in all (list items, array elements), checked before building them."""
    return _decode(data, depth, unsupported, [max_elements])


def _spend(budget, count):
    budget[0] -= count
    if budget[0] < 0:
        raise WireError("more values than the expected answer could hold")


def _decode(data, depth, unsupported, budget):
    import numpy as np

    if depth > MAX_DEPTH:
        raise WireError("nested too deeply")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        _spend(budget, len(data))
        return [_decode(v, depth + 1, unsupported, budget) for v in data]
    if not isinstance(data, dict):
        raise WireError(f"unexpected {type(data).__name__}")
    if set(data) == {"__tuple__"} and isinstance(data["__tuple__"], list):
        _spend(budget, len(data["__tuple__"]))
        return tuple(_decode(v, depth + 1, unsupported, budget) for v in data["__tuple__"])
    if set(data) == {"__unsupported__"}:
        name = data["__unsupported__"]
        name = name[:100] if isinstance(name, str) else "value"
        return unsupported(name) if unsupported else name
    if set(data) == {"__scalar__", "value"}:
        try:
            dtype = np.dtype(str(data["__scalar__"]))
        except TypeError:
            raise WireError("bad dtype") from None
        value = data["value"]
        if dtype.kind not in DTYPE_KINDS or isinstance(value, (dict, list, str)) or value is None:
            raise WireError("bad scalar")
        try:
            return dtype.type(value)
        except (TypeError, ValueError, OverflowError):
            raise WireError("bad scalar") from None
    if set(data) == {"__ndarray__", "shape", "data"}:
        dtype_name = data["__ndarray__"]
        try:
            dtype = np.dtype(dtype_name[:16] if isinstance(dtype_name, str) else "")
        except TypeError:
            raise WireError("bad dtype") from None
        shape = data["shape"]
        if (dtype.kind not in DTYPE_KINDS or dtype.hasobject or not isinstance(shape, list)
                or len(shape) > 8 or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0
                                             for n in shape)):
            raise WireError("bad array header")
        count = 1
        for n in shape:
            count *= n
        if count > MAX_ELEMENTS:
            raise WireError("array too large")
        _spend(budget, count)
        if not isinstance(data["data"], str) or len(data["data"]) != 4 * -(-count * dtype.itemsize // 3):
            raise WireError("array data does not match its shape")
        try:
            raw = base64.b64decode(data["data"], validate=True)
        except ValueError:
            raise WireError("bad array data") from None
        if len(raw) != count * dtype.itemsize:
            raise WireError("array data does not match its shape")
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    raise WireError("unknown object")


#: How a refused exercise library is reported; batch reports look for it to list such attempts.
REFUSED_PHRASE = "is not allowed in this exercise"

#: Modules refused because they would take the attempt around the sandbox or to the answers, not
#: because they solve the exercise. ctypes is already imported by numpy and _posixsubprocess's
#: fork_exec raises no audit event, so a fresh import of either must be refused. (numpy.testing
#: imports subprocess, so it is unavailable too.)
SANDBOX_REFUSED = ("ctypes", "_ctypes", "_posixsubprocess", "grader", "solutions", "exercises")


class RefusedImport(ImportError):
    """A module the exercise or the sandbox refuses: the grader reads the kind from this class's name
    in the reply and the module from its ``refused`` field, never from the message."""


def _install_import_guard(forbidden):
    """Refuse forbidden modules however they are imported: a meta-path finder catches the import
    statement, importlib and __import__; the audit hook (which cannot be removed) catches the rest."""
    import importlib.abc

    refused = frozenset(forbidden) | frozenset(SANDBOX_REFUSED)

    def message(name):
        if name in SANDBOX_REFUSED:
            return f"'{name}' cannot be imported in grade's sandbox (it reaches outside it)."
        return (f"'{name}' {REFUSED_PHRASE}: it would solve it for you. "
                "Write it by hand with Python and numpy.")

    class RefuseForbidden(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname, path=None, target=None):
            top = fullname.partition(".")[0]
            if top in refused:
                raise RefusedImport(message(top), name=fullname)
            return None

    def audit(event, args):
        if event == "import" and args and isinstance(args[0], str):
            top = args[0].partition(".")[0]
            if top in refused:
                raise RefusedImport(message(top), name=args[0])

    for name in list(sys.modules):
        if name.partition(".")[0] in refused:
            del sys.modules[name]
    sys.meta_path.insert(0, RefuseForbidden())
    sys.addaudithook(audit)


#: Audit events refused outright once the attempt is being imported: starting processes, signalling
#: the grader, the network, and the introspection that could reach the worker's own objects.
REFUSED_EVENTS = frozenset({
    "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "subprocess.Popen",
    "pty.spawn", "os.kill", "os.killpg", "signal.pthread_kill", "os.startfile",
    "socket.__new__", "socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg",
    "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr", "socket.gethostname",
    "gc.get_objects", "gc.get_referrers", "gc.get_referents", "sys._current_frames",
    "urllib.Request", "http.client.connect", "ftplib.connect", "smtplib.connect",
})
#: Audit events that name a path in ``args[0]`` and change the filesystem: allowed in the scratch only.
WRITE_EVENTS = frozenset({
    "os.remove", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.truncate", "os.utime", "os.link",
    "os.symlink", "os.rename", "os.setxattr", "os.removexattr", "os.chflags", "os.lchflags",
    "shutil.rmtree", "shutil.move", "shutil.copyfile", "shutil.copymode", "shutil.copystat",
})
#: Audit events that read a path (or list a directory) in ``args[0]``.
READ_EVENTS = frozenset({"os.listdir", "os.scandir", "os.chdir", "glob.glob", "glob.glob/2", "os.listxattr"})
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _install_file_and_process_policy(read_roots, write_roots, blocked):
    """An audit hook (PEP 578: it cannot be removed) that confines the attempt: it may read the
    standard library, numpy and its scratch directory, write only in the scratch directory, and start
    no process, open no socket, and signal no other process. ``blocked`` collects what was refused."""
    read_roots = tuple(os.path.realpath(p) for p in read_roots)
    write_roots = tuple(os.path.realpath(p) for p in write_roots)
    realpath, fspath, sep = os.path.realpath, os.fspath, os.sep

    def inside(path, roots):
        try:
            path = realpath(fspath(path) if not isinstance(path, bytes) else path.decode("utf-8", "replace"))
        except (TypeError, ValueError):
            return False
        return any(path == root or path.startswith(root + sep) for root in roots)

    def refuse(what):
        if len(blocked) < 20:
            blocked.append(what)
        raise PermissionError(f"grade's sandbox refused {what}")

    def audit(event, args):
        if event in REFUSED_EVENTS or event.startswith("ctypes."):
            refuse(event)
        elif event == "open":
            path, mode, flags = (tuple(args) + (None, None, None))[:3]
            if isinstance(path, int):
                return
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & _WRITE_FLAGS)
            if not inside(path, write_roots if writing else read_roots + write_roots):
                refuse(f"{'writing' if writing else 'reading'} {path}")
        elif event in WRITE_EVENTS:
            for path in args[:2] if event in ("os.rename", "os.link", "os.symlink", "shutil.move",
                                              "shutil.copyfile") else args[:1]:
                if not isinstance(path, int) and not inside(path, write_roots):
                    refuse(f"{event} on {path}")
        elif event in READ_EVENTS:
            path = args[0] if args else None
            if path is not None and not isinstance(path, int) and not inside(path, read_roots + write_roots):
                refuse(f"{event} on {path}")

    sys.addaudithook(audit)


def _where(exc, attempt_file):
    """The innermost line of the attempt's own file in a traceback: where the learner should look."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if os.path.basename(frame.filename) == os.path.basename(attempt_file):
            line = frame.lineno
    if isinstance(exc, SyntaxError) and exc.lineno:
        line = exc.lineno
    return line


def _error_reply(exc, attempt_file, **extra):
    text = str(exc)
    if isinstance(exc, SyntaxError):
        # The line number travels in "line" and is printed once, with the file name, by the grader.
        text = exc.msg + (f": {exc.text.strip()}" if exc.text and exc.text.strip() else "")
    reply = {"ok": False, "error": type(exc).__name__, "mro": [c.__name__ for c in type(exc).__mro__],
             "message": text[:500], "line": _where(exc, attempt_file)}
    if isinstance(exc, RefusedImport) and isinstance(exc.name, str):
        reply["refused"] = exc.name.partition(".")[0][:100]
    reply.update(extra)
    return reply


def _apply_limits(limits):
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limits["memory_bytes"],) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (limits["cpu_seconds"], limits["cpu_seconds"] + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["file_bytes"],) * 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if limits.get("processes"):
        resource.setrlimit(resource.RLIMIT_NPROC, (limits["processes"],) * 2)


def _prctl():
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]

    def prctl(option, arg2, arg3=None):
        if libc.prctl(option, arg2, arg3, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), f"prctl({option}) failed")
    return ctypes, prctl


def _die_with(parent):
    """Die when the grader dies, even by kill -9 (PR_SET_PDEATHSIG); done here, not in a preexec_fn.
    The kernel sends it when the grader's thread that started this worker ends: the grader closes
    every worker before the function that started it returns, so that is never earlier."""
    _, prctl = _prctl()
    prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    if os.getppid() != parent:  # the grader died before the line above
        os._exit(1)


def _load_seccomp(program):
    """Install the grader's seccomp filter (oslayer.seccomp_filter): no new process from here on."""
    ctypes, prctl = _prctl()

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = SockFprog(len(program) // 8, ctypes.addressof(buffer))
    prctl(38, 1)  # PR_SET_NO_NEW_PRIVS: required to load a filter without privileges
    prctl(22, 2, ctypes.addressof(fprog))  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER


def _unbuffered_output():
    """stdout and stderr written through at once: what a call printed is in the pipe before its reply
    (so the grader knows which case printed it), and is not lost when a later call is killed."""
    import io

    for fd, name in ((1, "stdout"), (2, "stderr")):
        stream = io.TextIOWrapper(io.FileIO(fd, "w", closefd=False), encoding="utf-8",
                                  errors="backslashreplace", write_through=True)
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def _flush_output():
    # The attempt may have replaced sys.stdout with anything; its failure to flush is not ours.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: B902
            pass


def main():
    serve(json.loads(sys.argv[1]))


def serve(config):
    """Import the attempt under the sandbox's in-process layers and answer the grader's calls. Run by
    ``main`` in a fresh interpreter, or in a child the zygote (zygote.py) forked into new namespaces."""
    if config.get("parent"):
        _die_with(config["parent"])
    _apply_limits(config["limits"])
    _unbuffered_output()
    # Isolated mode left only the standard library on the path; add the directories numpy needs.
    sys.path[:] = [p for p in sys.path if p] + config["paths"]
    requests = os.fdopen(config["request_fd"], "rb")
    replies = os.fdopen(config["reply_fd"], "wb")

    def send(obj):
        if blocked:
            obj["blocked"] = blocked[:]
        replies.write(json.dumps(obj).encode() + b"\n")
        replies.flush()

    import importlib.util

    import numpy  # noqa: F401  imported before the guard: numpy's own imports are not the attempt's

    if config.get("seccomp"):
        _load_seccomp(bytes.fromhex(config["seccomp"]))
    _install_import_guard(config["forbidden"])
    attempt_file = config["attempt"]
    blocked = []
    scratch = os.path.dirname(os.path.abspath(attempt_file))
    read_roots = [p for p in sys.path if os.path.isdir(p) and p not in config["paths"]] + config["read_roots"]
    _install_file_and_process_policy(read_roots, [scratch], blocked)
    try:
        spec = importlib.util.spec_from_file_location(config["module"], attempt_file)
        module = importlib.util.module_from_spec(spec)
        sys.modules[config["module"]] = module
        spec.loader.exec_module(module)
    except BaseException as exc:  # noqa: B902  SystemExit and KeyboardInterrupt at import too
        _flush_output()
        send(dict(_error_reply(exc, attempt_file), event="import_failed"))
        return
    _flush_output()
    send({"event": "ready", "functions": [f for f in config["functions"] if callable(getattr(module, f, None))]})

    for line in requests:
        request = json.loads(line)
        reply = {"id": request["id"]}
        func = getattr(module, request["func"], None)
        if not callable(func):
            reply.update(ok=False, error="AttributeError", mro=["AttributeError"], line=None,
                         message=f"the attempt defines no function '{request['func']}'")
        else:
            try:
                args = decode(request["args"])
                kwargs = {k: decode(v) for k, v in request["kwargs"].items()}
                value = func(*args, **kwargs)
                reply.update(ok=True, value=encode(value))
                if request.get("echo_inputs"):
                    reply["inputs"] = {"args": [encode(a) for a in args],
                                       "kwargs": {k: encode(v) for k, v in kwargs.items()}}
            except BaseException as exc:  # noqa: B902  sys.exit() in the call is the attempt's failure
                reply.update(_error_reply(exc, attempt_file))
        _flush_output()
        send(reply)


if __name__ == "__main__":
    main()
