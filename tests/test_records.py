"""The records' one serialisation each, pinned field by field: the learner result (``grade --json``) and
the class record (a line of results.jsonl). A field dropped, renamed or changed in meaning fails here;
adding one means adding it to the golden files on purpose (and bumping SCHEMA_VERSION when a field
changes meaning or disappears)."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

from grader.record.class_record import ClassRecord
from grader.record.result import CaseResult, ExerciseResult, OutputSegment
from grader.record.vocabulary import ClassOutcome, ErrorKind

GOLDEN = Path(__file__).parent / "golden"


def full_result() -> ExerciseResult:
    """A result with every field set to a value that tells it from its default."""
    public = CaseResult(name="docstring_example", category="the first example", hidden=False, passed=False,
                        status="failed", message="expected [0, 2], got [0]", seconds=0.0123,
                        call="nms([[0, 0, 10, 10]], [0.9], 0.5)", expected="[0, 2]", actual="[0]")
    hidden = CaseResult(name="tied_scores", category="tied scores", hidden=True, passed=False, status="error",
                        message="raised ValueError", seconds=0.5, call="nms(secret)", expected="secret",
                        actual="secret", withheld="raised ValueError: secret (at nms.py line 7)",
                        error_kind=ErrorKind.CRASH)
    return ExerciseResult(
        exercise="nms", attempt="alice/nms.py", cases=[public, hidden], max_score=10,
        error="nms.py could not be imported", sandbox=["namespaces", "seccomp"], seconds=1.23456,
        printed=[OutputSegment("hello\n", None, False), OutputSegment("secret\n", "tied_scores", True)],
        blocked=["reading /etc/passwd"], observed=["reply refused: more than 10 values"],
        withheld_error="ImportError: secret", error_kind=ErrorKind.IMPORT, refused=["cv2"])


def full_record() -> ClassRecord:
    return ClassRecord(student="José Núñez", result=full_result(), outcome=ClassOutcome.CRASHED,
                       detail="could not be run", attempt="jose.zip:hw/nms.py", submission="jose.zip",
                       notes=["nms: graded hw/nms.py"], pictures="jose.nms.html")


def _golden(name: str) -> dict:
    return json.loads((GOLDEN / name).read_text(encoding="utf-8"))


def test_the_learner_result_serialises_exactly_as_the_golden():
    assert json.loads(json.dumps(full_result().to_dict())) == _golden("learner_result.json")


def test_the_class_record_serialises_exactly_as_the_golden():
    assert json.loads(json.dumps(full_record().to_dict(), ensure_ascii=False)) == _golden("class_record.json")


def test_hidden_cases_carry_no_data_in_either_serialisation():
    for data in (full_result().to_dict(), full_record().to_dict()):
        hidden = next(c for c in data["cases"] if c["hidden"])
        assert not {"call", "expected", "actual"} & set(hidden)
        assert "secret" not in json.dumps({k: v for k, v in hidden.items() if k != "withheld"})


def test_every_field_of_the_types_is_in_the_golden():
    """A new field must reach the golden (and so the JSON) on purpose; none is silently left out."""
    result, record = _golden("learner_result.json"), _golden("class_record.json")
    case_keys = {key for case in result["cases"] for key in case}
    assert {f.name for f in fields(CaseResult)} - {"values"} == case_keys
    renamed = {"printed": "output"}
    assert {renamed.get(f.name, f.name) for f in fields(ExerciseResult)} <= set(result)
    assert {f.name for f in fields(ClassRecord)} - {"result"} <= set(record)


def test_both_read_back_to_what_was_written():
    record = full_record()
    again = ClassRecord.from_dict(json.loads(json.dumps(record.to_dict())))
    assert again.to_dict() == record.to_dict()
    result = ExerciseResult.from_dict(json.loads(json.dumps(full_result().to_dict())))
    assert result.to_dict() == full_result().to_dict()
    assert result.error_kind == ErrorKind.IMPORT and result.cases[1].error_kind == ErrorKind.CRASH


def test_a_missing_file_is_a_record_of_its_own_kind():
    record = ClassRecord.missing("bob", "iou", 10, "no file named iou.py")
    data = record.to_dict()
    assert (data["outcome"], data["score"], data["max_score"], data["error"], data["cases"]) == (
        "not_submitted", 0.0, 10, "no file named iou.py", [])
    assert not record.submitted and ClassRecord.from_dict(data).detail == "no file named iou.py"
