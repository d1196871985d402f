"""The child side of the sandbox: the only code that imports an attempt.

This file runs as a plain script in a fresh interpreter (``python -I -S``), copied into the scratch
directory, so it must not import the ``grader`` package. The parent imports it too, for the wire
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


class WireError(ValueError):
    """A message that does not follow the wire format (a broken or tampering child)."""


def encode(value, depth=0):
    """Turn a value into JSON-able plain data. Anything unexpected becomes an ``__unsupported__`` tag."""
    import numpy as np

    if depth > MAX_DEPTH:
        return {"__unsupported__": "structure nested too deeply"}
    if value is None or isinstance(value, (bool, str)):
        return value
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
    if isinstance(value, np.generic):
        if value.dtype.kind in DTYPE_KINDS:
            return value.item()
        return {"__unsupported__": f"numpy {type(value).__name__}"}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v, depth + 1) for v in value]}
    if isinstance(value, list):
        return [encode(v, depth + 1) for v in value]
    return {"__unsupported__": type(value).__name__}


def decode(data, depth=0, unsupported=None):
    """Strictly rebuild a value from ``encode``'s output; raise WireError on anything else."""
    import numpy as np

    if depth > MAX_DEPTH:
        raise WireError("nested too deeply")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(v, depth + 1, unsupported) for v in data]
    if not isinstance(data, dict):
        raise WireError(f"unexpected {type(data).__name__}")
    if set(data) == {"__tuple__"} and isinstance(data["__tuple__"], list):
        return tuple(decode(v, depth + 1, unsupported) for v in data["__tuple__"])
    if set(data) == {"__unsupported__"}:
        name = str(data["__unsupported__"])[:100]
        return unsupported(name) if unsupported else name
    if set(data) == {"__ndarray__", "shape", "data"}:
        try:
            dtype = np.dtype(str(data["__ndarray__"]))
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
        try:
            raw = base64.b64decode(str(data["data"]), validate=True)
        except ValueError:
            raise WireError("bad array data") from None
        if len(raw) != count * dtype.itemsize:
            raise WireError("array data does not match its shape")
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    raise WireError("unknown object")


def _install_import_guard(forbidden):
    """Refuse forbidden modules however they are imported: a meta-path finder catches the import
    statement, importlib and __import__; the audit hook (which cannot be removed) catches the rest."""
    import importlib.abc

    refused = frozenset(forbidden)

    def message(name):
        return (f"'{name}' is not allowed in this exercise: it would solve it for you. "
                "Write it by hand with Python and numpy.")

    class RefuseForbidden(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname, path=None, target=None):
            top = fullname.partition(".")[0]
            if top in refused:
                raise ImportError(message(top), name=fullname)
            return None

    def audit(event, args):
        if event == "import" and args and isinstance(args[0], str):
            top = args[0].partition(".")[0]
            if top in refused:
                raise ImportError(message(top), name=args[0])

    for name in list(sys.modules):
        if name.partition(".")[0] in refused:
            del sys.modules[name]
    sys.meta_path.insert(0, RefuseForbidden())
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
        text = f"{exc.msg} (line {exc.lineno})" + (f": {exc.text.strip()}" if exc.text else "")
    reply = {"ok": False, "error": type(exc).__name__, "mro": [c.__name__ for c in type(exc).__mro__],
             "message": text[:500], "line": _where(exc, attempt_file)}
    reply.update(extra)
    return reply


def _apply_limits(limits):
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limits["memory_bytes"],) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (limits["cpu_seconds"], limits["cpu_seconds"] + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["file_bytes"],) * 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main():
    config = json.loads(sys.argv[1])
    _apply_limits(config["limits"])
    # Isolated mode left only the standard library on the path; add the directories numpy needs.
    sys.path[:] = [p for p in sys.path if p] + config["paths"]
    requests = os.fdopen(config["request_fd"], "rb")
    replies = os.fdopen(config["reply_fd"], "wb")

    def send(obj):
        replies.write(json.dumps(obj).encode() + b"\n")
        replies.flush()

    import importlib.util

    import numpy  # noqa: F401  imported before the guard: numpy's own imports are not the attempt's

    _install_import_guard(config["forbidden"])
    attempt_file = config["attempt"]
    try:
        spec = importlib.util.spec_from_file_location(config["module"], attempt_file)
        module = importlib.util.module_from_spec(spec)
        sys.modules[config["module"]] = module
        spec.loader.exec_module(module)
    except BaseException as exc:  # noqa: B902  SystemExit and KeyboardInterrupt at import too
        send(dict(_error_reply(exc, attempt_file), event="import_failed"))
        return
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
            except BaseException as exc:  # noqa: B902  sys.exit() in the call is the attempt's failure
                reply.update(_error_reply(exc, attempt_file))
        send(reply)


if __name__ == "__main__":
    main()
