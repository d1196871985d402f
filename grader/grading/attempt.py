"""grade_attempt: a suite's cases, the reference's answers, the attempt's answers in a sandbox, a verdict.

Everything that decides a verdict happens here, in the grader's process: the expected values (from
the reference in ``solutions/``), the comparison, the score. The worker only ever supplies values.
"""

from __future__ import annotations

import ast
import builtins
import copy
import pickle
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

import numpy as np

from grader import catalog
from grader.grading import compare
from grader.catalog import Exercise
from grader.record.result import CaseResult, CaseValues, ExerciseResult, OutputSegment, capped
from grader.record.vocabulary import ERROR, FAILED, NOT_IMPLEMENTED, NOT_RUN, PASSED, TIMEOUT
from grader.grading.errors import AttemptNotFound
from grader.record.vocabulary import ErrorKind
from grader.sandbox.limits import Limits
from grader.sandbox.worker import SANDBOX_REFUSED
from grader.sandbox.session import CallEnd, End, Printed, WorkerSession, active_layers, scrub_paths
from grader.grading.seeds import DEFAULT_SEED
from grader.grading.suite import Case



@dataclass
class Expectation:
    value: Any = None
    raises: str | None = None


def expected_outcome(reference, case: Case) -> Expectation:
    """Call the reference on a private copy of the case's arguments."""
    func = getattr(reference, case.func)
    try:
        return Expectation(value=func(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs)))
    except Exception as exc:  # the reference refusing bad input is part of the contract
        return Expectation(raises=type(exc).__name__)


def changed_inputs(case: Case, inputs: tuple[list, dict] | None) -> compare.Problem | None:
    """A problem when the call modified an argument in place (the worker sent them back after it)."""
    if inputs is None:
        return compare.safe("the grader did not get the arguments back to check they were left unchanged")
    args, kwargs = inputs
    pairs = [(f"argument {i + 1}", before, after) for i, (before, after) in enumerate(zip(case.args, args))]
    pairs += [(f"argument '{name}'", before, kwargs.get(name)) for name, before in case.kwargs.items()]
    for label, before, after in pairs:
        if isinstance(before, np.ndarray) and not (
                isinstance(after, np.ndarray) and after.shape == before.shape
                and np.array_equal(after, before, equal_nan=before.dtype.kind == "f")):
            return compare.safe(f"the values are right, but the call changed {label} in place: leave the "
                                "caller's arrays as they were and return new ones")
    return None


def _where(outcome: CallEnd, attempt: Path) -> str:
    return f" (at {attempt.name} line {outcome.line})" if outcome.line else ""


#: Exception names a hidden case may show a student: the attempt cannot choose their spelling.
_BUILTIN_ERRORS = frozenset(name for name, value in vars(builtins).items()
                            if isinstance(value, type) and issubclass(value, BaseException))


def _error_name(outcome: CallEnd) -> str:
    """The exception's type as a student may see it for a hidden case: a class the attempt defined
    (whose name it can spell out of the case's data) is not named."""
    return outcome.error if outcome.error in _BUILTIN_ERRORS else "an exception of the attempt's own class"


#: Extra values (list items, characters...) a reply may hold beyond the expected answer's own.
SPARE_VALUES = 10_000


def value_count(value: Any) -> int:
    """List items, array elements and characters in a (trusted, expected) value, to size a reply."""
    if isinstance(value, np.ndarray):
        return int(value.size)
    if isinstance(value, (str, bytes)):
        return len(value)
    if isinstance(value, (list, tuple)):
        return len(value) + sum(value_count(item) for item in value)
    return 1


def input_budget(case: Case) -> int:
    """The values a case's arguments hold, when the reply also brings them back (``keeps_inputs``)."""
    return value_count(list(case.args)) + value_count(list(case.kwargs.values()))


def reply_budget(expected: Expectation) -> int:
    """The most values an answer may hold: any larger one is wrong whatever it holds, so the channel
    refuses it unread rather than decode and compare it element by element."""
    return 4 * value_count(expected.value) + SPARE_VALUES


def judge(case: Case, expected: Expectation, outcome: CallEnd, checker, attempt: Path) -> CaseResult:
    """Turn one outcome into a CaseResult. Hidden cases say what failed, never with which data."""
    result = CaseResult(name=case.name, category=case.category, hidden=case.hidden, passed=False,
                        status=FAILED, message="", seconds=round(outcome.seconds, 4))
    if not case.hidden:
        result.call = case.call_text()
        result.expected = (f"raises {expected.raises}" if expected.raises else compare.describe(expected.value))
        result.values = CaseValues(case.args, case.kwargs, expected.value, expected.raises, outcome=outcome.kind,
                                   func=case.func)
    result.error_kind = call_error_kind(outcome)
    if outcome.kind == End.VALUE:
        if not case.hidden:
            if not expected.raises:
                result.expected, result.actual = compare.describe_pair(expected.value, outcome.value)
            else:
                result.actual = compare.describe(outcome.value)
            result.values.actual = outcome.value
        if expected.raises:
            result.message = f"should raise {expected.raises}, but returned a value"
            return result
        try:
            problem = compare.as_problem((case.check or checker)(expected.value, outcome.value))
        except Exception as exc:  # a checker that trips on a strange value still yields a verdict
            problem = compare.safe(f"returned a value the grader could not compare ({type(exc).__name__})")
        if problem is None and case.keeps_inputs:
            problem = changed_inputs(case, outcome.inputs)
        if problem is None:
            result.passed, result.status = True, PASSED
        else:
            # A hidden case shows only sentences its checker marked free of data.
            result.message = problem.text if not case.hidden or problem.safe else "wrong answer"
        return result
    if outcome.kind == End.RAISED:
        if not case.hidden:
            result.actual = f"raised {outcome.error}: {scrub_paths(outcome.message)}"
            result.values.actual_raised = outcome.error
        if expected.raises and expected.raises in outcome.mro:
            result.passed, result.status, result.error_kind = True, PASSED, ErrorKind.NONE
        elif outcome.error == "NotImplementedError":
            result.status, result.message, result.error_kind = NOT_IMPLEMENTED, "not implemented yet", ErrorKind.NONE
        else:
            result.status = ERROR
            detail = f": {scrub_paths(outcome.message)}" if outcome.message else ""
            should = f"; it should raise {expected.raises}" if expected.raises else ""
            memory = ": the attempt ran out of memory (see --memory-mb)" if outcome.error == "MemoryError" else ""
            full = f"raised {outcome.error}{detail}{_where(outcome, attempt)}{should}{memory}"
            if case.hidden:
                # What the attempt raised in a hidden case may spell out the case's arguments.
                result.message = f"raised {_error_name(outcome)}{should}{memory}"
                result.withheld = full
            else:
                result.message = full
        return result
    if outcome.kind == End.TIMEOUT:
        result.status = TIMEOUT
        note = f": this case expects an {case.complexity} solution" if case.complexity else ""
        result.message = f"{scrub_paths(outcome.message)}{note}"
        return result
    result.status = ERROR
    result.message = scrub_paths(outcome.message)
    if case.hidden and outcome.kind == End.DIED:
        # The exit status or signal is the attempt's to choose: a byte of a hidden case's data.
        result.message, result.withheld = "the attempt's process ended during the call", result.message
    return result


#: What each way a call can end without a value means for the attempt.
_END_KINDS = {End.TIMEOUT: ErrorKind.TIMEOUT, End.DIED: ErrorKind.CRASH, End.TOO_LARGE: ErrorKind.REPLY_REFUSED,
              End.BROKEN: ErrorKind.REPLY_REFUSED, End.NO_SANDBOX: ErrorKind.SANDBOX}


def call_error_kind(outcome: CallEnd) -> ErrorKind:
    """Why a call gave no answer (NONE when it returned a value). A refused import is FORBIDDEN and a
    MemoryError MEMORY, read from the exception's class, never from its message."""
    if outcome.kind == End.VALUE:
        return ErrorKind.NONE
    if outcome.kind == End.RAISED:
        if outcome.refused or "RefusedImport" in outcome.mro:
            return ErrorKind.FORBIDDEN
        return ErrorKind.MEMORY if outcome.error == "MemoryError" else ErrorKind.CRASH
    return _END_KINDS[outcome.kind]


def _not_run(case: Case, why: str, status: str = NOT_RUN, kind: ErrorKind = ErrorKind.NONE) -> CaseResult:
    return CaseResult(name=case.name, category=case.category, hidden=case.hidden, passed=False,
                      status=status, message=why, error_kind=kind)


@dataclass
class PreparedSuite:
    """A suite's cases and the reference's answers for one seed. They are the same for every attempt,
    so batch grading computes them once per exercise rather than once per student."""
    exercise: str
    seed: int
    cases: list[Case]
    expectations: list[Expectation]
    seeds: tuple[int, ...] = ()
    """Set by ``prepare_seeds``: the seeds whose cases this suite holds (``seed`` is the first)."""

    def seed_failed(self, failing: set[str]) -> dict[int, bool]:
        """For a multi-seed suite and the names of the cases an attempt failed: did it fail at each seed?
        A seed fails when a case that does not depend on the seed fails, or one of its own ``@seed`` cases."""
        shared = any("@" not in name for name in failing)
        per_seed = {int(name.rsplit("@", 1)[1]) for name in failing if "@" in name}
        return {s: shared or s in per_seed for s in (self.seeds or (self.seed,))}


def prepare(exercise: str | Exercise, seed: int = DEFAULT_SEED) -> PreparedSuite:
    exercise = catalog.get(exercise) if isinstance(exercise, str) else exercise
    reference = exercise.reference()
    cases = exercise.suite().cases(np.random.default_rng(seed))
    return PreparedSuite(exercise.name, seed, cases, [expected_outcome(reference, case) for case in cases])


def _same_call(cases: list[Case]) -> bool:
    first = pickle.dumps((cases[0].func, cases[0].args, cases[0].kwargs))
    return all(pickle.dumps((c.func, c.args, c.kwargs)) == first for c in cases[1:])


def prepare_seeds(exercise: str | Exercise, seeds) -> PreparedSuite:
    """The cases of several seeds as one suite, graded in one worker session (checking an attempt at
    20 seeds costs one grading, not 20). A case whose call is the same at every seed runs once under its
    own name; the others run once per seed, renamed ``<case>@<seed>`` and kept side by side, so that a
    runaway attempt meets its time-outs in a row and is stopped early."""
    exercise = catalog.get(exercise) if isinstance(exercise, str) else exercise
    seeds = tuple(int(s) for s in seeds)
    if not seeds:
        raise ValueError("prepare_seeds needs at least one seed")
    suite = exercise.suite()
    by_seed = [suite.cases(np.random.default_rng(s)) for s in seeds]
    names = [c.name for c in by_seed[0]]
    if any([c.name for c in cases] != names for cases in by_seed[1:]):
        raise ValueError(f"the {exercise.name} suite names different cases at different seeds")
    shared, varying = [], []
    for i, name in enumerate(names):
        versions = [cases[i] for cases in by_seed]
        if _same_call(versions):
            shared.append(versions[0])
        else:
            varying += [replace(case, name=f"{name}@{s}") for case, s in zip(versions, seeds)]
    reference = exercise.reference()
    cases = shared + varying
    return PreparedSuite(exercise.name, seeds[0], cases, [expected_outcome(reference, c) for c in cases], seeds)


def grade_attempt(exercise: str | Exercise, attempt: str | Path, *, seed: int = DEFAULT_SEED,
                  limits: Limits | None = None,
                  on_case: Callable[[CaseResult, int, int], None] | None = None,
                  prepared: PreparedSuite | None = None) -> ExerciseResult:
    """Grade one attempt file against one exercise's suite; ``on_case`` is told of each case as it ends.
    ``prepared`` (from ``prepare``) saves recomputing the cases and expected values for each attempt;
    one from ``prepare_seeds`` is graded whatever ``seed`` says, with the time budget of all its seeds."""
    exercise = catalog.get(exercise) if isinstance(exercise, str) else exercise
    limits = limits or Limits()
    attempt = Path(attempt)
    if not attempt.is_file():
        raise AttemptNotFound(f"no such file: {attempt}")
    started = time.monotonic()
    workers = _Workers(attempt, exercise, limits)
    try:
        workers.spawn()  # the worker imports numpy and the attempt while the reference answers
        suite = exercise.suite()
        if prepared is not None and prepared.seeds and prepared.exercise == exercise.name:
            limits = replace(limits, total_seconds=limits.total_seconds * len(prepared.seeds))
        elif prepared is None or (prepared.exercise, prepared.seed) != (exercise.name, seed):
            prepared = prepare(exercise, seed)
        results = _run_cases(prepared, suite, workers, attempt, limits, started, on_case)
    finally:
        workers.close()
    return ExerciseResult(exercise=exercise.name, attempt=str(attempt), cases=results,
                          max_score=exercise.points, error=workers.error, withheld_error=workers.withheld_error,
                          sandbox=active_layers(), blocked=list(dict.fromkeys(workers.blocked)),
                          observed=list(dict.fromkeys(workers.observed)), seconds=time.monotonic() - started,
                          printed=_segments(workers.printed), error_kind=workers.error_kind,
                          refused=_refused(workers.refused, exercise))


def _refused(names: list[str | None], exercise: Exercise) -> list[str]:
    """The refused modules the worker named, kept only when the exercise or the sandbox does refuse them
    (the worker is the attempt's process: it can write any name there)."""
    known = set(exercise.forbidden) | set(SANDBOX_REFUSED)
    return sorted({name for name in names if name in known})


def _segments(printed: list[Printed]) -> list[OutputSegment]:
    """What the attempt printed, per call: cut to size first, then decoded and scrubbed."""
    segments = []
    for p in printed:
        text = bytes(p.data[: 4 * OUTPUT_SEGMENT_BYTES]).decode("utf-8", "replace")
        text = scrub_paths(text[:OUTPUT_SEGMENT_BYTES])
        if p.dropped:
            text += f"\n[... {p.dropped} more bytes not kept]\n"
        segments.append(OutputSegment(text, p.case, p.after_hidden))
    return capped(segments)


#: Characters of one call's output decoded and scrubbed (the record keeps fewer: results.capped).
OUTPUT_SEGMENT_BYTES = 4096


class _Workers:
    """The attempt's worker processes, one at a time. Each one that ends leaves behind what the
    attempt printed and what the sandbox refused it; a failed import is remembered as the error."""

    def __init__(self, attempt: Path, exercise: Exercise, limits: Limits):
        self.attempt, self.exercise, self.limits = attempt, exercise, limits
        self.current: WorkerSession | None = None
        self.ready = False
        self.error: str | None = None
        self.error_kind = ErrorKind.NONE
        self.refused: list[str | None] = []
        self.withheld_error: str | None = None
        self.printed: list[Printed] = []
        self.blocked: list[str] = []
        self.observed: list[str] = []
        self._restarted_lost = False
        self.after_hidden = False
        """A hidden case's arguments reached a worker of this attempt: a restarted worker (a fresh
        scratch, but the same attempt) may still have kept them, so what it produces is withheld too."""

    def spawn(self) -> None:
        self.current = WorkerSession(self.attempt, functions=self.exercise.functions,
                                     forbidden=self.exercise.forbidden, limits=self.limits)
        self.current.after_hidden = self.after_hidden
        self.ready = False
        self.current.spawn()

    def session(self) -> WorkerSession | None:
        """A worker ready for calls, started if need be; None once the attempt failed to import."""
        if self.error is not None:
            return None
        if self.current is None:
            self.spawn()
        if not self.ready:
            outcome = self.current.wait_ready()
            if not outcome.ok and self.current.lost_with_its_sandbox and not self._restarted_lost:
                # Once: the sandbox failed, not the attempt (a zygote killed from outside, say).
                self._restarted_lost = True
                self.current.close()
                self.spawn()
                outcome = self.current.wait_ready()
            if outcome.ok and not outcome.value:
                self.error, self.error_kind = _defines_none(self.attempt, self.exercise), ErrorKind.IMPORT
            elif not outcome.ok:
                self.error = _import_error(outcome, self.attempt)
                self.error_kind = call_error_kind(outcome)
                if self.error_kind == ErrorKind.CRASH and outcome.kind == End.RAISED:
                    self.error_kind = ErrorKind.IMPORT  # an exception while being imported
                self.refused.append(outcome.refused)
                if self.after_hidden:
                    self.withheld_error = f"after a restart, following hidden cases: {self.error}"
                    self.error = (f"{self.attempt.name} could not be imported again after its worker "
                                  "was restarted (the details are withheld: hidden cases had run)")
            if self.error is not None:
                self.retire()
                return None
            self.ready = True
        return self.current

    def retire(self) -> None:
        if self.current is not None:
            self.printed += self.current.printed
            self.blocked += self.current.blocked
            self.observed += self.current.observed
            self.after_hidden = self.after_hidden or self.current.after_hidden
            self.current.close()
            self.current = None

    close = retire


def _run_cases(prepared: PreparedSuite, suite, workers: _Workers, attempt: Path, limits: Limits,
               started: float, on_case) -> list[CaseResult]:
    results: dict[int, CaseResult] = {}
    limits_in_a_row = 0
    # Public cases run first, so that nothing a public case shows (its actual value, its exception)
    # can carry what the attempt kept from a hidden one; results keep the suite's order.
    order = sorted(range(len(prepared.cases)), key=lambda i: prepared.cases[i].hidden)

    def record(index: int, case_result: CaseResult) -> None:
        results[index] = case_result
        if on_case:
            on_case(case_result, len(results), len(prepared.cases))

    for index in order:
        case, expected = prepared.cases[index], prepared.expectations[index]
        if limits_in_a_row >= limits.consecutive_limit_hits:
            record(index, _not_run(case, f"not run: {limits_in_a_row} cases in a row timed out, ran out "
                                         "of memory, crashed or sent an unreadable reply"))
            continue
        if time.monotonic() - started > limits.total_seconds:
            record(index, _not_run(case, f"not run: the attempt used up its {limits.total_seconds:g} s"))
            continue
        session = workers.session()
        if session is None:
            if workers.error_kind == ErrorKind.SANDBOX:
                record(index, _not_run(case, "not run: grade could not build its sandbox", ERROR, ErrorKind.SANDBOX))
            else:
                record(index, _not_run(case, "not run: the attempt could not be imported", ERROR))
            continue
        outcome = session.call(case.func, case.args, case.kwargs, case.timeout or limits.case_seconds,
                               case=case.name, hidden=case.hidden, echo_inputs=case.keeps_inputs,
                               max_values=reply_budget(expected) + (input_budget(case) if case.keeps_inputs else 0))
        # Time-outs, memory errors or crashes case after case mean a runaway attempt: stop early.
        # A reply refused unread counts too: each costs the grader a read of up to its cap.
        exhausted = outcome.kind in (End.TIMEOUT, End.DIED, End.TOO_LARGE, End.BROKEN, End.NO_SANDBOX) or (
            outcome.kind == End.RAISED and outcome.error == "MemoryError")
        limits_in_a_row = limits_in_a_row + 1 if exhausted else 0
        record(index, judge(case, expected, outcome, suite.CHECKS.get(case.func), attempt))
        workers.refused.append(outcome.refused)
        if outcome.kind not in (End.VALUE, End.RAISED):
            workers.retire()  # a time-out, a crash or a garbled channel: the next case gets a fresh worker
    return [results[i] for i in sorted(results)]


def _defines_none(attempt: Path, exercise: Exercise) -> str:
    """Why an attempt that imported has none of the functions: it is empty, or what it defines instead
    (read with ``ast``, which runs nothing)."""
    wanted = ", ".join(exercise.functions)
    try:
        source = attempt.read_text(encoding="utf-8", errors="replace")
        tree = ast.parse(source)
    except (OSError, SyntaxError, ValueError):
        source, tree = "x", None
    if not source.strip():
        return f"{attempt.name} is empty: write {wanted} in it (`grade init` gives you the stub)."
    defined = [node.name for node in (tree.body if tree else [])
               if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    if not defined:
        return (f"{attempt.name} defines no function; {exercise.name} needs {wanted}: "
                "is it the file of another exercise?")
    shown = ", ".join(defined[:8]) + (", ..." if len(defined) > 8 else "")
    return (f"{attempt.name} defines {shown} but not {wanted}, which {exercise.name} needs: "
            "a misspelt name, or the file of another exercise?")


def _import_error(outcome: CallEnd, attempt: Path) -> str:
    if outcome.kind == End.RAISED:
        where = _where(outcome, attempt)
        return f"{outcome.error}{where}: {scrub_paths(outcome.message)}"
    return scrub_paths(outcome.message)
