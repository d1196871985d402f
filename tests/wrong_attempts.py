"""Shared by the exercise tests that check what a learner is told: each wrong fixture graded once.
(Whether a fixture fails, and where, is tests/test_mistakes.py's job.)"""

import functools
from pathlib import Path

from grader.grading.attempt import grade_attempt

WRONG = Path(__file__).parent / "fixtures" / "wrong"


@functools.lru_cache(maxsize=None)
def graded_wrong(exercise, mistake):
    return grade_attempt(exercise, WRONG / exercise / f"{mistake}.py")


FIXTURES = Path(__file__).parent / "fixtures"


def catalogue(exercise, kind):
    """The mistake-catalogue fixtures of one exercise: ``kind`` is "wrong" or "right"."""
    return sorted((FIXTURES / kind / exercise).glob("*.py"))


def assert_reference_and_loops_pass(exercise, loops):
    """The reference and the naive loop answer ``tests/fixtures/slow/<loops>.py`` pass, every case far
    inside the default 3 s limit."""
    from grader import catalog

    for path in (catalog.get(exercise).solution_path, FIXTURES / "slow" / f"{loops}.py"):
        result = grade_attempt(exercise, path)
        assert result.passed, [(c.name, c.message) for c in result.cases if not c.passed]
        assert max(c.seconds for c in result.cases) < 1.0


def assert_catalogue_holds(exercise, classics):
    """At least 8 wrong fixtures, among them the named classic mistakes, and 2 right ones."""
    names = {path.stem for path in catalogue(exercise, "wrong")}
    assert len(names) >= 8 and len(catalogue(exercise, "right")) >= 2
    assert set(classics) <= names, set(classics) - names


def assert_raised_by_the_contract(raised) -> None:
    """The ValueError of a bad-input test came from a ``raise`` statement of the reference itself (the
    contract's own check), not from numpy: a broadcasting or reshape error is a ValueError too, and would
    otherwise stand in for a check the reference forgot."""
    entry = raised.traceback[-1]
    where = Path(str(entry.path))
    statement = str(entry.statement).strip()
    assert where.parent.name == "solutions" and statement.startswith("raise"), (
        f"the ValueError came from {where.name}:{entry.lineno + 1} ({statement[:80]!r}), not from a check of "
        f"the reference: {raised.value}")
