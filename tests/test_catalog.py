"""The authoring check: every catalog entry has a stub, a reference and a suite that agree, every stub
fails its suite and every reference passes it, through the same sandbox that grades learners."""

import ast
import doctest
import importlib.util
import re
from pathlib import Path

import numpy as np
import pytest

from grader import authoring, catalog
from grader.grading.attempt import grade_attempt

EXERCISES = [pytest.param(e, id=e.name) for e in catalog.EXERCISES]
REPO = Path(__file__).resolve().parent.parent


def test_names_are_unique_and_valid():
    names = catalog.names()
    assert len(names) == len(set(names))
    assert all(name.isidentifier() for name in names)


def test_every_exercise_has_all_of_its_parts_and_every_part_an_exercise():
    """The authoring check's structural half, both ways: no exercise lacks a part (entry, stub,
    reference, suite, tests, mistakes, right answers), no part is an orphan no command would use."""
    assert authoring.problems(REPO) == []


def _complete_exercise(tmp_path, monkeypatch, name="relu_backward") -> catalog.Exercise:
    """A whole exercise in a temporary clone (catalog paths pointed there)."""
    package, root = tmp_path / "grader", tmp_path
    monkeypatch.setattr(catalog, "_PACKAGE", package)
    monkeypatch.setattr(catalog, "ROOT", root)
    files = [package / "exercises" / name / "__init__.py", package / "exercises" / name / "suite.py",
             root / "exercises" / f"{name}.py", root / "solutions" / f"{name}.py", root / "tests" / f"test_{name}.py",
             root / "tests" / "fixtures" / "right" / name / "loop.py"]
    files += [root / "tests" / "fixtures" / "wrong" / name / f"m{i}.py" for i in range(authoring.MIN_WRONG)]
    for path in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    return catalog.Exercise(name, "ReLU backward", ("relu_backward",), "easy", 5, ("h",), track="layers")


@pytest.mark.parametrize("part, removed, named", [
    ("entry", "grader/exercises/{n}/__init__.py", "grader/exercises/{n}/__init__.py"),
    ("suite", "grader/exercises/{n}/suite.py", "suite"),
    ("stub", "exercises/{n}.py", "its stub"),
    ("reference", "solutions/{n}.py", "its reference"),
    ("tests", "tests/test_{n}.py", "tests/test_{n}.py"),
    ("a mistake", "tests/fixtures/wrong/{n}/m0.py", "tests/fixtures/wrong/{n}/"),
    ("the right answers", "tests/fixtures/right/{n}/loop.py", "tests/fixtures/right/{n}/"),
])
def test_the_authoring_check_names_each_missing_part(tmp_path, monkeypatch, part, removed, named):
    exercise = _complete_exercise(tmp_path, monkeypatch)
    assert authoring.exercise_problems(exercise, tmp_path) == []
    (tmp_path / removed.format(n=exercise.name)).unlink()
    found = authoring.exercise_problems(exercise, tmp_path)
    assert len(found) == 1 and named.format(n=exercise.name) in found[0], (part, found)


def test_the_authoring_check_names_parts_of_no_exercise(tmp_path, monkeypatch):
    exercise = _complete_exercise(tmp_path, monkeypatch)
    assert authoring.orphans(tmp_path, [exercise]) == []
    (tmp_path / "solutions" / "leaky_relu.py").write_text("")
    (tmp_path / "grader" / "exercises" / "leaky_relu").mkdir()
    found = authoring.orphans(tmp_path, [exercise])
    assert len(found) == 2 and all("leaky_relu belongs to no exercise" in f for f in found)


def test_an_exercise_missing_a_part_is_a_usage_error_not_a_traceback(monkeypatch):
    """Issue 20: with its suite gone, `grade list` listed it and `grade NAME` died with a traceback."""
    from click.testing import CliRunner

    from grader.cli import cli

    nms = catalog.get("nms")
    monkeypatch.setattr(type(nms), "suite_path", property(
        lambda self: REPO / "nowhere.py" if self.name == "nms" else catalog._PACKAGE / "exercises" / self.name / "suite.py"))
    assert "nms" not in [e.name for e in catalog.available()]
    result = CliRunner().invoke(cli, ["nms"])
    assert result.exit_code == 2 and "'nms' cannot be graded here" in result.output and "suite" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    listing = CliRunner().invoke(cli, ["list"])
    assert listing.exit_code == 0 and "\n  nms " not in listing.output and "soft_nms" in listing.output


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
