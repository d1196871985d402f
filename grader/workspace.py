"""The learner's workspace: a folder whose ``exercises/`` holds the files ``grade NAME`` grades.

``grade init DIR`` writes one from the shipped stubs (as ``rustlings init`` does), so ``grade`` works
from a pip install; every command finds the workspace from the current directory upward. In a clone
the repository itself is a workspace, and stays the fallback when no other one is found.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from grader import catalog
from grader.catalog import Exercise

#: Overrides the search (the CLI's ``--workspace`` sets it too).
ENV_VAR = "GRADE_WORKSPACE"


class NoWorkspace(LookupError):
    pass


class StubUnavailable(RuntimeError):
    pass


def fresh_stub(exercise: Exercise) -> str:
    """The stub as shipped, never with a learner's edits. From a pip install that is the package's
    copy; in a clone the shipped copy is also the learner's file, so an edited one is read from git."""
    relative = f"exercises/{exercise.name}.py"
    try:
        text = exercise.stub_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StubUnavailable(f"there is no stub for {exercise.name}: {relative} is missing.") from None
    if "raise NotImplementedError" in text:
        return text
    try:
        shown = subprocess.run(["git", "-C", str(catalog.ROOT), "show", f"HEAD:{relative}"],
                               capture_output=True, text=True, timeout=10)
        if shown.returncode == 0 and shown.stdout.strip():
            return shown.stdout
    except (OSError, subprocess.SubprocessError):
        pass
    raise StubUnavailable(
        f"cannot start from a blank {exercise.name}: {relative} has been edited (it no longer raises "
        f"NotImplementedError) and git has no committed copy of it. Move your work elsewhere and put "
        f"the original stub back in {relative}, or `grade init` a workspace of your own elsewhere.")


def is_workspace(folder: Path) -> bool:
    """A folder with an ``exercises/`` holding the file of at least one exercise of the catalog."""
    stubs = folder / "exercises"
    return stubs.is_dir() and any((stubs / f"{name}.py").is_file() for name in catalog.names())


def find(start: Path | None = None) -> Path:
    """The nearest workspace at or above ``start`` (the current directory), else the clone grade runs
    from; NoWorkspace when there is neither."""
    start = Path(start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if is_workspace(folder):
            return folder
    if catalog.IN_CHECKOUT:
        return catalog.ROOT
    raise NoWorkspace(f"no exercises/ folder in {start} or above it: `grade init` creates a workspace here "
                      "(or pass --workspace DIR, or the file to grade).")


def attempt_path(exercise: Exercise, workspace: Path) -> Path:
    return Path(workspace) / "exercises" / f"{exercise.name}.py"


def is_own_file(exercise: Exercise, attempt: Path, workspace: Path | None) -> bool:
    """Whether ``attempt`` is the learner's file of ``exercise`` in their workspace (those gradings
    are recorded in the history; grading a reference or a classmate's file is not)."""
    if workspace is None:
        return False
    try:
        return Path(attempt).resolve() == attempt_path(exercise, workspace).resolve()
    except OSError:
        return False


def init(folder: Path) -> tuple[list[Path], list[Path]]:
    """Write a fresh stub of every exercise into ``folder/exercises``; files already there are kept
    (a learner's work is never overwritten). Returns (written, kept)."""
    stubs = Path(folder) / "exercises"
    stubs.mkdir(parents=True, exist_ok=True)
    written, kept = [], []
    for exercise in catalog.available():
        target = stubs / f"{exercise.name}.py"
        if target.exists():
            kept.append(target)
            continue
        target.write_text(fresh_stub(exercise), encoding="utf-8")
        written.append(target)
    return written, kept
