"""The one list of exercises, read from their folders. Every path is derived from an exercise's name,
never stored.

An exercise is its folder ``grader/exercises/<name>/`` (the ``EXERCISE`` entry in its ``__init__.py``,
its suite, its picture), listed in ``grader/exercises/pack.json``, plus its stub
``exercises/<name>.py``, its reference ``solutions/<name>.py``, its tests ``tests/test_<name>.py`` and
its mistake catalogue ``tests/fixtures/{wrong,right}/<name>/``. The authoring check
(``tests/test_catalog.py``) names any part that is missing.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

_PACKAGE = Path(__file__).resolve().parent


def _content_root() -> Path:
    """Where ``exercises/`` (the pristine stubs) and ``solutions/`` are: the top of the repository
    in a clone (they are edited there), ``grader/_bundled`` in an installed wheel (setup.py maps
    them there)."""
    checkout = _PACKAGE.parent
    if (checkout / "solutions").is_dir() and (checkout / "pyproject.toml").is_file():
        return checkout
    return _PACKAGE / "_bundled"


#: The folder holding ``exercises/`` and ``solutions/`` as shipped; a learner's own files live in a
#: workspace (``grader.workspace``), which in a clone is this same folder.
ROOT = _content_root()

#: Running from a clone (an editable install): the shipped stubs are also the learner's files.
IN_CHECKOUT = ROOT == _PACKAGE.parent

#: Libraries that would solve the exercises for the learner. The worker refuses them however they
#: are imported; an exercise can add to this list.
FORBIDDEN = ("cv2", "torch", "torchvision", "scipy", "skimage", "tensorflow", "mmcv", "sklearn",
             "jax", "numba", "pycocotools", "PIL", "keras")


#: Batch grading loads references from several threads: one loads, the others wait for a whole module.
_REFERENCE_LOCK = threading.Lock()


#: The groups ``grade list`` shows, in this order; ``grade practice --random --track T`` draws from one.
TRACKS = ("detection", "image processing", "layers", "machine learning", "algorithms")


class UnknownExercise(LookupError):
    pass


class IncompleteExercise(UnknownExercise):
    """The catalog lists the exercise but a part it needs to be graded is missing here."""


@dataclass(frozen=True)
class Exercise:
    name: str
    title: str
    functions: tuple[str, ...]
    difficulty: str
    minutes: int
    hints: tuple[str, ...]
    track: str = "algorithms"
    """One of TRACKS."""
    points: int = 10
    extra_forbidden: tuple[str, ...] = ()

    @property
    def forbidden(self) -> tuple[str, ...]:
        return FORBIDDEN + self.extra_forbidden

    @property
    def stub_path(self) -> Path:
        """The stub as shipped; the learner's own copy is in a workspace (``grader.workspace``)."""
        return ROOT / "exercises" / f"{self.name}.py"

    @property
    def solution_path(self) -> Path:
        return ROOT / "solutions" / f"{self.name}.py"

    @property
    def package(self) -> str:
        """The grader-side folder of the exercise: its entry, its suite and its picture."""
        return f"{EXERCISES_PACKAGE}.{self.name}"

    @property
    def suite_module_name(self) -> str:
        return f"{self.package}.suite"

    @property
    def suite_path(self) -> Path:
        return _PACKAGE / "exercises" / self.name / "suite.py"

    def missing_parts(self) -> list[str]:
        """What this installation lacks to grade the exercise, each as the file to add."""
        parts = [("stub", self.stub_path), ("reference", self.solution_path), ("suite", self.suite_path)]
        return [f"its {what} {path}" for what, path in parts if not path.is_file()]

    def suite(self) -> ModuleType:
        return importlib.import_module(self.suite_module_name)

    def reference(self) -> ModuleType:
        """The reference implementation, imported in the grader's own (trusted) process."""
        module_name = f"_grade_reference_{self.name}"
        with _REFERENCE_LOCK:
            if module_name in sys.modules:
                return sys.modules[module_name]
            spec = importlib.util.spec_from_file_location(module_name, self.solution_path)
            if spec is None or not self.solution_path.is_file():
                raise FileNotFoundError(f"no reference solution at {self.solution_path}")
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            sys.modules[module_name] = module  # only once it is whole
            return module


#: Where the exercises' folders are: one package per exercise, ``grader/exercises/<name>/``.
EXERCISES_PACKAGE = "grader.exercises"
#: The folder's manifest: the exercises in the order every list shows them.
MANIFEST = "pack.json"


def _load() -> tuple[Exercise, ...]:
    """Every exercise the manifest names, each read from its folder's ``EXERCISE`` entry."""
    package = importlib.import_module(EXERCISES_PACKAGE)
    manifest = json.loads((Path(package.__file__).parent / MANIFEST).read_text(encoding="utf-8"))
    return tuple(importlib.import_module(f"{EXERCISES_PACKAGE}.{name}").EXERCISE for name in manifest["exercises"])


EXERCISES: tuple[Exercise, ...] = _load()

_BY_NAME = {exercise.name: exercise for exercise in EXERCISES}


def names() -> list[str]:
    return [exercise.name for exercise in EXERCISES]


def available() -> list[Exercise]:
    """The exercises this installation can grade (stub, reference and suite present): the one list
    every command shows and takes."""
    return [e for e in EXERCISES if not e.missing_parts()]


def title_of(name: str) -> str:
    """An exercise's title for reports, or the name itself for one this checkout does not know
    (a results file from another version)."""
    return _BY_NAME[name].title if name in _BY_NAME else name


def get(name: str) -> Exercise:
    """The exercise called ``name``; UnknownExercise (with the closest name) when there is none, and
    IncompleteExercise (naming what is missing) when this installation cannot grade it."""
    try:
        exercise = _BY_NAME[name.strip().lower().replace("-", "_")]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(name, names(), n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise UnknownExercise(f"unknown exercise '{name}'.{hint} Run 'grade list' to see them all.") from None
    missing = exercise.missing_parts()
    if missing:
        raise IncompleteExercise(f"'{exercise.name}' cannot be graded here: {' and '.join(missing)} "
                                 "is missing (a broken installation, or an exercise still being written)")
    return exercise
