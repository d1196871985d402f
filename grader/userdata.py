"""Where grade keeps a learner's own state (hints seen, practice history), and how it writes it safely."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

#: Overrides the data directory (tests point it at a temporary one).
ENV_VAR = "GRADE_HOME"


def data_dir() -> Path:
    """``$GRADE_HOME``, else ``$XDG_DATA_HOME/grade``, else ``~/.local/share/grade``."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "grade"


def write_json_atomic(path: Path, data) -> None:
    """Write to a temporary file in the same directory and rename it: a crash leaves the old file whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json(path: Path, default):
    """Read a JSON file of the same type as ``default``; a corrupt one is set aside (renamed
    ``.corrupt``, so nothing is lost) and ``default`` returned."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default
    except (ValueError, UnicodeDecodeError):
        data = None
    if isinstance(data, type(default)):
        return data
    path.replace(path.with_name(path.name + ".corrupt"))
    return default
