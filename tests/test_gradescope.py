"""`grade gradescope` writes results.json in Gradescope's documented schema."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from grader import catalog
from grader.cli import cli
from grader.report import gradescope
from grader.record.result import CaseResult, ExerciseResult
from grader.record.class_record import ClassRecord
from grader.record.vocabulary import FAILED, PASSED, ClassOutcome

ROOT = Path(__file__).resolve().parent.parent
ATTEMPTS = Path(__file__).parent / "fixtures" / "attempts"
VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}


def test_results_json_follows_the_schema():
    cases = [CaseResult("docstring", "the example", False, True, PASSED, ""),
             CaseResult("edge", "IoU at the threshold", True, False, FAILED, "wrong answer",
                        call="nms(secret)", expected="secret", actual="secret"),
             CaseResult("other", "zero-area boxes", True, True, PASSED, "")]
    result = ExerciseResult(exercise="nms", attempt="nms.py", cases=cases, max_score=9)
    records = [ClassRecord("s", result, ClassOutcome.FAILED, ""), ClassRecord.missing("s", "iou", 10)]
    data = gradescope.results_json(records, execution_time=3.2)
    assert data["score"] == result.score == 6
    assert data["execution_time"] == 3 and data["stdout_visibility"] == "hidden"
    tests = data["tests"]
    assert len(tests) == 4
    for test in tests:
        assert {"score", "max_score", "status", "name", "output", "visibility"} <= set(test)
        assert test["status"] in ("passed", "failed") and test["visibility"] in VISIBILITIES
    public, hidden, _, missing = tests
    assert (public["visibility"], public["status"], public["score"], public["max_score"]) == ("visible", "passed", 3, 3)
    assert (hidden["visibility"], hidden["status"], hidden["score"]) == ("after_published", "failed", 0)
    assert "secret" not in json.dumps(data)
    assert (missing["max_score"], missing["score"], missing["visibility"]) == (10, 0, "visible")
    assert "iou.py" in missing["output"]


def test_grade_gradescope_grades_the_submission(tmp_path):
    submission = tmp_path / "submission" / "hw1"  # students' uploads sometimes sit in a folder
    submission.mkdir(parents=True)
    shutil.copy(ATTEMPTS / "correct" / "nms.py", submission / "nms.py")
    results = tmp_path / "results" / "results.json"
    outcome = CliRunner().invoke(cli, ["gradescope", "--submission", str(tmp_path / "submission"),
                                       "--results", str(results), "--exercises", "nms,iou", "--seed", "77"])
    assert outcome.exit_code == 0, outcome.output
    data = json.loads(results.read_text())
    assert data["score"] == 10
    nms_tests = [t for t in data["tests"] if t["name"].startswith("nms:")]
    assert all(t["status"] == "passed" for t in nms_tests) and len(nms_tests) > 10
    assert {t["visibility"] for t in nms_tests} == {"visible", "after_published"}
    assert all(("(hidden)" in t["name"]) == (t["visibility"] == "after_published") for t in nms_tests)
    iou = [t for t in data["tests"] if t["name"].startswith("iou:")]
    assert len(iou) == 1 and iou[0]["score"] == 0 and iou[0]["status"] == "failed"


def test_an_empty_submission_says_what_was_expected(tmp_path):
    (tmp_path / "submission").mkdir()
    results = tmp_path / "results.json"
    outcome = CliRunner().invoke(cli, ["gradescope", "--submission", str(tmp_path / "submission"),
                                       "--results", str(results)])
    assert outcome.exit_code == 0, outcome.output
    data = json.loads(results.read_text())
    assert data["score"] == 0 and data["tests"] == [] and "nms.py" in data["output"]


def test_the_docs_give_both_scripts():
    text = (ROOT / "docs" / "gradescope.md").read_text()
    assert "### setup.sh" in text and "### run_autograder" in text and "grade gradescope" in text
