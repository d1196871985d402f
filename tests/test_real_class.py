"""End to end: `grade batch` on a class built like real ones (benchmarks/real_class.py, small size),
as an instructor runs it: every original name visible, the roster join, the notebook student, files
chosen by the stated rule, and a run killed with SIGKILL then resumed giving byte-identical outputs
with no extraction folder left behind."""

from __future__ import annotations

import csv
import html
import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.classroom import run as batch, store

from grader.record.class_record import ClassRecord

ROOT = Path(__file__).resolve().parent.parent
GRADE = Path(sys.executable).with_name("grade")


def _generator():
    spec = importlib.util.spec_from_file_location("real_class", ROOT / "benchmarks" / "real_class.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


real_class = _generator()


def command(subs: Path, out: Path, *extra: str, exercises: str = "nms,iou") -> list[str]:
    grade = [str(GRADE)] if GRADE.exists() else [sys.executable, "-m", "grader"]
    return [*grade, "batch", str(subs), "--out", str(out), "--exercises", exercises, "--jobs", "2",
            "--case-timeout", "1", "--roster", str(subs / "roster.csv"), "--roster-column", "name",
            "--lms", "moodle", *extra]


def environment(tmp: Path) -> dict:
    # Its own temporary folder, so that what a run leaves behind can be seen; a fixed "generated"
    # time, so that two runs of one class can give the same bytes.
    env = dict(os.environ, TMPDIR=str(tmp), SOURCE_DATE_EPOCH="1700000000", PYTHONPATH=str(ROOT))
    tmp.mkdir(parents=True, exist_ok=True)
    return env


def outputs(out: Path) -> dict[str, bytes]:
    files = ["grades.csv", "report.html", "moodle.csv"] + [f"feedback/{p.name}" for p in (out / "feedback").iterdir()]
    return {name: (out / name).read_bytes() for name in sorted(files)}


def leftovers(tmp: Path) -> list[str]:
    return sorted(p.name for p in tmp.glob(batch.SCRATCH_PREFIX + "*"))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("real-class")
    subs = root / "submissions"
    students = real_class.make_class(subs, small=True)
    tmp = root / "tmp"
    done = subprocess.run(command(subs, root / "out"), capture_output=True, text=True, timeout=600,
                          env=environment(tmp))
    return root, subs, students, done


def test_the_class_grades_and_says_what_it_decided(graded):
    root, _, _, done = graded
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Files found and chosen" in done.stdout
    assert leftovers(root / "tmp") == []


def test_every_original_name_is_in_the_gradebook_report_and_feedback(graded):
    root, _, students, _ = graded
    out = root / "out"
    rows = list(csv.DictReader((out / "grades.csv").open(encoding="utf-8")))
    report = (out / "report.html").read_text(encoding="utf-8")
    names = {name for name, _, _ in students}
    for row in rows:
        # A name that is a formula is written so that no spreadsheet runs it.
        shown = row["student"][1:] if row["student"].startswith("'=") else row["student"]
        assert shown in names
        title = (out / row["feedback"]).read_text(encoding="utf-8").splitlines()[0]
        assert title == f"# Feedback for {shown}"
    assert {r["student"].removeprefix("'") for r in rows} == names
    text = html.unescape(report)  # jinja writes " as &#34;, html.escape as &quot;: compare the text
    for name in names:
        assert name in text, name
    by_name = {r["student"]: r for r in rows}
    assert by_name["王芳"]["submission"] == "王芳.zip" and by_name["Anne_Lee"]["submission"] == "Anne_Lee.zip"
    assert by_name["Anne Lee"]["feedback"] != by_name["Anne_Lee"]["feedback"]


def test_the_roster_join_reports_the_missing_and_the_unknown(graded):
    root, _, _, done = graded
    report = (root / "out" / "report.html").read_text(encoding="utf-8")
    for absent in real_class.ABSENT:
        assert absent in done.stdout and absent in report
    assert "submissions not on the roster (3): Anne Lee, Anne_Lee, Chen Wei" in done.stdout
    moodle = list(csv.reader((root / "out" / "moodle.csv").open(encoding="utf-8")))
    assert moodle[0] == ["name", "nms", "iou", "total"]
    assert ["José Núñez", "10", "10", "20"] in moodle and not any(r[0] == "Chen Wei" for r in moodle)


def test_files_are_found_by_the_stated_rule(graded):
    root = graded[0]
    records = {r.key: r.to_dict() for r in store.load_records(root / "out" / store.RESULTS_FILE)}
    notebook = records["Grace Müller", "nms"]
    assert notebook["outcome"] == "passed" and notebook["attempt"].endswith("homework.ipynb")
    assert any("notebook" in n for n in notebook["notes"])
    feedback = next((root / "out" / "feedback").glob("Grace_Muller-*.md")).read_text(encoding="utf-8")
    assert "the code came from the notebook homework.ipynb" in feedback
    # v1 is the newer file; v2 is the higher version, and the rule says version first.
    assert records["Farah Iqbal", "nms"]["attempt"].endswith("final/v2/nms.py")
    assert records["Farah Iqbal", "nms"]["score"] == 10
    assert records["Emeka Obi", "nms"]["outcome"] == records["Emeka Obi", "iou"]["outcome"] == "passed"
    assert any("nms_final.py" in n for n in records["Anne Lee", "nms"]["notes"])
    assert records["Bilal Haddad", "nms"]["outcome"] == "not_submitted"
    assert records["Bilal Haddad", "nms"]["notes"] == ["no .py file or notebook anywhere in the submission"]


def test_slow_code_is_not_code_that_did_not_run(graded):
    root = graded[0]
    records = {r.key: r.to_dict() for r in store.load_records(root / "out" / store.RESULTS_FILE)}
    slow, stuck = records["Hiro Tanaka", "nms"], records["Dana Kowalski", "nms"]
    assert slow["outcome"] == "slow" and "many_boxes" in slow["detail"] and slow["score"] > 9
    assert stuck["outcome"] == "timeout" and stuck["score"] == 0
    rows = {r["student"]: r for r in csv.DictReader((root / "out" / "grades.csv").open(encoding="utf-8"))}
    assert "too slow on 1 of" in rows["Hiro Tanaka"]["notes"]
    assert rows["Dana Kowalski"]["notes"] == "nms: did not run (timed out)"


def test_kill_9_then_resume_gives_the_same_bytes_and_no_leftovers(graded):
    root, subs, _, _ = graded
    out, tmp = root / "killed", root / "tmp-killed"
    results = out / store.RESULTS_FILE
    env = environment(tmp)
    proc = subprocess.Popen(command(subs, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if results.exists() and results.read_bytes().count(b"\n") >= 6:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert leftovers(tmp), "a killed run leaves its extraction folder (the next run must remove it)"
    assert 6 <= len(store.load_records(results)) < 26
    again = subprocess.run(command(subs, out, "--resume"), capture_output=True, text=True, timeout=600, env=env)
    assert again.returncode == 0, again.stderr[-3000:]
    assert leftovers(tmp) == []
    assert outputs(out) == outputs(root / "out")
    # And a resume with other exercises is refused instead of mixing two runs.
    refused = subprocess.run(command(subs, out, "--resume", exercises="nms"), capture_output=True, text=True,
                             timeout=120, env=env)
    assert refused.returncode == 2 and "--exercises nms,iou" in refused.stderr
