"""The baseline `grade batch` is measured against (issue 16): how a course grades with plain pytest.

One ``pytest`` process per student imports that student's files in its own interpreter, with no
sandbox at all (no separate process per attempt, no limits, no OS layer), and checks every case of
every exercise with the suite's own checkers against the reference's answers, which it computes
itself, as a harness of this kind does. It is what grading costs without isolation, so the ratio
``grade batch`` / this harness says what the isolation costs. Never use it on untrusted code.

    GRADE_HARNESS_STUDENT=path/to/student pytest -q -p no:cacheprovider benchmarks/pytest_harness.py

``benchmarks/batch.py --pytest`` runs it over a whole class and prints the ratio. A case passes when
the checker finds no problem; exceptions fail the case, and pytest's summary line counts them.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from grader import catalog  # noqa: E402
from grader.grading import compare  # noqa: E402
from grader.grading.attempt import prepare  # noqa: E402
from grader.grading.seeds import DEFAULT_SEED  # noqa: E402

STUDENT = Path(os.environ.get("GRADE_HARNESS_STUDENT", "."))
SEED = int(os.environ.get("GRADE_HARNESS_SEED", DEFAULT_SEED))


def _submitted():
    return [e for e in catalog.available() if (STUDENT / f"{e.name}.py").is_file()]


def _load(exercise: catalog.Exercise):
    spec = importlib.util.spec_from_file_location(f"_student_{exercise.name}", STUDENT / f"{exercise.name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cases():
    for exercise in _submitted():
        prepared = prepare(exercise, SEED)
        for case, expected in zip(prepared.cases, prepared.expectations):
            yield pytest.param(exercise, case, expected, id=f"{exercise.name}::{case.name}")


_MODULES: dict[str, object] = {}


@pytest.mark.parametrize("exercise, case, expected", list(_cases()))
def test_case(exercise, case, expected):
    if exercise.name not in _MODULES:
        _MODULES[exercise.name] = _load(exercise)  # an import error fails every case of the file
    func = getattr(_MODULES[exercise.name], case.func)
    if expected.raises:
        with pytest.raises(Exception) as raised:
            func(*case.args, **case.kwargs)
        assert type(raised.value).__name__ == expected.raises
        return
    actual = func(*case.args, **case.kwargs)
    checker = case.check or exercise.suite().CHECKS[case.func]
    problem = compare.as_problem(checker(expected.value, actual))
    assert problem is None, problem.text
