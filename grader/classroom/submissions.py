"""Finding a class's submissions: one folder or one .zip per student, read as untrusted input."""

from __future__ import annotations

import os
import re
import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterable

from grader import catalog

# What a student's zip may hold: it is untrusted input, and only the exercise files are extracted.
MAX_ZIP_MEMBERS = 2000
MAX_FILE_BYTES = 1024 * 1024
MAX_ZIP_BYTES = 16 * 1024 * 1024
#: Folders that archivers add and no student wrote.
JUNK_DIRS = frozenset({"__MACOSX", "__pycache__", ".git", ".ipynb_checkpoints"})



class BatchError(Exception):
    """Bad input to a batch run (no such folder, results of another seed): a usage error, not a crash."""


class UnsafeArchive(ValueError):
    pass


@dataclass
class Submission:
    student: str
    """Unique and safe as a file name: derived from the folder or zip name."""
    root: Path
    """The folder holding the student's files (the extracted copy, for a zip)."""
    source: str
    """What it came from, relative to the submissions folder: ``alice`` or ``bob.zip``."""
    problem: str | None = None
    """Why nothing could be read (an unsafe or corrupt zip): every exercise then scores 0 with it."""

    def attempt(self, exercise: str) -> Path | None:
        return None if self.problem else find_attempt(self.root, exercise)

    def label(self, path: Path) -> str:
        """Where a file came from, for people: ``bob.zip:hw/nms.py``, ``alice/nms.py``."""
        relative = path.relative_to(self.root).as_posix()
        return f"{self.source}:{relative}" if self.source.endswith(".zip") else f"{self.source}/{relative}"


def student_name(raw: str) -> str:
    """A name safe in a file name and a CSV cell: letters, digits, '.', '_', '-', starting with a
    letter or digit (so no spreadsheet reads it as a formula)."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", raw).strip("._-")
    name = re.sub(r"^[^A-Za-z0-9]+", "", name)[:80]
    return name or "student"


def find_attempt(root: Path, exercise: str) -> Path | None:
    """``<exercise>.py`` in ``root`` or, failing that, the shallowest one below it (zips often wrap
    everything in a folder). Symbolic links are not followed: they could point anywhere."""
    wanted = f"{exercise}.py"
    direct = root / wanted
    if direct.is_file() and not direct.is_symlink():
        return direct
    best: tuple[int, str] | None = None
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in JUNK_DIRS and not d.startswith("."))
        if wanted in filenames:
            path = Path(dirpath) / wanted
            if path.is_file() and not path.is_symlink():
                key = (len(path.relative_to(root).parts), path.as_posix())
                best = min(best, key) if best else key
    return Path(best[1]) if best else None


def extract_zip(archive: Path, dest: Path, wanted: Iterable[str]) -> int:
    """Extract the members named ``<exercise>.py`` into ``dest``, refusing anything unsafe.

    No member may leave ``dest`` (absolute paths, ``..``), links are skipped, and sizes are capped
    while reading (a zip's own size fields can lie). Returns how many files were extracted.
    """
    wanted = set(wanted)
    dest.mkdir(parents=True, exist_ok=True)
    total = extracted = 0
    with zipfile.ZipFile(archive) as zf:
        members = zf.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise UnsafeArchive(f"the zip holds {len(members)} entries (at most {MAX_ZIP_MEMBERS})")
        for info in members:
            name = info.filename.replace("\\", "/")
            parts = PurePosixPath(name).parts
            if info.is_dir() or not parts or parts[-1] not in wanted:
                continue
            if name.startswith("/") or ".." in parts or re.match(r"^[A-Za-z]:", name):
                raise UnsafeArchive(f"the zip entry {info.filename!r} points outside the archive")
            if stat.S_ISLNK(info.external_attr >> 16):
                continue
            if any(p in JUNK_DIRS or p.startswith(".") for p in parts[:-1]):
                continue
            target = dest.joinpath(*parts)
            if not target.resolve().is_relative_to(dest.resolve()):
                raise UnsafeArchive(f"the zip entry {info.filename!r} points outside the archive")
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as out:
                size = 0
                while chunk := src.read(64 * 1024):
                    size += len(chunk)
                    total += len(chunk)
                    if size > MAX_FILE_BYTES:
                        raise UnsafeArchive(f"{info.filename} is larger than {MAX_FILE_BYTES // 1024} KB")
                    if total > MAX_ZIP_BYTES:
                        raise UnsafeArchive(f"the zip expands to more than {MAX_ZIP_BYTES // 2**20} MB")
                    out.write(chunk)
            extracted += 1
    return extracted


def discover(submissions: Path, scratch: Path,
             exercises: Iterable[str] | None = None) -> tuple[list[Submission], list[str]]:
    """One Submission per folder or ``.zip`` in ``submissions``, sorted by name; zips are extracted
    under ``scratch``. Returns the submissions and the entries skipped (loose files and the like)."""
    submissions = Path(submissions)
    if not submissions.is_dir():
        raise BatchError(f"no such folder: {submissions}")
    wanted = {f"{name}.py" for name in (exercises or catalog.names())}
    found: list[Submission] = []
    skipped: list[str] = []
    taken: set[str] = set()

    def unique(raw: str) -> str:
        base = student_name(raw)
        name, n = base, 1
        while name.lower() in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name.lower())
        return name

    for entry in sorted(submissions.iterdir(), key=lambda p: p.name):
        if entry.name.startswith(".") or entry.name in JUNK_DIRS:
            continue
        if entry.is_dir():  # a link here is the instructor's doing; inside a submission none is followed
            found.append(Submission(unique(entry.name), entry, entry.name))
        elif entry.is_file() and entry.suffix.lower() == ".zip":
            student = unique(entry.stem)
            dest = scratch / student
            submission = Submission(student, dest, entry.name)
            try:
                extract_zip(entry, dest, wanted)
            except Exception as exc:  # corrupt, encrypted, truncated, unsafe: a student's zip fails
                # in many ways, and each only costs that student, with the reason in their feedback.
                shutil.rmtree(dest, ignore_errors=True)
                submission.problem = f"the zip could not be read safely: {exc}"
            found.append(submission)
        else:
            skipped.append(entry.name)
    return found, skipped
