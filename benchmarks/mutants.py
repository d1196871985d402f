"""Mutation check: does each suite notice when its reference is made slightly wrong?

Every reference in solutions/ is parsed and mutated, one small change at a time, by a small AST
mutator (comparison operators swapped, ``<`` <-> ``<=``, integer constants and slice bounds off by
one, ``+`` <-> ``-``, negations dropped, ``maximum`` <-> ``minimum``, clamps dropped, the two
arguments of a call swapped, sorts reversed). Each mutant is graded by the exercise's suite, the
cases of a few seeds in one sandboxed session (``grading.prepare_seeds``). A mutant the suite passes is
a survivor; survivors are then run in-process against the reference on the suite's inputs at many
more seeds and compared with the suite's own checkers: if no input tells them apart, the survivor is
labelled probably equivalent (it changes no behaviour the contract cares about), otherwise the suite
needs a case for it.

    PYTHONPATH=. python benchmarks/mutants.py                # every exercise
    PYTHONPATH=. python benchmarks/mutants.py --exercise nms --seeds 3 --equivalence-seeds 60
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import signal
import sys
import tempfile
import time
import types
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from grader import catalog
from grader.grading.attempt import expected_outcome, grade_attempt, prepare_seeds
from grader.grading.compare import Unsupported
from grader.sandbox.limits import Limits
from grader.sandbox.worker import decode, encode

SEEDS = (2024, 1, 7, 99, 31337)

_SWAPS = {ast.Lt: (ast.LtE, ast.Gt), ast.LtE: (ast.Lt, ast.GtE), ast.Gt: (ast.GtE, ast.Lt),
          ast.GtE: (ast.Gt, ast.LtE), ast.Eq: (ast.NotEq,), ast.NotEq: (ast.Eq,),
          ast.Is: (ast.IsNot,), ast.IsNot: (ast.Is,), ast.In: (ast.NotIn,), ast.NotIn: (ast.In,)}
_OPPOSITE = {"maximum": "minimum", "minimum": "maximum", "max": "min", "min": "max",
             "argmax": "argmin", "argmin": "argmax"}
_SORTS = {"argsort", "sorted", "sort", "lexsort"}


@dataclass
class Mutant:
    line: int
    what: str
    source: str


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _renamed(func: ast.expr, name: str) -> ast.expr:
    func = copy.deepcopy(func)
    if isinstance(func, ast.Name):
        func.id = name
    else:
        func.attr = name
    return func


def _reversed(node: ast.expr) -> ast.expr:
    return ast.Subscript(value=node, slice=ast.Slice(None, None, ast.Constant(-1)), ctx=ast.Load())


def _is_number(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool)


def variants(node: ast.AST, parent: ast.AST | None) -> list[tuple[str, ast.AST]]:
    """The one-change mutants of a node: (description, replacement node)."""
    out: list[tuple[str, ast.AST]] = []
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        for new in _SWAPS.get(type(node.ops[0]), ()):
            out.append((f"{type(node.ops[0]).__name__} -> {new.__name__}",
                        ast.Compare(left=node.left, ops=[new()], comparators=node.comparators)))
    elif isinstance(node, ast.Constant) and type(node.value) is int and not isinstance(parent, ast.JoinedStr):
        out += [(f"{node.value} -> {node.value + 1}", ast.Constant(node.value + 1)),
                (f"{node.value} -> {node.value - 1}", ast.Constant(node.value - 1))]
    elif isinstance(node, ast.Slice):
        for side in ("lower", "upper"):
            bound = getattr(node, side)
            if bound is None or isinstance(bound, ast.Constant):  # constants: the rule above
                continue
            for op, text in ((ast.Add(), "+ 1"), (ast.Sub(), "- 1")):
                new = copy.copy(node)
                setattr(new, side, ast.BinOp(left=bound, op=op, right=ast.Constant(1)))
                out.append((f"slice {side} bound {text}", new))
    elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice) and _is_step_minus_one(node.slice):
        out.append(("[::-1] removed", node.value))
    elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        new_op = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()
        out.append((f"{type(node.op).__name__} -> {type(new_op).__name__}",
                    ast.BinOp(left=node.left, op=new_op, right=node.right)))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.Not)):
        out.append((f"{type(node.op).__name__} dropped", node.operand))
    elif isinstance(node, ast.BoolOp):
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        out.append((f"{type(node.op).__name__} -> {type(other).__name__}", ast.BoolOp(op=other, values=node.values)))
    elif isinstance(node, ast.Call):
        name = _name(node.func)
        if name in _OPPOSITE:
            out.append((f"{name} -> {_OPPOSITE[name]}",
                        ast.Call(func=_renamed(node.func, _OPPOSITE[name]), args=node.args, keywords=node.keywords)))
        if name in ("maximum", "minimum", "max", "min") and len(node.args) == 2:
            for keep, drop in ((0, 1), (1, 0)):
                out.append((f"clamp {name}(...) dropped, argument {keep + 1} kept", node.args[keep]))
        if name == "clip" and node.args:
            out.append(("clip dropped", node.args[0]))
        if name in _SORTS:
            out.append((f"{name} reversed", _reversed(node)))
        if len(node.args) == 2 and not node.keywords and name not in ("maximum", "minimum", "max", "min"):
            out.append((f"arguments of {name} swapped",
                        ast.Call(func=node.func, args=[node.args[1], node.args[0]], keywords=[])))
    return out


def _is_step_minus_one(s: ast.Slice) -> bool:
    return (s.lower is None and s.upper is None and isinstance(s.step, ast.UnaryOp)
            and isinstance(s.step.op, ast.USub) and isinstance(s.step.operand, ast.Constant)
            and s.step.operand.value == 1) or (s.lower is None and s.upper is None and
                                               isinstance(s.step, ast.Constant) and s.step.value == -1)


class _Walk(ast.NodeTransformer):
    """Pre-order numbering of the nodes; replaces node number ``target`` with ``make(node, parent)``."""

    def __init__(self, target: int = -1, make=None):
        self.count, self.target, self.make = 0, target, make
        self.found: list[tuple[int, ast.AST, ast.AST | None]] = []
        self.parents: list[ast.AST | None] = [None]

    def visit(self, node):
        index = self.count
        self.count += 1
        parent = self.parents[-1]
        if self.target < 0:
            self.found.append((index, node, parent))
        elif index == self.target:
            return self.make(node, parent)
        self.parents.append(node)
        try:
            return self.generic_visit(node)
        finally:
            self.parents.pop()


def _skipped(tree: ast.Module) -> set[int]:
    """Nodes not worth mutating: docstrings and the messages of raised errors."""
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) or (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            skip.update(id(n) for n in ast.walk(node))
    return skip


def mutants(source: str) -> list[Mutant]:
    tree = ast.parse(source)
    walker = _Walk()
    walker.visit(tree)
    skip = _skipped(tree)
    out = []
    for index, node, parent in walker.found:
        if id(node) in skip:
            continue
        for k, (what, _) in enumerate(variants(node, parent)):
            def make(n, p, k=k):
                return variants(n, p)[k][1]
            fresh = ast.parse(source)
            mutated = ast.fix_missing_locations(_Walk(index, make).visit(fresh))
            try:
                code = ast.unparse(mutated)
            except Exception:  # an unrepresentable tree is no mutant
                continue
            out.append(Mutant(getattr(node, "lineno", 0), what, code))
    return out


class _TimedOut(Exception):
    pass


def _alarm(signum, frame):
    raise _TimedOut()


def _load(code: str, name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    exec(compile(code, name, "exec"), module.__dict__)
    return module


def equivalent_on(exercise, mutant: Mutant, seeds) -> str | None:
    """None when the mutant agrees with the reference (by the suite's checkers) on every case of the
    suite at ``seeds``; else the first case that tells them apart."""
    suite = exercise.suite()
    reference = exercise.reference()
    try:
        module = _load(mutant.source, f"_mutant_{exercise.name}")
    except Exception as exc:
        return f"import: {type(exc).__name__}"
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for seed in seeds:
            for case in _with_rescaled(suite.cases(np.random.default_rng(seed)), exercise.name):
                expected = expected_outcome(reference, case)
                signal.alarm(5)
                try:
                    got = expected_outcome(module, case)
                except _TimedOut:
                    return f"{case.name}@{seed}: time-out"
                finally:
                    signal.alarm(0)
                if (expected.raises or got.raises) and expected.raises != got.raises:
                    return f"{case.name}@{seed}: raises {got.raises} vs {expected.raises}"
                if expected.raises:
                    continue
                check = case.check or suite.CHECKS[case.func]
                try:
                    problem = check(expected.value, _plain(got.value))
                except Exception as exc:
                    problem = f"checker failed: {type(exc).__name__}"
                if problem is not None:
                    return f"{case.name}@{seed}"
    finally:
        signal.signal(signal.SIGALRM, previous)
    return None


#: Functions whose float inputs are not valid at any scale (recall and precision live in [0, 1]).
UNSCALABLE = {"average_precision"}


def _with_rescaled(cases, exercise_name):
    """The cases, then copies with every float array argument scaled by 1/100 and by 100: more valid
    inputs than the suite holds (tiny boxes, large images), where a mutated constant often shows."""
    yield from cases
    for factor in (0.01, 100.0):
        for case in cases:
            if case.func in UNSCALABLE:
                continue
            args = tuple(a * factor if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a for a in case.args)
            if any(a is not b for a, b in zip(args, case.args)):
                yield replace(case, name=f"{case.name}*{factor:g}", args=args)


def _plain(value):
    """The value as the checkers see it after the sandbox's wire."""
    return decode(json.loads(json.dumps(encode(value))), unsupported=Unsupported)


def run(exercise, seeds, equivalence_seeds, limit, out=sys.stdout) -> dict:
    source = exercise.solution_path.read_text()
    found = mutants(source)[:limit] if limit else mutants(source)
    lines = source.splitlines()
    prep = prepare_seeds(exercise, seeds)
    killed, survivors = 0, []
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        for i, mutant in enumerate(found, 1):
            path = Path(tmp) / f"mutant_{i}.py"
            path.write_text(mutant.source)
            result = grade_attempt(exercise, path, prepared=prep,
                                   limits=Limits(case_seconds=2.0, total_seconds=60.0))
            if result.passed:
                survivors.append(mutant)
            else:
                killed += 1
            print(f"\r  {exercise.name}: {i}/{len(found)} graded, {len(survivors)} surviving "
                  f"({time.monotonic() - started:.0f} s)", end="", file=out, flush=True)
    print(file=out)
    report = {"mutants": len(found), "killed": killed, "survivors": []}
    for mutant in survivors:
        differs = equivalent_on(exercise, mutant, equivalence_seeds)
        label = "probably equivalent" if differs is None else f"NOT equivalent (differs on {differs})"
        text = lines[mutant.line - 1].strip() if 0 < mutant.line <= len(lines) else ""
        report["survivors"].append((mutant.line, mutant.what, text, label))
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--exercise", action="append", help="only this exercise (repeatable)")
    parser.add_argument("--seeds", type=int, default=3, help="seeds whose cases grade each mutant")
    parser.add_argument("--equivalence-seeds", type=int, default=40,
                        help="seeds whose cases compare a survivor with the reference")
    parser.add_argument("--limit", type=int, default=0, help="at most this many mutants per exercise")
    args = parser.parse_args(argv)
    names = args.exercise or [e.name for e in catalog.EXERCISES]
    seeds = SEEDS[:args.seeds] if args.seeds <= len(SEEDS) else SEEDS + tuple(range(1000, 1000 + args.seeds - len(SEEDS)))
    extra = tuple(range(5000, 5000 + args.equivalence_seeds))
    total_m = total_k = 0
    open_survivors = 0
    for name in names:
        exercise = catalog.get(name)
        report = run(exercise, seeds, extra, args.limit)
        total_m += report["mutants"]
        total_k += report["killed"]
        print(f"{name}: {report['mutants']} mutants, {report['killed']} killed, "
              f"{len(report['survivors'])} survivors")
        for line, what, text, label in report["survivors"]:
            open_survivors += not label.startswith("probably")
            print(f"    line {line}: {what}: {text}\n        -> {label}")
    print(f"all: {total_m} mutants, {total_k} killed, {total_m - total_k} survivors, "
          f"{open_survivors} of them not shown equivalent")
    return 1 if open_survivors else 0


if __name__ == "__main__":
    sys.exit(main())
