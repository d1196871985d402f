"""The loop as a new learner meets it: a workspace, gradings that count, and messages without rough edges."""

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import grader
from grader import catalog, cli, workspace
from grader.record.vocabulary import SessionEnd
from grader.practice import history
from grader.practice import session as practice

FIXTURES = Path(__file__).parent / "fixtures"
NMS = catalog.get("nms")


def run(*args):
    return CliRunner().invoke(cli.cli, list(args))


@pytest.fixture
def learner(tmp_path):
    """A workspace made by `grade init`, as a pip-installed learner would have."""
    done = run("init", str(tmp_path / "work"))
    assert done.exit_code == 0, done.output
    return tmp_path / "work"


def status_of(name: str, listing: str) -> str:
    row = next(line for line in listing.splitlines() if line.split()[:1] == [name])
    return row.split()[3]


# --- the workspace --------------------------------------------------------------------------------

def test_init_writes_fresh_stubs_and_keeps_existing_work(learner):
    stubs = sorted(p.stem for p in (learner / "exercises").glob("*.py"))
    assert stubs == sorted(e.name for e in catalog.available())
    mine = learner / "exercises" / "nms.py"
    mine.write_text("# my work\n")
    again = run("init", str(learner))
    assert again.exit_code == 0 and "kept your" in again.output
    assert mine.read_text() == "# my work\n"


def test_the_workspace_is_found_from_below_and_can_be_named(learner, monkeypatch):
    deeper = learner / "notes" / "day1"
    deeper.mkdir(parents=True)
    assert workspace.find(deeper) == learner.resolve()
    monkeypatch.chdir(deeper)
    assert run("nms").exit_code == 1  # graded learner/exercises/nms.py: the stub
    assert history.load_gradings()[-1].exercise == "nms"
    not_one = run("--workspace", str(learner / "notes"), "nms")
    assert not_one.exit_code == 2 and "grade init" in not_one.output


def test_without_a_workspace_or_a_clone_grade_says_to_init(tmp_path, monkeypatch):
    monkeypatch.setattr(catalog, "IN_CHECKOUT", False)
    monkeypatch.chdir(tmp_path)
    result = run("nms")
    assert result.exit_code == 2 and "`grade init`" in result.output and "Traceback" not in result.output


def test_fresh_stubs_need_no_git(tmp_path, monkeypatch):
    """From a pip install the shipped stub is never the learner's file, so no git is asked for."""
    monkeypatch.setenv("PATH", str(tmp_path))  # no git on the PATH
    assert "raise NotImplementedError" in practice.fresh_stub(NMS)
    assert run("init", str(tmp_path / "w")).exit_code == 0


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and grader.__version__ in result.output


# --- gradings count ---------------------------------------------------------------------------------

def test_grading_your_own_file_shows_in_list_and_a_pass_marks_it_solved(learner):
    assert status_of("nms", run("list").output) == "new"
    assert run("--workspace", str(learner), "nms").exit_code == 1
    assert status_of("nms", run("list").output) == "attempted"
    shutil.copy(NMS.solution_path, learner / "exercises" / "nms.py")
    assert run("--workspace", str(learner), "nms").exit_code == 0
    assert status_of("nms", run("list").output) == "solved"
    [first, second] = history.load_gradings()
    assert (first.passed, second.passed) == (False, True) and second.score == NMS.points


def test_grading_another_file_is_not_recorded(learner):
    assert run("--workspace", str(learner), "nms", str(NMS.solution_path)).exit_code == 0
    assert history.load_gradings() == []


def test_list_groups_exercises_by_track():
    lines = run("list").output.splitlines()
    for track in {e.track for e in catalog.EXERCISES}:
        header = lines.index(track)
        members = {e.name for e in catalog.EXERCISES if e.track == track}
        following = []
        for line in lines[header + 1:]:
            if not line.startswith("  "):
                break
            following.append(line.split()[0])
        assert set(following) == members


def test_practice_random_skips_exercises_solved_by_grading_and_draws_from_a_track(monkeypatch):
    for e in catalog.available():
        if e.name != "iou":
            history.record_grading(history.LearnerGrading(e.name, "", 10, 10, True))
    chosen, all_solved = practice.pick_unsolved(history.load(), gradings=history.load_gradings())
    assert chosen.name == "iou" and not all_solved
    monkeypatch.setattr(practice, "run_session", lambda exercise, path, **kw: history.Session(
        exercise=exercise.name, started="", minutes=1, seconds=1, outcome=SessionEnd.GAVE_UP))
    layers = [e.name for e in catalog.available() if e.track == "layers"]
    result = run("practice", "--random", "--track", "layers")
    assert result.exit_code == 1 and any(f"{name} (" in result.output for name in layers)
    assert run("practice", "--random", "--track", "nope").exit_code == 2
    assert run("practice", "nms", "--track", "layers").exit_code == 2


def test_an_old_history_without_gradings_still_loads_and_keeps_its_sessions():
    history.path().parent.mkdir(parents=True, exist_ok=True)
    session = {"exercise": "nms", "started": "2024-01-01T10:00:00+00:00", "minutes": 20, "seconds": 300,
               "outcome": "solved"}
    history.path().write_text(json.dumps({"version": 1, "sessions": [session]}))
    assert [s.exercise for s in history.load()] == ["nms"] and history.load_gradings() == []
    history.record_grading(history.LearnerGrading("iou", "", 0, 10, False))
    data = json.loads(history.path().read_text())
    assert data["version"] == 1 and len(data["sessions"]) == 1 and data["gradings"][0]["exercise"] == "iou"


# --- messages ---------------------------------------------------------------------------------------

def test_a_syntax_error_names_its_line_once_and_offers_no_hint():
    result = run("nms", str(FIXTURES / "attempts" / "syntax_error" / "nms.py"))
    assert result.exit_code == 1
    assert len(re.findall(r"line \d+", result.output)) == 1, result.output
    assert "grade hint" not in result.output


def test_an_empty_file_is_called_empty(tmp_path):
    empty = tmp_path / "nms.py"
    empty.write_text("\n\n")
    result = run("nms", str(empty))
    assert result.exit_code == 1 and "nms.py is empty" in result.output


def test_a_file_with_the_wrong_names_lists_the_ones_it_defines(tmp_path):
    misnamed = tmp_path / "nms.py"
    misnamed.write_text("def non_max_suppression(boxes, scores, t):\n    return []\n\nclass Helper:\n    pass\n")
    result = run("nms", str(misnamed))
    assert "defines non_max_suppression, Helper but not nms" in result.output


def test_the_last_hint_says_it_was_the_last():
    total = len(NMS.hints)
    for _ in range(total - 1):
        assert "again for the next one" in run("hint", "nms").output
    assert "That was the last hint" in run("hint", "nms").output
    after = run("hint", "nms").output
    assert f"hint {total} was the last" in after and "again for the next one" not in after


def test_grade_alone_prints_a_short_usage_and_the_exercises():
    result = run()
    assert result.exit_code == 0
    assert result.output.startswith("Usage: grade EXERCISE")
    assert all(e.name in result.output for e in catalog.EXERCISES)
    assert "Options:" not in result.output and len(result.output.splitlines()) < 40


def test_help_summaries_are_whole_sentences():
    output = run("--help").output
    commands = output.split("Commands:")[1]
    assert "..." not in commands
    # Each summary ends its first sentence (wrapped lines included).
    entries = re.split(r"\n  (?=\S)", "\n" + commands.strip("\n"))
    for entry in filter(None, (e.strip() for e in entries)):
        assert " ".join(entry.split()).endswith("."), entry


def test_bilinear_expected_and_actual_line_up_column_for_column():
    result = run("bilinear", str(FIXTURES / "wrong" / "bilinear" / "no_half_pixel.py"))
    lines = result.output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("expected:"))
    block = lines[start:start + 6]
    expected_rows, actual_rows = block[:3], block[3:]
    assert actual_rows[0].lstrip().startswith("actual:")
    for mine, theirs in zip(expected_rows, actual_rows):
        assert [m.start() for m in re.finditer(",", mine)] == [m.start() for m in re.finditer(",", theirs)]


def test_after_two_time_outs_one_line_says_the_rest_did_not_run():
    result = run("nms", str(FIXTURES / "attempts" / "infinite_loop" / "nms.py"), "--case-timeout", "0.2")
    assert result.exit_code == 1
    skipped = [line for line in result.output.splitlines() if "not run" in line]
    # The first two cases time out; every other case of the suite is the remaining ones.
    remaining = len(catalog.get("nms").suite().cases(np.random.default_rng(0))) - 2
    assert len(skipped) == 1 and f"the remaining {remaining} cases were not run" in skipped[0]


def test_the_history_keeps_only_the_newest_gradings(monkeypatch):
    monkeypatch.setattr(history, "MAX_GRADINGS", 3)
    for score in range(5):
        history.record_grading(history.LearnerGrading("nms", "", float(score), 10, False))
    assert [g.score for g in history.load_gradings()] == [2, 3, 4]
