"""The authoring check: every catalog entry has a stub, a reference and a suite that agree, every stub
fails its suite and every reference passes it, through the same sandbox that grades learners."""

import ast
import doctest
import importlib.util
import re

import numpy as np
import pytest

from grader import catalog
from grader.grading.attempt import grade_attempt

EXERCISES = [pytest.param(e, id=e.name) for e in catalog.EXERCISES]


def test_names_are_unique_and_valid():
    names = catalog.names()
    assert len(names) == len(set(names))
    assert all(name.isidentifier() for name in names)


@pytest.mark.parametrize("folder", ["exercises", "solutions", "grader/suites"])
def test_every_exercise_file_has_a_catalog_entry(folder):
    """The other direction of the authoring check: a stub, reference or suite with no entry is an orphan
    that no command would ever grade."""
    known = set(catalog.names())
    files = sorted(p.stem for p in (catalog.ROOT / folder).glob("*.py") if p.stem != "__init__")
    orphans = [name for name in files if name not in known]
    assert not orphans, f"{folder}/ has files with no Exercise entry in grader/catalog.py: {orphans}"


@pytest.mark.parametrize("exercise", EXERCISES)
def test_entry_is_complete(exercise):
    assert exercise.title and exercise.difficulty in {"easy", "medium", "hard"} and exercise.minutes > 0
    assert exercise.track in catalog.TRACKS
    assert len(exercise.hints) >= 2, "hints are progressive: a nudge first, the key idea last"
    assert exercise.stub_path.is_file(), f"add the stub {exercise.stub_path}"
    assert exercise.solution_path.is_file(), f"add the reference {exercise.solution_path}"
    suite = exercise.suite()
    assert set(suite.CHECKS) == set(exercise.functions), "CHECKS needs one checker per function"


@pytest.mark.parametrize("exercise", EXERCISES)
def test_stub_defines_each_function_raising_not_implemented(exercise):
    tree = ast.parse(exercise.stub_path.read_text())
    assert ast.get_docstring(tree), "the stub's module docstring states the common rules"
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert set(functions) == set(exercise.functions)
    for node in functions.values():
        assert ast.get_docstring(node), f"{node.name} needs the contract in its docstring"
        assert "Example" in ast.get_docstring(node), f"{node.name}'s docstring needs a worked example"
        raises = [n for n in ast.walk(node) if isinstance(n, ast.Raise)]
        assert any("NotImplementedError" in ast.unparse(r) for r in raises)


@pytest.mark.parametrize("exercise", EXERCISES)
def test_reference_has_the_same_signatures_as_the_stub(exercise):
    def signatures(path):
        tree = ast.parse(path.read_text())
        return {n.name: ast.unparse(n.args) for n in tree.body if isinstance(n, ast.FunctionDef)
                and n.name in exercise.functions}
    assert signatures(exercise.solution_path) == signatures(exercise.stub_path)


@pytest.mark.parametrize("exercise", EXERCISES)
def test_suite_is_well_formed_and_seeded(exercise):
    suite = exercise.suite()
    cases = suite.cases(np.random.default_rng(1))
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "case names must be unique"
    assert all(c.func in exercise.functions for c in cases)
    assert any(not c.hidden for c in cases) and any(c.hidden for c in cases)
    assert all(c.category for c in cases)
    for func in exercise.functions:
        assert any(c.func == func for c in cases), f"no case calls {func}"
    again = suite.cases(np.random.default_rng(1))
    other = suite.cases(np.random.default_rng(2))
    assert [c.call_text(10**6) for c in again] == [c.call_text(10**6) for c in cases], "same seed, same cases"
    assert [c.call_text(10**6) for c in other] != [c.call_text(10**6) for c in cases], "the seed must matter"
    public = [c.call_text(10**6) for c in cases if not c.hidden]
    assert public == [c.call_text(10**6) for c in other if not c.hidden], "public cases do not depend on the seed"


@pytest.mark.parametrize("exercise", EXERCISES)
def test_reference_passes_its_suite_in_the_sandbox(exercise):
    result = grade_attempt(exercise, exercise.solution_path)
    failures = [(c.name, c.message) for c in result.cases if not c.passed]
    assert result.error is None and not failures, failures
    assert result.passed and result.score == result.max_score


@pytest.mark.parametrize("exercise", EXERCISES)
def test_untouched_stub_fails_every_case_as_not_implemented(exercise):
    result = grade_attempt(exercise, exercise.stub_path)
    assert not result.passed and result.score == 0
    assert result.not_implemented, [(c.name, c.status) for c in result.cases if c.status != "not_implemented"]


def test_unknown_exercise_suggests_the_closest_name():
    with pytest.raises(catalog.UnknownExercise, match="Did you mean 'nms'"):
        catalog.get("nsm")


_NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?")


class RoundedOutputChecker(doctest.OutputChecker):
    """Stubs show arrays rounded ("shown to 3 decimals"): numbers agree to the decimals shown, the
    text around them must match exactly (modulo white space)."""

    def check_output(self, want, got, optionflags):
        want = re.sub(r"\(shown to \d+ decimals\)", "", want)
        if super().check_output(want, got, optionflags | doctest.NORMALIZE_WHITESPACE):
            return True
        skeleton = lambda text: "".join(_NUMBER.sub("#", text).split())
        if skeleton(want) != skeleton(got):
            return False
        for w, g in zip(_NUMBER.findall(want), _NUMBER.findall(got)):
            decimals = len(w.partition(".")[2]) if "." in w and "e" not in w else 0
            if abs(float(w) - float(g)) > 0.5 * 10 ** -decimals + 1e-12:
                return False
        return True


@pytest.mark.parametrize("exercise", EXERCISES)
def test_docstring_examples_are_what_the_reference_returns(exercise):
    """The worked examples a learner reads in the stub are the reference's answers."""
    spec = importlib.util.spec_from_file_location(f"stub_{exercise.name}", exercise.stub_path)
    stub = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stub)
    reference = exercise.reference()
    runner = doctest.DocTestRunner(checker=RoundedOutputChecker())
    for test in doctest.DocTestFinder().find(stub):
        test.globs = {"np": np, **{f: getattr(reference, f) for f in exercise.functions}}
        runner.run(test)
    failed, attempted = runner.summarize(verbose=False)
    assert attempted >= len(exercise.functions), "every function needs a worked example"
    assert failed == 0
