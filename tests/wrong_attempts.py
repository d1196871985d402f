"""Shared by the exercise tests that check what a learner is told: each wrong fixture graded once.
(Whether a fixture fails, and where, is tests/test_mistakes.py's job.)"""

import functools
from pathlib import Path

from grader.engine.grading import grade_attempt

WRONG = Path(__file__).parent / "fixtures" / "wrong"


@functools.lru_cache(maxsize=None)
def graded_wrong(exercise, mistake):
    return grade_attempt(exercise, WRONG / exercise / f"{mistake}.py")

