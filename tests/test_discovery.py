"""Finding each student's files by the stated rule, notebooks as code, the roster join, the LMS
exports, "too slow" against "did not run", and the scratch folders of dead runs. No sandbox runs
here: these are the decisions, checked one by one."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from grader import catalog
from grader.record.vocabulary import FAILED_TO_RUN
from grader.classroom import discovery, notebooks, roster, run as batch, single
from grader.classroom.discovery import Submission
from grader.classroom.errors import ClassInputError
from grader.record.class_record import ClassRecord
from grader.sandbox import oslayer
from grader.record.result import CaseResult, ExerciseResult
from grader.record.vocabulary import FAILED, NOT_RUN, PASSED, TIMEOUT, ClassOutcome
from grader.grading.classify import classify
from grader.report import lms

NMS, IOU = catalog.get("nms"), catalog.get("iou")


def write(path: Path, text: str = "def nms(boxes, scores, iou_threshold):\n    return []\n", mtime=None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def resolved(root: Path, tmp_path: Path, exercises=(NMS, IOU)) -> Submission:
    submission = Submission(root.name, root, root.name)
    discovery.resolve(submission, list(exercises), tmp_path / "scratch")
    return submission


def notebook(path: Path, *cells: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": c, "id": f"c{i}"}
        for i, c in enumerate(cells)]}))
    return path


# -- which file ------------------------------------------------------------------------------------

def test_names_match_whatever_their_case(tmp_path):
    write(tmp_path / "s" / "NMS.py")
    write(tmp_path / "s" / "Iou.PY")
    found = resolved(tmp_path / "s", tmp_path)
    assert found.attempt("nms").name == "NMS.py" and found.attempt("iou").name == "Iou.PY"
    assert [n.kind for n in found.notes] == ["case", "case"]
    assert found.label("nms") == "s/NMS.py"


def test_the_highest_version_wins_over_the_newer_file(tmp_path):
    write(tmp_path / "s/final/v1/nms.py", mtime=2_000_000_000)
    write(tmp_path / "s/final/v2/nms.py", mtime=1_000_000_000)
    found = resolved(tmp_path / "s", tmp_path, [NMS])
    assert found.label("nms") == "s/final/v2/nms.py"
    assert found.notes[0].kind == "chosen" and "highest version" in found.notes[0].text
    assert "not final/v1/nms.py" in found.notes[0].text
    # v10 is higher than v9 (numbers, not text).
    write(tmp_path / "t/v9/nms.py")
    write(tmp_path / "t/v10/nms.py")
    assert resolved(tmp_path / "t", tmp_path, [NMS]).label("nms") == "t/v10/nms.py"


def test_without_versions_the_newest_file_wins_then_the_shallowest(tmp_path):
    write(tmp_path / "s/old/nms.py", mtime=1_000_000_000)
    write(tmp_path / "s/new/nms.py", mtime=1_500_000_000)
    found = resolved(tmp_path / "s", tmp_path, [NMS])
    assert found.label("nms") == "s/new/nms.py" and "newest file" in found.notes[0].text
    write(tmp_path / "t/nms.py", mtime=1_000_000_000)
    write(tmp_path / "t/sub/nms.py", mtime=1_000_000_000)
    assert resolved(tmp_path / "t", tmp_path, [NMS]).label("nms") == "t/nms.py"


def test_a_py_file_comes_before_a_notebook_of_the_same_name(tmp_path):
    write(tmp_path / "s/nms.py", mtime=1_000_000_000)
    notebook(tmp_path / "s/nms.ipynb", "def nms(b, s, t):\n    return []")
    found = resolved(tmp_path / "s", tmp_path, [NMS])
    assert found.label("nms") == "s/nms.py" and "before a notebook" in found.notes[0].text


def test_near_misses_are_reported_never_graded(tmp_path):
    write(tmp_path / "s/nms_final.py")
    write(tmp_path / "s/my_iou.py")
    write(tmp_path / "s/soft_nms.py")  # another exercise's file: not a near-miss of nms
    found = resolved(tmp_path / "s", tmp_path, [NMS, IOU, catalog.get("soft_nms")])
    assert found.attempt("nms") is None and found.attempt("iou") is None
    assert "nms_final.py" in found.missing["nms"] and "rename it to nms.py" in found.missing["nms"]
    assert "my_iou.py" in found.missing["iou"]
    assert {n.kind for n in found.notes} == {"near_miss"}
    assert not any("soft_nms" in n.text for n in found.notes if n.exercise == "nms")


def test_links_are_not_followed(tmp_path):
    outside = write(tmp_path / "outside" / "nms.py")
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "nms.py").symlink_to(outside)
    assert resolved(tmp_path / "s", tmp_path, [NMS]).attempt("nms") is None


# -- notebooks -------------------------------------------------------------------------------------

def test_a_notebook_becomes_its_definitions_without_magics_shell_or_demo_code(tmp_path):
    path = notebook(tmp_path / "hw.ipynb",
                    "%matplotlib inline\n!pip install numpy\nimport numpy as np\nimport matplotlib.pyplot as plt",
                    "LIMIT = 0.5\n\ndef nms(boxes, scores, iou_threshold):\n    if False:\n        !ls\n"
                    "    return list(np.argsort(scores)[::-1][:1])",
                    "print(nms([[0, 0, 1, 1]], [1.0], 0.5))\nplt.imshow(np.zeros((2, 2)))\nfor i in range(3):\n    pass",
                    "%%bash\necho hi",
                    "%%time\nresult = nms([[0, 0, 1, 1]], [1.0], 0.5)",
                    "def broken(:\n    pass")
    found = notebooks.extract(path)
    compile(found.source, "hw.py", "exec")  # valid Python
    assert "import numpy as np" in found.source and "LIMIT = 0.5" in found.source
    for gone in ("matplotlib", "!pip", "%matplotlib", "print(", "echo hi", "result =", "broken"):
        assert gone not in found.source, gone
    assert (found.cells, found.broken_cells, found.unused_imports) == (6, [6], 1)
    assert found.dropped == 4  # print, imshow, the loop, the %%time assignment that calls nms
    namespace: dict = {}
    exec(found.source, namespace)
    assert namespace["nms"]([[0, 0, 1, 1], [0, 0, 1, 1]], [0.2, 0.9], 0.5) == [1]


def test_a_notebook_of_any_name_is_graded_for_the_functions_it_defines(tmp_path):
    notebook(tmp_path / "s/Homework 1.ipynb", "import numpy as np",
             "def iou(a, b):\n    return 0.0\n\ndef pairwise_iou(a, b):\n    return np.zeros((len(a), len(b)))")
    found = resolved(tmp_path / "s", tmp_path)
    assert found.attempt("nms") is None
    graded = found.attempt("iou")
    assert graded.suffix == ".py" and "def iou" in graded.read_text()
    assert found.label("iou") == "s/Homework 1.ipynb"
    note = next(n for n in found.notes if n.exercise == "iou")
    assert note.kind == "notebook" and "came from the notebook Homework 1.ipynb" in note.text


def test_a_broken_notebook_is_a_reason_not_a_crash(tmp_path):
    write(tmp_path / "s/nms.ipynb", "{ not json")
    found = resolved(tmp_path / "s", tmp_path, [NMS])
    assert found.attempt("nms") is None and "not a readable notebook" in found.missing["nms"]


def test_zips_keep_notebooks_and_near_misses_and_their_times(tmp_path):
    archive = tmp_path / "subs" / "Zoë.zip"
    archive.parent.mkdir()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(zipfile.ZipInfo("hw/v1/nms.py", date_time=(2024, 5, 1, 12, 0, 0)), "x = 1\n")
        zf.writestr(zipfile.ZipInfo("hw/v2/NMS.py", date_time=(2024, 4, 1, 12, 0, 0)), "x = 2\n")
        zf.writestr("hw/iou_final.py", "x = 3\n")
        zf.writestr("hw/homework.ipynb", "{}")
        zf.writestr("hw/setup.sh", "rm -rf /\n")
        zf.writestr("__MACOSX/hw/._nms.py", "junk")
    found, _ = discovery.discover(tmp_path / "subs", tmp_path / "scratch", [NMS, IOU])
    student = found[0]
    assert student.student == "Zoë" and student.source == "Zoë.zip"
    extracted = sorted(p.relative_to(student.root).as_posix() for p in student.root.rglob("*") if p.is_file())
    assert extracted == ["hw/homework.ipynb", "hw/iou_final.py", "hw/v1/nms.py", "hw/v2/NMS.py"]
    assert (student.root / "hw/v1/nms.py").stat().st_mtime > (student.root / "hw/v2/NMS.py").stat().st_mtime
    assert student.label("nms") == "Zoë.zip:hw/v2/NMS.py"


# -- outcomes --------------------------------------------------------------------------------------

def _case(name, status):
    return CaseResult(name, "c", True, status == PASSED, status, "")


def test_slow_on_some_cases_is_not_did_not_run():
    slow = ExerciseResult("nms", "a.py", [_case(f"c{i}", PASSED) for i in range(17)] + [_case("many_boxes", TIMEOUT)], 10)
    outcome, detail = classify(slow)
    assert outcome == ClassOutcome.SLOW and "many_boxes" in detail and "17/18 passed" in detail
    assert ClassOutcome.SLOW not in FAILED_TO_RUN
    stuck = ExerciseResult("nms", "a.py", [_case("a", TIMEOUT), _case("b", TIMEOUT), _case("c", NOT_RUN)], 10)
    assert classify(stuck)[0] == ClassOutcome.TIMEOUT
    wrong_then_slow = ExerciseResult("nms", "a.py", [_case("a", FAILED), _case("b", TIMEOUT)], 10)
    assert classify(wrong_then_slow)[0] == ClassOutcome.SLOW


# -- roster and LMS --------------------------------------------------------------------------------

def write_roster(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8-sig")
    return path


def test_roster_joins_on_the_named_column_and_reports_both_ways(tmp_path):
    path = write_roster(tmp_path / "r.csv", "Student,ID,SIS User ID,SIS Login ID,Section,Email\n"
                        '"Núñez, José",11,S1,jnunez,A,jose.nunez@uni.example\n'
                        "李华,12,S2,lihua,A,lihua@uni.example\n"
                        "Anne Lee,13,S3,alee,B,anne@uni.example\n"
                        "Paula Absent,14,S4,pabsent,B,paula@uni.example\n")
    by_name = roster.join(roster.load(path, "student"), ["José Núñez", "李华", "Anne Lee", "Anne_Lee", "Zed"])
    assert by_name.matched["José Núñez"]["ID"] == "11" and by_name.matched["李华"]["ID"] == "12"
    assert by_name.unknown == ["Anne Lee", "Anne_Lee", "Zed"]
    assert [e["Student"] for e in by_name.missing] == ["Anne Lee", "Paula Absent"]
    assert by_name.ambiguous == [("Anne Lee", ["Anne Lee", "Anne_Lee"])]
    by_email = roster.join(roster.load(path, "EMAIL"), ["jose.nunez", "paula@uni.example"])
    assert set(by_email.matched) == {"jose.nunez", "paula@uni.example"}


def test_a_bad_roster_is_a_clear_message(tmp_path):
    path = write_roster(tmp_path / "r.csv", "name,email\nAda,ada@x\n")
    with pytest.raises(ClassInputError, match="no column 'sis id'; its columns are: 'name', 'email'"):
        roster.load(path, "sis id")
    with pytest.raises(ClassInputError, match="no such roster file"):
        roster.load(tmp_path / "nope.csv", "name")
    (tmp_path / "bin.csv").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ClassInputError, match="not UTF-8"):
        roster.load(tmp_path / "bin.csv", "name")


def _records(student: str, scores: dict[str, float]) -> list[dict]:
    out = []
    for exercise, score in scores.items():
        passed = int(score)
        cases = [_case(f"c{i}", PASSED if i < passed else FAILED) for i in range(10)]
        result = ExerciseResult(exercise, f"{exercise}.py", cases, 10)
        out.append(ClassRecord(student, result, *classify(result), attempt=""))
    return out


def test_canvas_export_copies_canvas_ids_and_adds_one_assignment(tmp_path):
    path = write_roster(tmp_path / "r.csv", "Student,ID,SIS User ID,SIS Login ID,Section,Assignment 1 (123)\n"
                        '"Núñez, José",11,S1,jnunez,A,5\n"=Evil",12,S2,evil,A,\nNo Show,13,S3,ns,A,\n')
    join = roster.join(roster.load(path, "Student"), ["José Núñez", "=Evil"])
    records = _records("José Núñez", {"nms": 7, "iou": 10}) + _records("=Evil", {"nms": 0, "iou": 3})
    out = lms.write(tmp_path / "canvas.csv", "canvas", join, records, students=["José Núñez", "=Evil"],
                    exercises=["nms", "iou"], assignment="Autograded exercises")
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows == [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Autograded exercises"],
                    ["Núñez, José", "11", "S1", "jnunez", "A", "17"],
                    ["'=Evil", "12", "S2", "evil", "A", "3"]]
    with pytest.raises(ClassInputError, match="Canvas's gradebook export"):
        lms.canvas_columns(["name", "email"])


def test_moodle_export_keeps_the_join_column_for_identify_user_by(tmp_path):
    path = write_roster(tmp_path / "r.csv", "Email address,First name\nada@uni.example,Ada\n")
    join = roster.join(roster.load(path, "email"), ["ada"])
    out = lms.write(tmp_path / "moodle.csv", "moodle", join, _records("ada", {"nms": 10}),
                    students=["ada"], exercises=["nms"], assignment="x")
    assert list(csv.reader(out.open())) == [["Email address", "nms", "total"], ["ada@uni.example", "10", "10"]]


# -- scratch folders and Gradescope ----------------------------------------------------------------

def test_stale_scratch_of_dead_runs_is_removed_and_live_ones_kept(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"{batch.SCRATCH_PREFIX}{dead.pid}.12345-abc"
    live = tmp_path / f"{oslayer.owned_prefix(batch.SCRATCH_PREFIX)}def"
    other = tmp_path / "grade-something-else"
    for folder in (stale, live, other):
        (folder / "zips").mkdir(parents=True)
    with batch.scratch_folder(tmp_path) as fresh:
        assert fresh.name.startswith(oslayer.owned_prefix(batch.SCRATCH_PREFIX)) and fresh.is_dir()
        assert not stale.exists() and live.exists() and other.exists()
    assert not fresh.exists()


def test_gradescope_grading_finds_files_like_a_class_does(tmp_path, monkeypatch):
    graded = []

    def fake(exercise, path, *, seed, limits, prepared=None):
        graded.append(Path(path).name)
        return ExerciseResult(exercise.name, str(path), [_case("c", PASSED)], exercise.points)

    monkeypatch.setattr(batch, "grade_attempt", fake)
    write(tmp_path / "sub" / "NMS.py")
    write(tmp_path / "sub" / "iou_final.py")
    run = single.grade_folder(tmp_path / "sub", [NMS, IOU], scratch=tmp_path / "scratch")
    assert graded == ["NMS.py"] and [(r.exercise, r.submitted) for r in run.records] == [("nms", True), ("iou", False)]
    assert "iou_final.py" in run.records[1].detail
    assert {n.kind for n in run.notes} == {"case", "near_miss"}


def test_roster_names_match_whatever_their_case_spaces_or_composition():
    """identity.match_key's rule, its docstring's own example first: Anne_Lee matches anne lee."""
    from grader.classroom import identity

    assert identity.match_key("Anne_Lee") == identity.match_key("anne lee")
    assert identity.match_key("JOSÉ  NÚÑEZ") == identity.match_key("José Núñez")
    assert identity.match_key("Jose\u0301 Nu\u0301n\u0303ez") == identity.match_key("José Núñez")  # decomposed
    assert identity.match_key("Straße") == identity.match_key("STRASSE")  # casefold, not lower
    assert identity.match_key("Anne Lee") != identity.match_key("Anne Leeds")
