"""What a hidden suite is made of: cases that name a call, and the checkers that judge its result.

A suite module ``grader/exercises/<exercise>/suite.py`` defines

* ``CHECKS``: a dict from function name to a checker ``check(expected, actual) -> Problem | None``
  (see ``grader.grading.compare``), used for every case of that function unless the case brings its own;
* ``cases(rng) -> list[Case]``: the public examples (the ones in the stub's docstring), the named
  hidden edge cases, and random cases drawn from ``rng`` (a seeded ``numpy.random.Generator``).

Expected values are never written into a suite: the grader calls the reference in ``solutions/``
with the same arguments. When the reference raises (``ValueError`` for bad input), the attempt must
raise the same exception type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from grader.grading import compare
from grader.grading.compare import Checker, describe


@dataclass(frozen=True)
class Case:
    name: str
    """Identifier, unique in the suite: shown for every case, hidden ones included."""
    category: str
    """One line on what the case probes, e.g. "IoU exactly at the threshold": all a hidden case shows."""
    func: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    hidden: bool = True
    timeout: float | None = None
    """Wall-clock seconds for this call; ``None`` takes the default limit."""
    complexity: str | None = None
    """Named in the time-out message of a large case, e.g. "O(n)"."""
    check: Checker | None = None
    """Overrides the suite's checker for this case (property checks that need the inputs)."""
    keeps_inputs: bool = False
    """The call must leave its arguments as they were: the worker sends them back after the call, so
    an answer right in value that modifies the caller's arrays in place still fails."""

    def call_text(self, limit: int = 400) -> str:
        # One line: an image argument's rows could not line up inside a call (reprs hold no newline).
        def one_line(value):
            return re.sub(r"\n\s*", " ", describe(value))
        parts = [one_line(a) for a in self.args] + [f"{k}={one_line(v)}" for k, v in self.kwargs.items()]
        text = f"{self.func}({', '.join(parts)})"
        return text if len(text) <= limit else text[: limit - 3] + "..."


def public(name: str, category: str, func: str, *args: Any, **kwargs: Any) -> Case:
    """A case whose call, expected and actual values are shown to the learner."""
    return Case(name, category, func, tuple(args), dict(kwargs), hidden=False)


def hidden(name: str, category: str, func: str, *args: Any, **kwargs: Any) -> Case:
    """A case that shows only its name and category."""
    return Case(name, category, func, tuple(args), dict(kwargs), hidden=True)


def diagnosing(case: Case, check, known_mistakes, *, kinds=(compare.VALUE,), otherwise=None) -> Case:
    """``case`` with a checker that, once ``check`` finds a wrong value it cannot explain in words a
    hidden case may show, looks for the classic mistakes giving exactly that value and names them.
    ``known_mistakes(*case.args, **case.kwargs)`` yields (what the mistake returns, the sentence that
    names it); the grader computes them in its own process, the attempt is never run twice.

    On a small input several mistakes can give the same answer: then each is named (three at most),
    never a guess between them. ``kinds`` are the problem kinds worth explaining (None: all of them);
    ``otherwise(expected, actual, problem)`` has the last word when no mistake matches."""

    def checked(expected, actual):
        problem = compare.as_problem(check(expected, actual))
        if problem is None or problem.safe or (kinds is not None and problem.kind not in kinds):
            return problem
        matched = []
        try:
            with np.errstate(all="ignore"):
                for value, sentence in known_mistakes(*case.args, **case.kwargs):
                    if sentence not in matched and compare.as_problem(check(value, actual)) is None:
                        matched.append(sentence)
        except (ValueError, TypeError, IndexError, ZeroDivisionError, FloatingPointError):
            pass  # a mistake that is not even defined on this input
        if len(matched) == 1:
            return compare.safe(matched[0])
        if matched:
            return compare.safe("one of these mistakes gives exactly this answer: "
                                + "; ".join(f"({i}) {s}" for i, s in enumerate(matched[:3], 1)))
        return otherwise(expected, actual, problem) if otherwise else problem

    return replace(case, check=checked)
