"""The learner's view of a result: one line per case, the first failing public case in detail, a score."""

from __future__ import annotations

import click

from grader.engine.oslayer import layer_note
from grader.engine.results import CaseResult, ExerciseResult
from grader.outcomes import NOT_IMPLEMENTED, PASSED, TIMEOUT

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


def failure_detail(case: CaseResult) -> list[str]:
    lines = [click.style(f"First failing example: {case.name}", bold=True) + f" ({case.category})"]
    for label, value in (("call", case.call), ("expected", case.expected), ("actual", case.actual)):
        if value is not None:
            lines.append(f"  {label + ':':<10}{value}")
    if case.message:
        lines.append(f"  {'why:':<10}{case.message}")
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
        lines += [case_line(c) for c in result.cases]
    first_public = next((c for c in result.cases if not c.passed and not c.hidden and c.call), None)
    if first_public and not result.not_implemented and not result.error:
        lines += [""] + failure_detail(first_public)
    if result.output.strip() and not result.passed:
        tail = result.output.strip().splitlines()[-10:]
        lines += ["", click.style("Your code printed (last lines):", dim=True)] + [f"  {t}" for t in tail]
    colour = "green" if result.passed else "red"
    lines += ["", click.style(f"{passed}/{total} cases passed", fg=colour, bold=True)
              + f"  score {result.score:g}/{result.max_score:g}  ({result.seconds:.1f} s)"]
    if not result.passed:
        lines.append(f"Stuck? `grade hint {result.exercise}` shows the next hint.")
    if layer_note(result.sandbox):
        lines.append(click.style(layer_note(result.sandbox), dim=True))
    return "\n".join(lines)
