"""The learner's view of a result: one line per case, the first failing public case in detail, a score."""

from __future__ import annotations

import click

from grader.engine.results import CaseResult, ExerciseResult
from grader.outcomes import NOT_IMPLEMENTED, NOT_RUN, PASSED, TIMEOUT

_MARKS = {PASSED: ("PASS", "green"), NOT_IMPLEMENTED: ("TODO", "yellow"), TIMEOUT: ("TIME", "red")}


def _mark(case: CaseResult) -> str:
    text, colour = _MARKS.get(case.status, ("FAIL", "red"))
    return click.style(text, fg=colour, bold=True)


def case_line(case: CaseResult) -> str:
    label = case.name + (click.style(" (hidden)", dim=True) if case.hidden else "")
    if case.passed:
        return f"  {_mark(case)}  {label}"
    if case.hidden:
        detail = f"{case.category}: {case.message}"
    else:
        detail = case.message
    return f"  {_mark(case)}  {label}: {detail}"


def value_lines(case: CaseResult, *, indent: str = "") -> list[str]:
    """A public case's call, expected and actual values, labelled, one above the other: the one
    rendering the terminal, JUnit and Gradescope reports share. A value of several lines (an image)
    keeps its rows under its first, so expected and actual line up column for column."""
    lines = []
    for label, value in (("call", case.call), ("expected", case.expected), ("actual", case.actual)):
        if value is None or case.hidden:
            continue
        first, *rest = str(value).splitlines() or [""]
        lines.append(f"{indent}{label + ':':<10}{first}")
        lines += [f"{indent}{'':<10}{line}" for line in rest]
    return lines


def failure_detail(case: CaseResult) -> list[str]:
    lines = [click.style(f"First failing example: {case.name}", bold=True) + f" ({case.category})"]
    lines += value_lines(case, indent="  ")
    if case.message:
        lines.append(f"  {'why:':<10}{case.message}")
    return lines


def _collapse_not_run(cases: list[CaseResult]) -> list[str]:
    """One line per case, except that a run of cases not run for the same reason is one line."""
    lines, index = [], 0
    while index < len(cases):
        case = cases[index]
        run = 1
        while (case.status == NOT_RUN and index + run < len(cases)
               and cases[index + run].status == NOT_RUN and cases[index + run].message == case.message):
            run += 1
        if run > 1:
            why = case.message.removeprefix("not run: ")
            lines.append(f"  {click.style('SKIP', fg='yellow', bold=True)}  the remaining {run} cases "
                         f"were not run: {why}")
        else:
            lines.append(case_line(case))
        index += run
    return lines


def render(result: ExerciseResult, *, title: str, attempt_label: str, verbose: bool = False) -> str:
    passed, total = result.counts()
    lines = [click.style(f"{result.exercise}: {title}", bold=True) + f"  ({attempt_label})", ""]
    if result.error:
        lines += [click.style("Your file could not be run:", fg="red", bold=True), f"  {result.error}", ""]
    if result.not_implemented:
        lines += [f"Not implemented yet: open {attempt_label}, read the contract in its docstring and "
                  "replace the `raise NotImplementedError`.", ""]
    if result.error and not verbose:
        lines.append(f"  no case ran ({total} cases)")
    else:
        lines += _collapse_not_run(result.cases)
    first_public = next((c for c in result.cases if not c.passed and not c.hidden and c.call), None)
    if first_public and not result.not_implemented and not result.error:
        lines += [""] + failure_detail(first_public)
    if result.output.strip() and not result.passed:
        tail = result.output.strip().splitlines()[-10:]
        lines += ["", click.style("Your code printed (last lines):", dim=True)] + [f"  {t}" for t in tail]
    colour = "green" if result.passed else "red"
    lines += ["", click.style(f"{passed}/{total} cases passed", fg=colour, bold=True)
              + f"  score {result.score:g}/{result.max_score:g}  ({result.seconds:.1f} s)"]
    if not result.passed and not result.error:
        # A file that cannot run needs its error fixed, not a hint about the algorithm.
        lines.append(f"Stuck? `grade hint {result.exercise}` shows the next hint.")
    return "\n".join(lines)
