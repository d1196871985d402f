"""Shared by the exercise tests: grade each wrong fixture attempt once, and check that it fails the
cases aimed at its mistake (and, where given, still passes the control cases)."""

import functools
from pathlib import Path

from grader.engine.grading import grade_attempt

WRONG = Path(__file__).parent / "fixtures" / "wrong"


@functools.lru_cache(maxsize=None)
def graded_wrong(exercise, mistake):
    return grade_attempt(exercise, WRONG / exercise / f"{mistake}.py")


def failing(result):
    return {c.name for c in result.cases if not c.passed}


def assert_fails_where_aimed(exercise, mistake, must_fail, words, must_pass=frozenset()):
    """``words`` must appear in a failing case's category: the learner is told what the case probes."""
    result = graded_wrong(exercise, mistake)
    assert not result.passed and result.error is None
    assert must_fail <= failing(result), must_fail - failing(result)
    assert not must_pass & failing(result), must_pass & failing(result)
    shown = " ".join(c.category for c in result.cases if not c.passed)
    assert words in shown, f"no failing case's category mentions {words!r}: {shown}"


FIXTURES = Path(__file__).parent / "fixtures"


def catalogue(exercise, kind):
    """The mistake-catalogue fixtures of one exercise: ``kind`` is "wrong" or "right"."""
    return sorted((FIXTURES / kind / exercise).glob("*.py"))


def caught_by(path):
    """The case names a wrong fixture's header says must fail."""
    lines = path.read_text().splitlines()
    assert lines[0].startswith("# mistake: ") and lines[1].startswith("# caught-by: "), path
    return {name.strip() for name in lines[1][len("# caught-by: "):].split(",")}


def catalogue_params(exercise):
    """Every wrong and right fixture of one exercise, as pytest parameters (kind, path)."""
    import pytest

    return [pytest.param(kind, path, id=f"{kind}-{path.stem}") for kind in ("wrong", "right")
            for path in catalogue(exercise, kind)]


def assert_reference_and_loops_pass(exercise, loops):
    """The reference and the naive loop answer ``tests/fixtures/slow/<loops>.py`` pass, every case far
    inside the default 3 s limit."""
    from grader import catalog

    for path in (catalog.get(exercise).solution_path, FIXTURES / "slow" / f"{loops}.py"):
        result = grade_attempt(exercise, path)
        assert result.passed, [(c.name, c.message) for c in result.cases if not c.passed]
        assert max(c.seconds for c in result.cases) < 1.0


def assert_catalogue_fixture(exercise, kind, path):
    """At the default seed (tests/test_mistakes.py covers 20 seeds): a wrong fixture fails every case
    its header names, with a message; a right one passes everything."""
    result = grade_attempt(exercise, path)
    assert result.error is None, result.error
    if kind == "right":
        assert path.read_text().startswith("# style: ")
        assert result.passed, [(c.name, c.message) for c in result.cases if not c.passed]
        return
    by_name = {c.name: c for c in result.cases}
    aimed = caught_by(path)
    assert aimed <= set(by_name), aimed - set(by_name)
    assert aimed <= failing(result), aimed - failing(result)
    assert all(by_name[name].message for name in aimed)


def assert_catalogue_holds(exercise, classics):
    """At least 8 wrong fixtures, among them the named classic mistakes, and 2 right ones."""
    names = {path.stem for path in catalogue(exercise, "wrong")}
    assert len(names) >= 8 and len(catalogue(exercise, "right")) >= 2
    assert set(classics) <= names, set(classics) - names
