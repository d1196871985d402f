"""The learner's view of a result: one line per case, the first failing public case in detail, a score."""

from __future__ import annotations

import click

from grader.record.result import STUDENT, CaseResult, ExerciseResult
from grader.record.vocabulary import NOT_IMPLEMENTED, NOT_RUN, PASSED, TIMEOUT

_MARKS = {PASSED: ("PASS", "green"), NOT_IMPLEMENTED: ("TODO", "yellow"), TIMEOUT: ("TIME", "red")}


def _mark(case: CaseResult) -> str:
    text, colour = _MARKS.get(case.status, ("FAIL", "red"))
    return click.style(text, fg=colour, bold=True)


def case_line(case: CaseResult, audience: str = STUDENT) -> str:
    label = case.name + (click.style(" (hidden)", dim=True) if case.hidden else "")
    if case.passed:
        return f"  {_mark(case)}  {label}"
    if case.hidden:
        detail = f"{case.category}: {case.message_for(audience)}"
    else:
        detail = case.message
    return f"  {_mark(case)}  {label}: {detail}"


def _cut(line: str, width: int = 200) -> str:
    return line if len(line) <= width else line[: width - 3] + "..."


def printed_lines(result: ExerciseResult, audience: str, *, last: int = 10) -> list[str]:
    """The last lines the attempt printed, each run of them headed by the case that printed it."""
    segments = result.printed_for(audience)
    lines: list[str] = []
    for segment in reversed(segments):
        text = segment.text.strip("\n").splitlines()[-(last - len(lines)):] if len(lines) < last else []
        if text:
            lines[:0] = [click.style(f"  {segment.label()}:", dim=True)] + [f"    {_cut(t)}" for t in text]
    withheld = len(segments) < len(result.printed)
    if withheld:
        lines.append(click.style("  (what it printed after hidden cases had run is withheld)", dim=True))
    if not lines:
        return []
    return [click.style("Your code printed (last lines):", dim=True)] + lines


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


def _collapse_not_run(cases: list[CaseResult], audience: str) -> list[str]:
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
            lines.append(case_line(case, audience))
        index += run
    return lines


def render(result: ExerciseResult, *, title: str, attempt_label: str, audience: str,
           verbose: bool = False) -> str:
    """``audience`` is results.LEARNER at the learner's own terminal, results.STUDENT for class-mode
    feedback: it decides whether what the attempt produced after hidden cases is shown."""
    passed, total = result.counts()
    lines = [click.style(f"{result.exercise}: {title}", bold=True) + f"  ({attempt_label})", ""]
    if result.error:
        lines += [click.style("Your file could not be run:", fg="red", bold=True),
                  f"  {result.error_for(audience)}", ""]
    if result.not_implemented:
        lines += [f"Not implemented yet: open {attempt_label}, read the contract in its docstring and "
                  "replace the `raise NotImplementedError`.", ""]
    if result.error and not verbose:
        lines.append(f"  no case ran ({total} cases)")
    else:
        lines += _collapse_not_run(result.cases, audience)
    first_public = next((c for c in result.cases if not c.passed and not c.hidden and c.call), None)
    if first_public and not result.not_implemented and not result.error:
        lines += [""] + failure_detail(first_public)
    printed = printed_lines(result, audience) if not result.passed else []
    if printed:
        lines += [""] + printed
    colour = "green" if result.passed else "red"
    # How long the attempt took is its to choose (it can sleep): a student is not shown it.
    timing = f"  ({result.seconds:.1f} s)" if audience != STUDENT else ""
    lines += ["", click.style(f"{passed}/{total} cases passed", fg=colour, bold=True)
              + f"  score {result.score:g}/{result.max_score:g}{timing}"]
    if not result.passed and not result.error:
        lines.append(f"Stuck? `grade hint {result.exercise}` shows the next hint.")
    if result.layer_note:
        lines.append(click.style(result.layer_note, dim=True))
    return "\n".join(lines)
