"""The instructor's reports, built from hand-made records: gradebook CSV, Markdown feedback, the HTML
class report and JUnit XML. Untrusted text stays text, and hidden data never appears."""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner

from grader.grading import classify as outcomes
from grader.classroom import run as batch, store
from grader.record.class_record import ClassRecord
from grader.cli import cli
from grader.report import feedback, gradebook, html, junit
from grader.record.result import CaseResult, ExerciseResult
from grader.record.vocabulary import ERROR, FAILED, PASSED, TIMEOUT
from grader.classroom.similarity import Pair

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "SECRET-HIDDEN-INPUT"


def case(name, passed, *, hidden=False, status=None, message="", category="what it tests"):
    return CaseResult(name=name, category=category, hidden=hidden, passed=passed,
                      status=status or (PASSED if passed else FAILED), message=message,
                      call=f"nms({SECRET})" if hidden else "nms([[0, 0, 1, 1]], [0.5], 0.5)",
                      expected=SECRET if hidden else "[0]", actual=SECRET if hidden else "[]")


def record(student, exercise, cases, *, outcome=None, error=None):
    result = ExerciseResult(exercise=exercise, attempt=f"{student}/{exercise}.py", cases=cases,
                            max_score=10, error=error)
    found = outcome or outcomes.classify(result)
    return ClassRecord(student, result, *found, attempt=f"{student}/{exercise}.py")


def class_records():
    return [
        record("alice", "nms", [case("public", True), case("edge", True, hidden=True)]),
        record("alice", "iou", [case("public", True), case("edge", True, hidden=True)]),
        record("bob", "nms", [case("public", False, message="expected [0], got []"),
                              case("edge", False, hidden=True, message="wrong answer")]),
        ClassRecord.missing("bob", "iou", 10),
        record("carol", "nms", [case("public", True), case("edge", False, hidden=True, message="wrong answer")]),
        record("carol", "iou", [case("public", False, status=TIMEOUT, message="timed out after 3 s"),
                                case("edge", False, hidden=True, status=TIMEOUT, message="timed out")]),
    ]


STUDENTS, EXERCISES = ["alice", "bob", "carol"], ["nms", "iou"]


def test_gradebook_rows_totals_and_percent(tmp_path):
    path = gradebook.write_csv(tmp_path / "g.csv", class_records(), students=STUDENTS, exercises=EXERCISES)
    rows = list(csv.reader(path.open()))
    assert rows[0] == ["student", "submission", "feedback", "nms", "iou", "total", "percent", "notes"]
    assert rows[1] == ["alice", "", "feedback/alice.md", "10", "10", "20", "100", ""]
    assert rows[2] == ["bob", "", "feedback/bob.md", "0", "0", "0", "0", ""]
    assert rows[3] == ["carol", "", "feedback/carol.md", "5", "0", "5", "25", "iou: did not run (timed out)"]


def test_gradebook_never_writes_a_formula_and_leaves_ungraded_cells_empty(tmp_path):
    records = [record("=cmd", "nms", [case("public", True)])]
    records[0].submission = "@cmd.zip"
    path = gradebook.write_csv(tmp_path / "g.csv", records, students=["=cmd"], exercises=["nms", "iou"],
                               roster_keys={"=cmd": "+1 555"})
    row = list(csv.reader(path.open()))[1]
    assert row[0] == "'=cmd" and row[1] == "'@cmd.zip" and row[3] == "'+1 555"
    assert re.fullmatch(r"feedback/cmd-[0-9a-f]{6}\.md", row[2])
    assert row[4:] == ["10", "", "10", "50", ""]
    # Quoting: a name with a comma, a quote and a line break stays one cell.
    odd = 'Lee, "Anne"\nB'
    path = gradebook.write_csv(tmp_path / "h.csv", [record(odd, "nms", [case("public", True)])],
                               students=[odd], exercises=["nms"])
    assert list(csv.reader(path.open(newline="")))[1][0] == odd


def test_feedback_withholds_hidden_data_and_has_no_colour_codes():
    text = feedback.render("bob", class_records(), exercises=EXERCISES)
    assert text.startswith("# Feedback for bob")
    assert SECRET not in text and "\x1b[" not in text
    assert "| iou | 0/10 | not submitted |" in text
    assert "edge (hidden)" in text and "expected [0], got []" in text  # the public case in full


def test_feedback_fences_cannot_be_closed_by_a_message():
    records = [record("eve", "nms", [case("public", False, message="```\n# Injected heading")])]
    text = feedback.render("eve", records, exercises=["nms"])
    fence = next(line for line in text.splitlines() if line.startswith("```"))
    assert fence.startswith("````") and text.count(fence.rstrip("text")) >= 2


def test_html_report_escapes_untrusted_text():
    evil = "<script>alert(1)</script>"
    records = class_records() + [record(evil, "nms", [case("public", False, message=evil)],
                                        outcome=("crashed", evil))]
    page = html.render(records, students=STUDENTS + [evil], exercises=EXERCISES,
                       similar={"nms": [Pair(evil, "bob", 0.9, 12)]})
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_html_report_lists_the_cases_the_class_failed_worst_first():
    summary = html.summarise(class_records(), students=STUDENTS, exercises=EXERCISES)
    failing = [(c.exercise, c.name, c.passed, c.attempts) for c in summary["cases_failing"]]
    # carol's iou timed out: it did not run to the end, so it does not count against iou's cases.
    assert failing == [("nms", "edge", 1, 3), ("nms", "public", 2, 3)]
    assert [(p.student, p.exercise, p.kind) for p in summary["problems"]] == [("carol", "iou", "timed out")]
    nms, iou = summary["exercises"]
    assert (nms.submitted, nms.passed, nms.mean) == (3, 1, 5.0)
    assert (iou.submitted, iou.failed_to_run) == (2, 1)


def test_histogram_puts_every_student_in_a_bin():
    hist = html.histogram([0, 9.9, 10, 55, 100, 100])
    assert [b.count for b in hist.bars] == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    assert [b.share for b in hist.bars] == [100, 50, 0, 0, 0, 50, 0, 0, 0, 100]


def test_junit_counts_failures_and_errors_and_stays_valid_xml(tmp_path):
    nasty = CaseResult(name="ctrl", category="c", hidden=False, passed=False, status=ERROR,
                       message="raised ValueError: bad \x00\x07 bytes")
    result = ExerciseResult(exercise="nms", attempt="a.py", max_score=10, cases=[
        case("public", True), case("edge", False, hidden=True, message="wrong answer"), nasty])
    missing = ExerciseResult(exercise="iou", attempt="", cases=[], max_score=10, error="not submitted")
    path = junit.write(tmp_path / "j.xml", [("bob/nms", result), ("bob/iou", missing)])
    root = ET.parse(path).getroot()
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "2", "1")
    text = path.read_text()
    assert SECRET not in text and "\x00" not in text
    assert root.find("testsuite[@name='bob/iou']/testcase/failure").get("message") == "not submitted"


def test_grade_junit_option_writes_the_file(tmp_path):
    target = tmp_path / "reports" / "nms.xml"
    result = CliRunner().invoke(cli, ["nms", str(FIXTURES / "attempts/correct/nms.py"), "--junit", str(target)])
    assert result.exit_code == 0, result.output
    suite = ET.parse(target).getroot().find("testsuite")
    assert suite.get("name") == "nms" and suite.get("failures") == "0" and int(suite.get("tests")) > 10
