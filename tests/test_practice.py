"""Timed practice: whole sessions on a fake clock, the file watcher on real files, and the commands."""

import io
import json
import os
import random
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import catalog, cli
from grader.record.vocabulary import SessionEnd
from grader.practice import history
from grader.practice import session as practice
from grader.practice import terminal as practice_terminal
from grader.commands import practice as practice_commands
from grader.grading import attempt as grading
from grader.grading.errors import AttemptNotFound
from grader.record.result import CaseResult, ExerciseResult
from grader.record.vocabulary import FAILED, NOT_IMPLEMENTED, PASSED
from grader.userdata import data_dir
from grader.practice.watch import PollingWatcher

NMS = catalog.get("nms")
STUB = "def nms(boxes, scores, iou_threshold):\n    raise NotImplementedError\n"


# --- fakes: time passes only when the session waits ------------------------------------------------

class FakeClock:
    def __init__(self):
        self.t = 1000.0

    def now(self):
        return self.t

    def sleep(self, seconds):
        self.t += seconds


class ScriptedKeys:
    """Plays a script of (seconds after start, key or action) while the session waits for keys."""

    def __init__(self, clock, script):
        self.clock, self.start = clock, clock.t
        self.script = sorted(script, key=lambda item: item[0])

    def read(self, timeout):
        if self.script and self.start + self.script[0][0] <= self.clock.t + timeout:
            at, what = self.script.pop(0)
            self.clock.t = max(self.clock.t, self.start + at)
            if callable(what):
                what()
                return None
            return what
        self.clock.t += timeout
        return None


def fake_result(path, total=4):
    """All cases pass when the file says SOLVED; one passes when it says PARTIAL; none otherwise."""
    text = Path(path).read_text()
    passed = total if "SOLVED" in text else 1 if "PARTIAL" in text else 0
    status = FAILED if "PARTIAL" in text else NOT_IMPLEMENTED
    cases = [CaseResult(name=f"case_{i}", category="public", hidden=False, passed=i < passed,
                        status=PASSED if i < passed else status, message="" if i < passed else "wrong answer",
                        call=f"nms(case {i})", expected="[0]", actual="[1]")
             for i in range(total)]
    return ExerciseResult(exercise="nms", attempt=str(path), cases=cases, max_score=10)


class FakeGrader:
    def __init__(self):
        self.graded = []

    def __call__(self, path, on_case):
        if not Path(path).exists():
            raise AttemptNotFound(str(path))
        self.graded.append(Path(path).read_text())
        result = fake_result(path)
        for i, case in enumerate(result.cases, 1):
            on_case(case, i, len(result.cases))
        return result


def save(path, text):
    """How vim, VS Code and JetBrains save: write a temporary file, rename it over the original."""
    def action():
        tmp = Path(path).with_name(Path(path).name + ".swp")
        tmp.write_text(text)
        os.replace(tmp, path)
    return action


def save_in_place(path, text):
    def action():
        Path(path).write_text(text)
    return action


@pytest.fixture
def workspace(tmp_path):
    path = tmp_path / "nms.py"
    path.write_text(STUB)
    return path


def run(path, script=(), *, minutes=1.0, view=None, grader=None, record="default"):
    clock = FakeClock()
    grader = grader or FakeGrader()
    out = io.StringIO()
    session = practice.run_session(
        NMS, path, minutes=minutes, grade=grader, clock=clock,
        watcher=PollingWatcher(path, interval=0.25, debounce=0.2), keys=ScriptedKeys(clock, script),
        view=view or practice_terminal.PlainLog(out), stub=STUB,
        **({} if record == "default" else {"record": record}))
    return session, grader, out.getvalue()


# --- whole sessions --------------------------------------------------------------------------------

def test_a_rename_on_save_that_passes_ends_the_session_solved_and_records_it(workspace):
    session, grader, out = run(workspace, [(5, save(workspace, "SOLVED")), (50, "q")])
    assert session.outcome == SessionEnd.SOLVED and session.solved
    assert 5 <= session.seconds < 6  # the save at 5 s, noticed within a poll or two
    assert (session.cases_passed, session.cases_total, session.score) == (4, 4, 10)
    assert grader.graded == ["SOLVED"]
    assert history.load() == [session]
    assert "Solved nms in 0:05" in out and str(workspace) in out


def test_time_running_out_records_the_last_score(workspace):
    session, grader, out = run(workspace, [(10, save(workspace, "PARTIAL"))], minutes=0.5)
    assert session.outcome == SessionEnd.TIMEOUT and session.seconds == 30
    assert (session.cases_passed, session.cases_total, session.score) == (1, 4, 2.5)
    assert "Time is up: 1/4 cases passed, score 2.5/10" in out
    assert "grade solution nms" in out
    # The first failure is shown in detail after the save.
    assert "First failing example: case_1" in out and "call:" in out


def test_a_session_with_no_save_is_recorded_as_never_graded(workspace):
    session, grader, out = run(workspace, minutes=0.1)
    assert session.outcome == SessionEnd.TIMEOUT and session.cases_total is None and grader.graded == []
    assert "never graded" in out
    assert history.load()[0].cases_total is None


def test_a_save_written_in_several_chunks_is_graded_once(workspace):
    script = [(5.0, save_in_place(workspace, "PAR")), (5.05, save_in_place(workspace, "PARTI")),
              (5.1, save_in_place(workspace, "PARTIAL")), (20, "q")]
    session, grader, _ = run(workspace, script)
    assert grader.graded == ["PARTIAL"]
    assert session.regrades == 1 and session.outcome == SessionEnd.GAVE_UP


def test_every_save_regrades(workspace):
    script = [(3, save(workspace, "x = 1")), (6, save_in_place(workspace, "PARTIAL")),
              (9, save(workspace, "SOLVED"))]
    session, grader, _ = run(workspace, script)
    assert grader.graded == ["x = 1", "PARTIAL", "SOLVED"]
    assert session.solved and session.regrades == 3


def test_keys_hint_regrade_and_give_up(workspace):
    script = [(1, "h"), (2, "h"), (3, "r"), (4, "x"), (5, "q")]
    session, grader, _ = run(workspace, script)
    assert session.hints_used == 2
    assert session.regrades == 1 and grader.graded == [STUB]
    assert session.outcome == SessionEnd.GAVE_UP and 5 <= session.seconds < 6
    assert history.load()[0].outcome == SessionEnd.GAVE_UP


def test_hints_stop_at_the_last_one(workspace):
    session, _, _ = run(workspace, [(i, "h") for i in range(1, 8)] + [(10, "q")])
    assert session.hints_used == len(NMS.hints)


def test_a_save_not_yet_graded_when_time_runs_out_still_counts(workspace):
    # Saved 0.1 s before the end: the watcher is still waiting for the file to settle.
    session, grader, _ = run(workspace, [(29.9, save(workspace, "SOLVED"))], minutes=0.5)
    assert grader.graded == ["SOLVED"]
    assert session.solved and session.seconds == 30


def test_giving_up_grades_the_last_save_for_the_final_score(workspace):
    session, grader, _ = run(workspace, [(3, save(workspace, "PARTIAL")), (3.05, "q")])
    assert grader.graded == ["PARTIAL"] and session.outcome == SessionEnd.GAVE_UP
    assert session.cases_passed == 1


def test_ctrl_c_records_the_session_and_propagates(workspace):
    def interrupt():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(workspace, [(2, save(workspace, "PARTIAL")), (7, interrupt)])
    [session] = history.load()
    assert session.outcome == SessionEnd.INTERRUPTED and 7 <= session.seconds < 8
    assert session.cases_passed == 1


def test_ctrl_c_while_the_start_is_drawn_still_records_the_session(workspace):
    """The learner saw the clock (the start's last write went out), then Ctrl-C landed before the loop:
    the session is recorded and the end drawn, as for a Ctrl-C a moment later."""
    out = io.StringIO()

    class InterruptedStart(practice_terminal.PlainLog):
        def start(self, state, now):
            super().start(state, now)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(workspace, view=InterruptedStart(out))
    [session] = history.load()
    assert session.outcome == SessionEnd.INTERRUPTED
    assert "Stopped after" in out.getvalue()


def test_a_deleted_file_is_reported_not_fatal(workspace):
    out = io.StringIO()
    script = [(2, lambda: workspace.unlink()), (6, save(workspace, "SOLVED"))]
    session, grader, text = run(workspace, script, view=practice_terminal.PlainLog(out))
    assert "is gone" in out.getvalue()
    assert session.solved and grader.graded == ["SOLVED"]


def test_the_live_screen_redraws_and_counts_down(workspace):
    out = io.StringIO()
    run(workspace, [(3, "h"), (5, save(workspace, "PARTIAL")), (8, "q")], view=practice_terminal.LiveScreen(out))
    text = out.getvalue()
    assert "\033[H\033[2J" in text  # the screen is cleared and redrawn
    assert "0:58 left" in text and "1/4 passed" in text and "hints 1/3" in text
    assert NMS.hints[0] in text and NMS.hints[1] not in text
    assert "grading nms.py: 4/4 cases" in text
    assert "Gave up after 0:08" in text


def test_pressing_h_adds_the_hint_below_the_contract(workspace):
    out = io.StringIO()
    run(workspace, [(2, "h"), (4, "q")], view=practice_terminal.LiveScreen(out))
    text = out.getvalue()
    assert "\033[2J" not in text  # nothing cleared the screen
    assert text.index(NMS.hints[0]) > text.index(practice.contract(NMS, STUB).splitlines()[0])


def test_record_none_keeps_the_history_untouched(workspace):
    run(workspace, minutes=0.05, record=None)
    assert history.load() == []


# --- the watcher on real files ---------------------------------------------------------------------

def test_the_watcher_sees_a_rename_on_save_with_the_same_size_and_mtime(tmp_path):
    path = tmp_path / "a.py"
    path.write_text("one")
    watcher = PollingWatcher(path, interval=0.25, debounce=0.2)
    stat = path.stat()
    other = tmp_path / "a.py.tmp"
    other.write_text("two")
    os.utime(other, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # only the inode tells them apart
    os.replace(other, path)
    assert watcher.changed(0.0) is False  # just seen: wait for it to settle
    assert watcher.changed(0.1) is False
    assert watcher.changed(0.3) is True
    assert watcher.changed(0.6) is False  # reported once
    assert not watcher.pending()


def test_the_watcher_waits_for_a_missing_file_then_reports_it(tmp_path):
    path = tmp_path / "a.py"
    path.write_text("one")
    watcher = PollingWatcher(path, debounce=0.2)
    path.unlink()
    assert not watcher.changed(0.0) and watcher.pending()
    assert watcher.changed(0.5)  # still missing after the debounce: the loop says so
    path.write_text("back")
    assert not watcher.changed(0.6) and watcher.changed(0.9)


def test_mark_current_means_the_file_is_not_news(tmp_path):
    path = tmp_path / "a.py"
    path.write_text("one")
    watcher = PollingWatcher(path)
    path.write_text("two, longer")
    watcher.mark_current()
    assert not watcher.pending() and not watcher.changed(5.0)


# --- the workspace ---------------------------------------------------------------------------------

def test_the_workspace_is_a_fresh_stub_under_the_data_dir():
    before = NMS.stub_path.read_bytes()
    path = practice.create_workspace(NMS, practice.fresh_stub(NMS))
    other = practice.create_workspace(NMS, "x")
    assert path.name == "nms.py" and path.parent.parent == data_dir() / "practice"
    assert path.parent.name.startswith("nms-") and other.parent != path.parent
    assert "raise NotImplementedError" in path.read_text()
    assert NMS.stub_path.read_bytes() == before


def test_fresh_stub_prefers_the_committed_copy(tmp_path, monkeypatch):
    monkeypatch.setattr(catalog, "ROOT", tmp_path)
    stub = tmp_path / "exercises" / "nms.py"
    stub.parent.mkdir()
    stub.write_text("def nms():\n    raise NotImplementedError\n")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    for args in (["init", "-q"], ["add", "exercises/nms.py"], ["commit", "-q", "-m", "stub"]):
        subprocess.run(git + args, check=True, capture_output=True)
    stub.write_text("def nms():\n    return []  # the learner's work\n")
    assert "raise NotImplementedError" in practice.fresh_stub(NMS)


def test_fresh_stub_without_git_uses_an_untouched_file_and_refuses_an_edited_one(tmp_path, monkeypatch):
    monkeypatch.setattr(catalog, "ROOT", tmp_path)  # not a git repository
    stub = tmp_path / "exercises" / "nms.py"
    stub.parent.mkdir()
    stub.write_text("def nms():\n    raise NotImplementedError\n")
    assert practice.fresh_stub(NMS) == stub.read_text()
    stub.write_text("def nms():\n    return []\n")
    with pytest.raises(practice.StubUnavailable, match="has been edited"):
        practice.fresh_stub(NMS)
    stub.unlink()
    with pytest.raises(practice.StubUnavailable, match="missing"):
        practice.fresh_stub(NMS)


def test_the_contract_is_the_docstrings_and_signatures():
    text = practice.contract(NMS, NMS.stub_path.read_text())
    assert "def nms(boxes, scores, iou_threshold):" in text
    assert "Non-maximum suppression" in text and "strictly" in text


def test_pick_unsolved_never_picks_a_solved_exercise():
    ready = catalog.available()
    solved = [history.Session(exercise=e.name, started="", minutes=1, seconds=1, outcome=SessionEnd.SOLVED)
              for e in ready[1:]]
    for seed in range(5):
        assert practice.pick_unsolved(solved, rng=random.Random(seed)) == (ready[0], False)
    every = solved + [history.Session(exercise=ready[0].name, started="", minutes=1, seconds=1,
                                      outcome=SessionEnd.SOLVED)]
    assert practice.pick_unsolved(every)[1] is True


# --- the commands ----------------------------------------------------------------------------------

def invoke(*args):
    return CliRunner().invoke(cli.cli, list(args))


@pytest.mark.parametrize("args", [["practice"], ["practice", "nms", "--random"], ["practice", "nmx"],
                                  ["practice", "nms", "--minutes", "0"]])
def test_practice_usage_errors_exit_2(args):
    result = invoke(*args)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_practice_without_a_terminal_runs_plain_and_records_the_session():
    before = NMS.stub_path.read_bytes()
    result = invoke("practice", "nms", "--minutes", "0.003", "--poll-interval", "0.05")
    assert result.exit_code == 1, result.output
    assert "def nms(boxes, scores, iou_threshold)" in result.stdout
    edit = next(l for l in result.stdout.splitlines() if l.startswith("Edit: "))[len("Edit: "):]
    assert Path(edit).is_file() and Path(edit).is_relative_to(data_dir() / "practice")
    assert "no keys" in result.stdout and "\033[" not in result.stdout
    assert "Time is up" in result.stdout
    assert [s.outcome for s in history.load()] == [SessionEnd.TIMEOUT]
    assert NMS.stub_path.read_bytes() == before


def test_practice_forwards_what_it_parsed(monkeypatch):
    seen = {}

    def fake_session(exercise, path, **kwargs):
        seen.update(kwargs, exercise=exercise, path=path)
        return history.Session(exercise=exercise.name, started="", minutes=1, seconds=1, outcome=SessionEnd.SOLVED)

    def fake_grade(exercise, attempt, **kwargs):
        seen["grade"] = kwargs
        return None

    monkeypatch.setattr(practice, "run_session", fake_session)
    monkeypatch.setattr(grading, "grade_attempt", fake_grade)
    result = invoke("practice", "nms", "--poll-interval", "0.5", "--seed", "7", "--case-timeout", "2",
                    "--memory-mb", "256")
    assert result.exit_code == 0, result.output
    assert seen["exercise"] is NMS and seen["minutes"] == NMS.minutes  # the catalog's default
    assert seen["watcher"].interval == 0.5 and isinstance(seen["keys"], practice.NoKeys)
    seen["grade"](seen["path"], None)
    assert seen["grade"]["seed"] == 7
    assert seen["grade"]["limits"].case_seconds == 2 and seen["grade"]["limits"].memory_mb == 256
    assert invoke("practice", "iou", "--minutes", "25").exit_code == 0 and seen["minutes"] == 25


def test_practice_random_picks_an_unsolved_exercise(monkeypatch):
    ready = catalog.available()
    for e in ready[1:]:
        history.append(history.Session(exercise=e.name, started="", minutes=1, seconds=60,
                                       outcome=SessionEnd.SOLVED))
    monkeypatch.setattr(practice, "run_session", lambda exercise, path, **kw: history.Session(
        exercise=exercise.name, started="", minutes=1, seconds=1, outcome=SessionEnd.GAVE_UP))
    result = invoke("practice", "--random")
    assert result.exit_code == 1
    assert f"Your mock interview: {ready[0].name}" in result.stdout


def test_solution_only_after_a_session_of_that_exercise():
    refused = invoke("solution", "nms")
    assert refused.exit_code == 1 and "--force" in refused.stderr and "def nms" not in refused.stdout
    assert invoke("solution", "nms", "--force").stdout == NMS.solution_path.read_text()
    history.append(history.Session(exercise="iou", started="", minutes=1, seconds=1, outcome=SessionEnd.GAVE_UP))
    assert invoke("solution", "nms").exit_code == 1
    history.append(history.Session(exercise="nms", started="", minutes=1, seconds=1, outcome=SessionEnd.TIMEOUT))
    shown = invoke("solution", "nms")
    assert shown.exit_code == 0 and shown.stdout == NMS.solution_path.read_text()


def _session(exercise, seconds, outcome, started="2024-05-01T10:00:00+02:00", **extra):
    return history.Session(exercise=exercise, started=started, minutes=20, seconds=seconds, outcome=outcome,
                           max_score=10, **extra)


def test_history_lists_sessions_and_best_times():
    assert "No practice sessions yet" in invoke("history").stdout
    history.append(_session("nms", 600, SessionEnd.TIMEOUT, score=4, hints_used=2))
    history.append(_session("nms", 312, SessionEnd.SOLVED, score=10, hints_used=1))
    history.append(_session("nms", 290, SessionEnd.SOLVED, score=10))
    history.append(_session("iou", 100, SessionEnd.GAVE_UP))
    result = invoke("history")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert any(l.startswith("nms") and "2024-05-01 10:00" in l and "10:00" in l and "4/10" in l
               and "time up" in l for l in lines)
    assert any(l.startswith("nms") and "5:12" in l and "solved" in l for l in lines)
    assert "Best times: nms 4:50" in result.stdout and "iou" not in result.stdout.split("Best times:")[1]

    records = json.loads(invoke("history", "--json").stdout)
    assert [r["exercise"] for r in records] == ["nms", "nms", "nms", "iou"]
    assert records[1]["solved"] is True and records[1]["seconds"] == 312 and records[1]["hints_used"] == 1
    assert {"exercise", "started", "seconds", "score", "hints_used", "solved", "outcome"} <= set(records[0])


def test_list_shows_status_and_best_time():
    history.append(_session("nms", 400, SessionEnd.SOLVED))
    history.append(_session("nms", 290, SessionEnd.SOLVED))
    history.append(_session("iou", 100, SessionEnd.TIMEOUT))
    lines = invoke("list").stdout.splitlines()
    row = {l.split()[0]: l for l in lines[1:]}
    assert "solved" in row["nms"] and "4:50" in row["nms"]
    assert "attempted" in row["iou"] and "4:50" not in row["iou"]
    assert "new" in row["max_subarray"]


def test_a_corrupt_history_is_reported_and_set_aside_by_the_commands():
    history.path().parent.mkdir(parents=True, exist_ok=True)
    history.path().write_text("{not json")
    result = invoke("history")
    assert result.exit_code == 0 and "could not be read" in result.stderr
    assert history.path().with_name("history.json.corrupt").read_text() == "{not json"
