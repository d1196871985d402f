"""The reply channel and the attempt's output are untrusted (issue 9, items 3 and 4).

Whatever the attempt writes on the reply channel or prints, the grader comes back within its limits at
a bounded cost of its own CPU, with a readable, failed record; and in class mode (batch feedback,
Gradescope, JUnit) nothing the attempt produced after a hidden case's arguments reached it is shown to
the student, while the instructor's results.jsonl keeps it.
"""

import json
import re
import resource
import shutil
import tempfile
import time
import types
import xml.etree.ElementTree as ET
from pathlib import Path

import click
import numpy as np
import pytest

from grader.classroom import run as batch, store

from grader.record.class_record import ClassRecord
from grader.grading import compare
from grader.sandbox import oslayer
from grader.sandbox import session as sandbox
from grader.sandbox import worker
from grader.grading.attempt import grade_attempt
from grader.record.result import INSTRUCTOR, LEARNER, STUDENT, ExerciseResult
from grader.sandbox.limits import Limits
from grader.sandbox.session import prescan, scrub_paths
from grader.grading.classify import classify
from grader.report import feedback, gradescope, html, junit, terminal

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
# Generous: an absurd reply must be refused for its size, not time out while the attempt builds it.
LIMITS = Limits(case_seconds=4.0, import_seconds=5.0)
#: Parent CPU allowed for grading one hostile attempt (a correct answer costs well under a second).
PARENT_CPU_SECONDS = 5.0
#: The data of the hidden case "single" of the nms suite, as the fixtures print it.
HIDDEN_SINGLE = "3.0, 4.0, 8.0, 9.5"
#: The first public example's boxes, as print_hidden_args prints them: public data may be shown.
PUBLIC_FIRST = "[[0.0, 0.0, 10.0, 10.0], [1.0, 1.0, 11.0, 11.0]"


def parent_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def grade_measured(name, tmp_path, limits=LIMITS):
    attempt = tmp_path / "nms.py"
    shutil.copyfile(HOSTILE / f"{name}.py", attempt)
    cpu, wall = parent_cpu(), time.monotonic()
    result = grade_attempt("nms", attempt, limits=limits)
    cpu, wall = parent_cpu() - cpu, time.monotonic() - wall
    return result, cpu, wall


def readable_and_failed(result):
    record = json.loads(json.dumps(result.to_dict()))  # plain data, and small
    assert len(json.dumps(record)) < 100_000
    again = ExerciseResult.from_dict(record)
    assert again.counts() == result.counts() and not again.passed
    assert not result.passed
    return record


# -- the grader survives any reply ----------------------------------------------------------------

@pytest.mark.parametrize("name, message", [
    ("reply_nested_bomb", "not a reply"),
    ("reply_list_64mib", "far larger than the expected answer"),
    ("reply_int8_nms", "far larger than the expected answer"),
    ("reply_huge_dict", "far larger than the expected answer"),
    ("reply_deep_dict", "not a reply"),
    ("output_slashes", ""),
])
def test_a_hostile_reply_is_a_failed_case_at_a_bounded_cost(name, message, tmp_path):
    result, cpu, wall = grade_measured(name, tmp_path)
    record = readable_and_failed(result)
    assert cpu < PARENT_CPU_SECONDS, f"the grader spent {cpu:.2f} s of its own CPU on {name}"
    # Two refused replies in a row stop the attempt: two cases, two worker starts, and slack.
    assert wall < 2 * LIMITS.case_seconds + 2 * LIMITS.import_seconds + 20
    assert message in " | ".join(c["message"] for c in record["cases"])
    if name.startswith("reply_"):
        assert record["observed"] and all(o.startswith(("reply refused", "output")) for o in record["observed"])


def test_a_slash_flood_is_cut_before_it_is_scrubbed(tmp_path):
    result, cpu, _ = grade_measured("output_slashes", tmp_path)
    assert cpu < PARENT_CPU_SECONDS
    assert 0 < len(result.output) <= 4000 and set(result.output.split("[")[0].strip()) == {"/"}
    assert "output past the cap discarded" in result.observed


def test_scrub_paths_is_linear_and_still_scrubs():
    started = time.process_time()
    assert scrub_paths("/" * 65536) == "/" * 65536
    scrub_paths(("/grade-" + "/" * 100) * 2000)
    scrub_paths("/a" * 65536 + "/grade-x")
    assert time.process_time() - started < 1.0  # the old regex took 24 s on the first alone
    assert scrub_paths('File "/tmp/grade-k3j_x9/nms.py", line 3') == 'File "nms.py", line 3'
    assert scrub_paths("see /var/tmp/a b/grade-1/x and /tmp/grade-2/y.py") == "see /var/tmp/a b/grade-1/x and y.py"


@pytest.mark.parametrize("line, why", [
    (b"[" * 100_000 + b"]" * 100_000, "nested deeper"),
    (b'{"a": ' * 50_000 + b"0" + b"}" * 50_000, "nested deeper"),
    (b"[" + b"0," * 3_000_000 + b"0]", "more than"),
    (b'{"value": "' + b'\\"' * 1_000_000, "unterminated"),
])
def test_prescan_refuses_absurd_json_in_linear_time(line, why):
    started = time.process_time()
    assert why in (prescan(line, max_values=1_000_000, max_depth=36) or "")
    assert time.process_time() - started < 1.0


def test_prescan_lets_real_replies_through():
    arrays = {"id": 1, "ok": True, "value": worker.encode((np.arange(5000.0), [1, [2, [3]]], "a[b]{c}\"d"))}
    assert prescan(json.dumps(arrays).encode(), max_values=10_000, max_depth=36) is None
    assert prescan(json.dumps({"id": 2, "ok": True, "value": list(range(9000))}).encode(),
                   max_values=10_000, max_depth=36) is None


def test_decode_refuses_more_values_than_the_budget_before_building_them():
    with pytest.raises(worker.WireError):
        worker.decode(worker.encode(np.zeros(50_000_000, dtype=np.int8)), max_elements=40_000)
    with pytest.raises(worker.WireError):
        worker.decode([[0] * 30_000, [0] * 30_000], max_elements=50_000)
    assert worker.decode(worker.encode([[0] * 3, (1, 2)]), max_elements=7) == [[0, 0, 0], (1, 2)]


def test_indices_is_linear_in_the_answers_size():
    expected = np.arange(1000)
    started = time.process_time()
    problem = compare.indices(expected, np.arange(2_000_000) % 1500)
    assert time.process_time() - started < 5.0  # set rebuilding per element took ~45 minutes
    assert problem.kind == compare.COUNT and "unexpected" in problem.text


# -- hidden means hidden ------------------------------------------------------------------------

def class_views(result):
    """What a student sees of ``result`` in every class-mode channel, and what the instructor sees
    (the results.jsonl record and the class report)."""
    record = ClassRecord("mallory", result, *classify(result), attempt="mallory/nms.py")
    stored = ClassRecord.from_dict(json.loads(json.dumps(record.to_dict())))  # as results.jsonl holds it
    student = "\n".join([
        feedback.render("mallory", [stored], exercises=["nms"]),
        json.dumps(gradescope.results_json([stored])),
        ET.tostring(junit.document([("mallory/nms", stored.result)]).getroot(), encoding="unicode"),
    ])
    report = html.render([stored], students=["mallory"], exercises=["nms"])
    return student, json.dumps(record.to_dict(), ensure_ascii=False) + report


def test_prints_and_exceptions_of_hidden_cases_reach_only_the_instructor(tmp_path):
    result, _, _ = grade_measured("print_hidden_args", tmp_path)
    readable_and_failed(result)
    student, instructor = class_views(result)
    assert HIDDEN_SINGLE not in student and "ARGS-IN-EXCEPTION [[3.0" not in student
    assert "IMPORTED-AND-READY" in student and PUBLIC_FIRST in student  # printed before any hidden case
    assert "withheld" in student
    assert HIDDEN_SINGLE in instructor and "ARGS-IN-EXCEPTION" in instructor
    assert "Withheld from students" in instructor and "printed during single" in instructor

    hidden = {c.name for c in result.cases if c.hidden}
    cases = junit.document([("mallory/nms", result)]).getroot().iter("testcase")
    assert all(float(c.get("time")) == 0 for c in cases if c.get("name") in hidden)  # it can sleep a number
    assert not re.search(r"\(\d+\.\d s\)", student)

    single = next(s for s in result.printed if s.case == "single")
    assert single.after_hidden and HIDDEN_SINGLE in single.text
    assert all(not s.after_hidden for s in result.printed if s.case in (None, "docstring_example"))


def test_a_learner_sees_hidden_case_prints_with_the_case_that_printed_them(tmp_path):
    result, _, _ = grade_measured("print_hidden_args", tmp_path)
    text = click.unstyle(terminal.render(result, title="nms", attempt_label="nms.py", audience=LEARNER))
    hidden_cases = [c.name for c in result.cases if c.hidden]
    assert any(f"during {name}:" in text for name in hidden_cases)  # the last lines, labelled by case
    hidden_line = next(line for line in text.splitlines() if "single (hidden)" in line)
    assert "ARGS-IN-EXCEPTION" in hidden_line  # the learner's own exception text, with its case
    student_text = terminal.render(result, title="nms", attempt_label="nms.py", audience=STUDENT)
    assert not any(f"during {name}:" in student_text for name in hidden_cases)
    assert "ARGS-IN-EXCEPTION [[3.0" not in student_text


def test_output_printed_before_a_kill_is_not_lost(tmp_path):
    attempt = tmp_path / "nms.py"
    attempt.write_text("def nms(boxes, scores, iou_threshold):\n"
                       "    print('about to loop', len(boxes))\n"
                       "    while True:\n"
                       "        pass\n")
    result = grade_attempt("nms", attempt, limits=Limits(case_seconds=0.5, import_seconds=5.0))
    assert [s.case for s in result.printed] == ["docstring_example", "docstring_at_threshold"]
    assert "about to loop 3" in result.printed[0].text


@pytest.fixture
def shared_scratch(tmp_path, monkeypatch):
    """One scratch directory for every worker: the OS layer gives a restarted worker a fresh one (a new
    tmpfs under bubblewrap), and this takes that away, OS layer included, to check that the grader does
    not depend on it to keep hidden data hidden."""
    monkeypatch.setattr(oslayer, "bubblewrap", lambda: None)
    monkeypatch.setattr(oslayer, "namespaces", lambda: False)
    monkeypatch.setattr(oslayer, "unprivileged_uid", lambda: False)
    scratch = tmp_path / "grade-shared"
    scratch.mkdir()
    fake_shutil = types.SimpleNamespace(copyfile=shutil.copyfile, which=shutil.which,
                                        rmtree=lambda *a, **kw: None)
    monkeypatch.setattr(sandbox.oslayer, "make_scratch", lambda: str(scratch))
    monkeypatch.setattr(sandbox, "shutil", fake_shutil)
    return scratch


def test_an_import_error_after_a_restart_is_withheld_from_students(tmp_path, shared_scratch):
    result, cpu, wall = grade_measured("stash_and_raise_at_reimport", tmp_path,
                                       limits=Limits(case_seconds=1.0, import_seconds=5.0))
    assert (shared_scratch / "stash.txt").exists()  # the attempt did keep the hidden data
    readable_and_failed(result)
    assert "STASHED" in result.withheld_error and HIDDEN_SINGLE in result.withheld_error
    assert "STASHED" not in result.error and "withheld" in result.error
    assert result.error_for(LEARNER) == result.error_for(INSTRUCTOR) == result.withheld_error
    student, instructor = class_views(result)
    assert "STASHED" not in student and HIDDEN_SINGLE not in student
    assert "STASHED" in instructor and HIDDEN_SINGLE in instructor
    assert "import error after a restart" in instructor
    assert cpu < PARENT_CPU_SECONDS


def test_an_import_error_before_any_hidden_case_is_shown(tmp_path):
    attempt = tmp_path / "nms.py"
    attempt.write_text("raise ImportError('my own mistake')\n")
    result = grade_attempt("nms", attempt, limits=LIMITS)
    student, _ = class_views(result)
    assert "my own mistake" in result.error and "my own mistake" in student and result.withheld_error is None


def test_records_without_output_segments_still_load():
    old = {"exercise": "nms", "cases": [], "max_score": 10, "output": "from an older grade"}
    assert ExerciseResult.from_dict(old).printed == []
    hidden = {"exercise": "nms", "cases": [], "max_score": 10, "output": [{"case": "x", "text": "t"}]}
    assert ExerciseResult.from_dict(hidden).printed_for(STUDENT) == []  # unlabelled means withheld
