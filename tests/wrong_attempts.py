"""Shared by the exercise tests: grade each wrong fixture attempt once, and check that it fails the
cases aimed at its mistake (and, where given, still passes the control cases); grade the right ones."""

import functools
from pathlib import Path

from grader import catalog
from grader.engine.grading import grade_attempt

FIXTURES = Path(__file__).parent / "fixtures"
WRONG = FIXTURES / "wrong"


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


def catalogued(exercise):
    """The mistake-catalogue fixtures of one exercise: (path, caught-by case names) per wrong attempt,
    read from the two comment lines each one starts with."""
    found = []
    for path in sorted((WRONG / exercise).glob("*.py")):
        mistake, caught = path.read_text().splitlines()[:2]
        assert mistake.startswith("# mistake: ") and caught.startswith("# caught-by: "), path.name
        found.append((path, frozenset(name.strip() for name in caught[len("# caught-by: "):].split(","))))
    return found


def assert_caught(exercise, path, caught_by):
    """A catalogued wrong attempt fails every case its header names (at the default seed; the
    mistake-catalogue test runs more seeds)."""
    result = grade_attempt(exercise, path)
    assert result.error is None, result.error
    assert caught_by <= failing(result), sorted(caught_by - failing(result))


def message(exercise, mistake, case):
    """What a catalogued wrong attempt is told for one case."""
    return next(c.message for c in graded_wrong(exercise, mistake).cases if c.name == case)


def right_answers(exercise):
    """The reference, the naive loop answers (fixtures/slow/<exercise>_*.py) and the right answers in unusual
    styles (fixtures/right/<exercise>/)."""
    return [catalog.get(exercise).solution_path, *sorted((FIXTURES / "slow").glob(f"{exercise}_*.py")),
            *sorted((FIXTURES / "right" / exercise).glob("*.py"))]


def assert_passes_fast(exercise, path, seconds=1.0):
    """Every case passes, each far inside the default 3 s limit (the naive loops included)."""
    result = grade_attempt(exercise, path)
    assert result.passed, [(c.name, c.message) for c in result.cases if not c.passed]
    assert max(c.seconds for c in result.cases) < seconds
