"""The CLI: exit codes, JSON output, help with examples, and forwarding of what it parsed."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from grader import catalog, cli
from grader.grading import attempt as grading
from grader.grading.seeds import DEFAULT_SEED

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args):
    return CliRunner().invoke(cli.cli, list(args))


def test_untouched_stub_exits_1_and_points_to_the_file_and_the_hint():
    result = run("nms")
    assert result.exit_code == 1
    assert "Not implemented yet" in result.output and "exercises/nms.py" in result.output
    assert "grade hint nms" in result.output
    assert result.output.count("not implemented yet") >= 20  # every case is reported


def test_correct_attempt_exits_0():
    result = run("nms", str(catalog.get("nms").solution_path))
    assert result.exit_code == 0, result.output
    n = len(catalog.get("nms").suite().cases(np.random.default_rng(0)))
    assert f"{n}/{n} cases passed" in result.output


def test_wrong_attempt_exits_1_with_the_first_public_failure_in_detail():
    result = run("nms", str(FIXTURES / "wrong" / "nms" / "ge_threshold.py"))
    assert result.exit_code == 1
    assert "First failing example: docstring_at_threshold" in result.output
    assert "expected 2 indices, got 1: missing 0" in result.output
    assert "iou_at_threshold (hidden): IoU exactly at the threshold" in result.output


def test_syntax_error_exits_1_and_names_the_line():
    result = run("nms", str(FIXTURES / "attempts" / "syntax_error" / "nms.py"))
    assert result.exit_code == 1
    assert "could not be run" in result.output and "line 1" in result.output


@pytest.mark.parametrize("args", [("nope",), ("nms", "does/not/exist.py"), ("hint", "nope"),
                                  ("nms", "--case-timeout", "-1")])
def test_usage_errors_exit_2_without_a_traceback(args):
    result = run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_json_output_is_the_record():
    result = run("nms", str(catalog.get("nms").solution_path), "--json")
    record = json.loads(result.output)
    assert record["exercise"] == "nms" and record["passed"] is True and record["max_score"] == 10
    assert {"name", "passed", "hidden", "message"} <= set(record["cases"][0])


def test_cli_forwards_what_it_parsed(monkeypatch):
    seen = {}

    def fake_grade(exercise, attempt, *, seed, limits, on_case):
        seen.update(exercise=exercise.name, attempt=attempt, seed=seed, limits=limits)
        raise SystemExit(0)

    monkeypatch.setattr(grading, "grade_attempt", fake_grade)
    run("iou", "some.py", "--seed", "7", "--case-timeout", "2.5", "--memory-mb", "256")
    assert seen["exercise"] == "iou" and seen["attempt"] == Path("some.py") and seen["seed"] == 7
    assert seen["limits"].case_seconds == 2.5 and seen["limits"].memory_mb == 256
    run("iou")
    assert seen["attempt"] == catalog.get("iou").stub_path and seen["seed"] == DEFAULT_SEED


def test_seed_changes_the_hidden_random_cases():
    suite = catalog.get("nms").suite()
    import numpy as np
    first = {c.name: c.call_text(10**6) for c in suite.cases(np.random.default_rng(DEFAULT_SEED))}
    second = {c.name: c.call_text(10**6) for c in suite.cases(np.random.default_rng(7))}
    assert first["random_0"] != second["random_0"] and first["empty"] == second["empty"]


def test_list_shows_every_exercise_with_difficulty_and_minutes():
    result = run("list")
    assert result.exit_code == 0
    for exercise in catalog.EXERCISES:
        line = next(l for l in result.output.splitlines() if l.split()[:1] == [exercise.name])
        assert exercise.difficulty in line and str(exercise.minutes) in line and exercise.title in line


def test_hints_are_progressive():
    hints = catalog.get("nms").hints
    first = run("hint", "nms").output
    assert hints[0] in first and hints[1] not in first
    second = run("hint", "nms").output
    assert hints[1] in second
    # Oldest first: the nudge stays above the new hint (a learner reads down to what is new).
    assert second.index(hints[0]) < second.index(hints[1])
    for _ in range(5):
        last = run("hint", "nms").output
    assert hints[-1] in last and "again for the next one" not in last
    assert catalog.get("iou").hints[-1] in run("hint", "iou", "--all").output
    assert run("hint", "nms", "--reset").exit_code == 0
    assert hints[1] not in run("hint", "nms").output


def test_every_command_has_help_with_an_example():
    names = cli.cli.list_commands(None)
    assert {"check", "practice", "batch", "gradescope", "history", "solution"} <= set(names)
    for name in names:
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert "Example" in result.output, f"`grade {name} --help` needs an example"


def test_console_script_runs_as_a_real_process():
    done = subprocess.run([sys.executable, "-m", "grader", "nms", str(catalog.get("nms").solution_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "\033[" not in done.stdout  # no colour codes when stdout is not a terminal


def test_names_are_forgiving_about_case_and_dashes():
    assert catalog.get("NMS").name == "nms" and catalog.get("max-subarray").name == "max_subarray"


def test_the_file_of_another_exercise_is_named_as_such():
    result = run("nms", str(catalog.get("iou").solution_path))
    assert result.exit_code == 1
    assert "iou.py defines iou, pairwise_iou but not nms, which nms needs" in result.output


@pytest.mark.parametrize("argv", [["--help"], ["list"], [], ["hint", "--help"], ["batch", "--help"]])
def test_commands_that_grade_nothing_do_not_load_numpy(argv):
    """`grade --help` and `grade list` answer at interactive speed: numpy, the grading engine and the
    class modules load only for a command that grades (issue 16)."""
    probe = ("import sys\nfrom grader import cli\nsys.argv = ['grade'] + sys.argv[1:]\n"
             "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
             "heavy = [m for m in ('numpy', 'grader.grading.attempt', 'grader.classroom.batch', 'jinja2') "
             "if m in sys.modules]\nprint('HEAVY', heavy, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in done.stderr, done.stderr[-2000:]


def test_grading_one_file_imports_neither_the_practice_loop_nor_class_grading():
    """Latency of `grade nms` (issue 16): the command modules of other commands load only when run."""
    probe = ("import sys; sys.argv = ['grade', 'nms', sys.argv[1]]\n"
             "from grader import entry\n"
             "try:\n    entry.main()\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.startswith(('grader.commands.', 'grader.classroom', "
             "'grader.practice.session'))))")
    done = subprocess.run([sys.executable, "-c", probe, str(catalog.get("nms").solution_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "['grader.commands.options']", done.stderr
