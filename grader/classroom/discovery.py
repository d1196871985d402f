"""Finding a class's submissions: one folder or one .zip per student, read as untrusted input, and
within each the file graded for every exercise, by a rule that is stated and reported.

The rule, for each exercise (say ``nms``):

1. Candidates are the files named ``nms.py`` or ``nms.ipynb`` anywhere in the submission, whatever
   the case of the name (``NMS.py``, ``nms.PY``) and with ``-`` for ``_``.
2. A ``.py`` file comes before a notebook; then the highest version in the folder names (``v2/`` over
   ``v1/``, ``attempt3/`` over ``attempt2/``; no version is lowest); then the newest modification time
   (a zip keeps its entries' times); then the shallowest path; then alphabetical order.
3. With no candidate, a notebook of any name whose code defines every function of the exercise.
4. Files whose names look meant for the exercise but are not it (``nms_final.py``, ``my_iou.py``) are
   never graded, only reported.

Every choice that was not obvious (several candidates, a name of another case, a notebook, a
near-miss) becomes a Note: the batch summary, the class report and the student's feedback show it.
"""

from __future__ import annotations

import calendar
import difflib
import os
import re
import shutil
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterable

from grader import catalog
from grader.classroom import identity, notebooks
from grader.classroom.errors import SubmissionsError

# What a student's zip may hold: it is untrusted input, and only the files that may matter are extracted.
MAX_ZIP_MEMBERS = 2000
MAX_FILE_BYTES = 1024 * 1024
#: Notebooks carry their outputs (plots as base64): they may be larger than any source file.
MAX_NOTEBOOK_BYTES = 8 * 1024 * 1024
MAX_ZIP_BYTES = 16 * 1024 * 1024
#: Folders that archivers add and no student wrote.
JUNK_DIRS = frozenset({"__MACOSX", "__pycache__", ".git", ".ipynb_checkpoints"})
SOURCE_SUFFIXES = (".py", ".ipynb")
#: Folder names that carry a version: v2, V_3, version-4, attempt2, try 3, rev5, final2.
_VERSION = re.compile(r"^(?:v|ver|version|attempt|try|rev|revision|final|draft|submission)?[ _-]?(\d{1,6})$",
                      re.IGNORECASE)


class UnsafeArchive(ValueError):
    pass


@dataclass(frozen=True)
class Note:
    """One decision discovery made for a student, in words an instructor can act on."""
    kind: str
    """chosen (one of several files), case (a name in another case), notebook, near_miss, zip."""
    exercise: str | None
    text: str


@dataclass(frozen=True)
class Decision:
    """A Note with whose it is: one line of the batch summary and of the report's file section."""
    student: str
    kind: str
    text: str


@dataclass
class Submission:
    student: str
    """The name it was handed in under (folder name or zip stem), exactly: see identity."""
    root: Path
    """The folder holding the student's files (the extracted copy, for a zip)."""
    source: str
    """What it came from, relative to the submissions folder: ``alice`` or ``bob.zip``."""
    problem: str | None = None
    """Why nothing could be read (an unsafe or corrupt zip): every exercise then scores 0 with it."""
    files: dict[str, Path] = field(default_factory=dict)
    """exercise -> the file graded (for a notebook, the Python extracted from it)."""
    labels: dict[str, str] = field(default_factory=dict)
    """exercise -> where the graded code came from, for people: ``bob.zip:hw/nms.py``."""
    missing: dict[str, str] = field(default_factory=dict)
    """exercise -> why there is no file, when there is more to say than "not submitted"."""
    notes: list[Note] = field(default_factory=list)

    def attempt(self, exercise: str) -> Path | None:
        return None if self.problem else self.files.get(exercise)

    def label(self, exercise: str) -> str:
        return self.labels.get(exercise, "")

    def notes_for(self, exercise: str) -> list[str]:
        return [n.text for n in self.notes if n.exercise in (exercise, None)]


def normalised_stem(name: str) -> str:
    return PurePosixPath(name).stem.casefold().replace("-", "_").strip()


def _is_source(name: str) -> bool:
    return name.lower().endswith(SOURCE_SUFFIXES)


def _near_miss(stem: str, exercise: str) -> bool:
    return exercise in stem or difflib.SequenceMatcher(None, stem, exercise).ratio() >= 0.8


def relevant(name: str, exercises: Iterable[str]) -> bool:
    """Whether a file may matter to discovery: a candidate or near-miss for some exercise, or any
    notebook. Only these are extracted from a zip."""
    if not _is_source(name):
        return False
    if name.lower().endswith(".ipynb"):
        return True
    stem = normalised_stem(name)
    return any(stem == e or _near_miss(stem, e) for e in exercises)


def _version(relative: PurePosixPath) -> tuple[int, ...]:
    found = [int(m.group(1)) for part in relative.parts[:-1] if (m := _VERSION.match(part))]
    return (1, max(found)) if found else (0, 0)


def _walk(root: Path) -> list[Path]:
    """Source files under ``root``; symbolic links are not followed (they could point anywhere)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in JUNK_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if _is_source(name) and not name.startswith(".") and path.is_file() and not path.is_symlink():
                found.append(path)
    return found


def _order(root: Path):
    def key(path: Path):
        relative = PurePosixPath(path.relative_to(root).as_posix())
        try:
            mtime = path.stat().st_mtime
        except OSError:
            mtime = 0.0
        return (path.suffix.lower() != ".py", tuple(-v for v in _version(relative)), -mtime,
                len(relative.parts), relative.as_posix())
    return key


def _why_first(first: Path, second: Path, root: Path) -> str:
    a, b = _order(root)(first), _order(root)(second)
    reasons = ["a .py file comes before a notebook", "highest version in its folders", "newest file",
               "shallowest path", "first in alphabetical order"]
    for reason, x, y in zip(reasons, a, b):
        if x != y:
            return reason
    return reasons[-1]


def resolve(submission: Submission, exercises: list[catalog.Exercise], scratch: Path) -> None:
    """Fill in the file graded for each exercise, and the notes on how it was chosen."""
    root = submission.root
    files = _walk(root)
    if not files:
        submission.notes.append(Note("empty", None, "no .py file or notebook anywhere in the submission"))
    prefix = f"{submission.source}:" if submission.source.lower().endswith(".zip") else f"{submission.source}/"

    def where(path: Path) -> str:
        return prefix + path.relative_to(root).as_posix()

    def shown(path: Path) -> str:
        return path.relative_to(root).as_posix()

    # Another exercise's file (soft_nms.py beside nms.py) is never a near-miss, graded here or not.
    names = {e.name for e in exercises} | set(catalog.names())
    candidates_of = {e.name: [p for p in files if normalised_stem(p.name) == e.name] for e in exercises}
    for exercise in exercises:
        name = exercise.name
        candidates = sorted(candidates_of[name], key=_order(root))
        chosen = candidates[0] if candidates else None
        from_content = False
        if chosen is None:
            for path in files:
                if path.suffix.lower() == ".ipynb" and normalised_stem(path.name) not in names:
                    try:
                        text = notebooks.extract(path).source
                    except notebooks.NotebookError:
                        continue
                    if notebooks.defines(text, exercise.functions):
                        chosen, from_content = path, True
                        break
        near = [p for p in files if p.suffix.lower() == ".py" and normalised_stem(p.name) not in names
                and _near_miss(normalised_stem(p.name), name)]
        if chosen is None:
            if near:
                listed = ", ".join(shown(p) for p in near)
                submission.missing[name] = f"no file named {name}.py; found {listed}, not graded: rename it to {name}.py"
                submission.notes.append(Note("near_miss", name, f"{name}: not graded {listed}: the file must be named {name}.py"))
            continue
        if len(candidates) > 1:
            others = ", ".join(shown(p) for p in candidates[1:])
            submission.notes.append(Note(
                "chosen", name, f"{name}: {len(candidates)} files: graded {shown(chosen)} "
                f"({_why_first(chosen, candidates[1], root)}), not {others}"))
        if not from_content and chosen.name != f"{name}.py" and chosen.suffix.lower() == ".py":
            submission.notes.append(Note("case", name, f"{name}: graded {shown(chosen)} as {name}.py"))
        if near:
            submission.notes.append(Note("near_miss", name, f"{name}: also found {', '.join(shown(p) for p in near)}, "
                                         f"not graded (only {name}.py counts)"))
        if chosen.suffix.lower() == ".ipynb":
            try:
                extracted = notebooks.extract(chosen)
            except notebooks.NotebookError as exc:
                submission.missing[name] = str(exc)
                submission.notes.append(Note("notebook", name, f"{name}: {exc}"))
                continue
            target = scratch / "notebooks" / identity.digest(submission.student, 16) / f"{name}.py"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(extracted.source, encoding="utf-8")
            why = (": it defines " + ", ".join(f"{f}()" for f in exercise.functions)
                   + f" and there is no {name}.py" if from_content else "")
            submission.notes.append(Note("notebook", name, f"{name}: the code came from the notebook "
                                         f"{shown(chosen)}{why} ({extracted.summary()})"))
            submission.files[name] = target
        else:
            submission.files[name] = chosen
        submission.labels[name] = where(chosen)


def extract_zip(archive: Path, dest: Path, wanted: Iterable[str]) -> int:
    """Extract the members that may matter (see ``relevant``; ``wanted`` are exercise names) into
    ``dest``, refusing anything unsafe.

    No member may leave ``dest`` (absolute paths, ``..``), links are skipped, and sizes are capped
    while reading (a zip's own size fields can lie). Entries keep their modification times, which
    the choice between several files uses. Returns how many files were extracted.
    """
    wanted = [normalised_stem(w) for w in wanted]
    dest.mkdir(parents=True, exist_ok=True)
    total = extracted = 0
    with zipfile.ZipFile(archive) as zf:
        members = zf.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise UnsafeArchive(f"the zip holds {len(members)} entries (at most {MAX_ZIP_MEMBERS})")
        for info in members:
            name = info.filename.replace("\\", "/")
            parts = PurePosixPath(name).parts
            if info.is_dir() or not parts or not relevant(parts[-1], wanted):
                continue
            if name.startswith("/") or ".." in parts or re.match(r"^[A-Za-z]:", name):
                raise UnsafeArchive(f"the zip entry {info.filename!r} points outside the archive")
            if stat.S_ISLNK(info.external_attr >> 16):
                continue
            if any(p in JUNK_DIRS or p.startswith(".") for p in parts):
                continue
            target = dest.joinpath(*parts)
            if not target.resolve().is_relative_to(dest.resolve()):
                raise UnsafeArchive(f"the zip entry {info.filename!r} points outside the archive")
            limit = MAX_NOTEBOOK_BYTES if name.lower().endswith(".ipynb") else MAX_FILE_BYTES
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as out:
                size = 0
                while chunk := src.read(64 * 1024):
                    size += len(chunk)
                    total += len(chunk)
                    if size > limit:
                        raise UnsafeArchive(f"{info.filename} is larger than {limit // 1024} KB")
                    if total > MAX_ZIP_BYTES:
                        raise UnsafeArchive(f"the zip expands to more than {MAX_ZIP_BYTES // 2**20} MB")
                    out.write(chunk)
            try:
                when = calendar.timegm((*info.date_time, 0, 0, 0))
                os.utime(target, (when, when))
            except (OverflowError, ValueError, OSError):
                pass
            extracted += 1
    return extracted


def discover(submissions: Path, scratch: Path,
             exercises: Iterable[catalog.Exercise | str] | None = None) -> tuple[list[Submission], list[str]]:
    """One Submission per folder or ``.zip`` in ``submissions``, sorted by name, each with its files
    resolved; zips are extracted under ``scratch``. Returns the submissions and the entries skipped
    (loose files and the like)."""
    submissions = Path(submissions)
    if not submissions.is_dir():
        raise SubmissionsError(f"no such folder: {submissions}")
    chosen = [catalog.get(e) if isinstance(e, str) else e for e in (exercises or catalog.available())]
    skipped: list[str] = []
    entries = []
    for entry in sorted(submissions.iterdir(), key=lambda p: p.name):
        if entry.name.startswith(".") or entry.name in JUNK_DIRS:
            continue
        if entry.is_dir():  # a link here is the instructor's doing; inside a submission none is followed
            entries.append((entry, entry.name))
        elif entry.is_file() and entry.suffix.lower() == ".zip":
            entries.append((entry, entry.stem))
        else:
            skipped.append(entry.name)
    names = identity.unique_names([(stem, entry.name) for entry, stem in entries])
    stems = identity.file_names(names)
    found: list[Submission] = []
    for (entry, _), student in zip(entries, names):
        if entry.is_dir():
            submission = Submission(student, entry, entry.name)
        else:
            dest = scratch / "zips" / stems[student]
            submission = Submission(student, dest, entry.name)
            try:
                extract_zip(entry, dest, [e.name for e in chosen])
            except Exception as exc:  # corrupt, encrypted, truncated, unsafe: a student's zip fails
                # in many ways, and each only costs that student, with the reason in their feedback.
                shutil.rmtree(dest, ignore_errors=True)
                submission.problem = f"the zip could not be read safely: {exc}"
                submission.notes.append(Note("zip", None, submission.problem))
        if not submission.problem:
            resolve(submission, chosen, scratch)
        found.append(submission)
    return found, skipped
