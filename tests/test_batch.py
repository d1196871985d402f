"""`grade batch` on a small synthetic class: discovery, safe zips, parallel grading, the results file
that survives interruptions, --resume, and the reports an instructor gets."""

from __future__ import annotations

import csv
import json
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import catalog
from grader.record.class_record import NOT_SUBMITTED
from grader.classroom.errors import ClassInputError
from grader.classroom import run as batch, store
from grader.record.class_record import ClassRecord
from grader.classroom import discovery, identity
from grader.commands import batch as batch_commands
from grader.cli import cli
from grader.record.result import CaseResult, ExerciseResult
from grader.record.vocabulary import PASSED

FIXTURES = Path(__file__).parent / "fixtures"
ATTEMPTS = FIXTURES / "attempts"
GRADE = Path(sys.executable).with_name("grade")


def make_class(root: Path) -> Path:
    """Six students: correct, wrong, crashing, forbidden (in a zip), timing out, and a renamed copy."""
    subs = root / "submissions"
    iou_solution = catalog.get("iou").solution_path
    files = {
        "alice": {"nms.py": ATTEMPTS / "correct/nms.py", "iou.py": iou_solution},
        "bob": {"nms.py": FIXTURES / "wrong/nms/ge_threshold.py"},  # no iou.py: not submitted
        "carol": {"nms.py": ATTEMPTS / "raises/nms.py", "iou.py": ATTEMPTS / "syntax_error/nms.py"},
        "eve smith": {"nms.py": ATTEMPTS / "infinite_loop/nms.py"},
    }
    for student, attempts in files.items():
        (subs / student).mkdir(parents=True)
        for name, source in attempts.items():
            shutil.copy(source, subs / student / name)
    # frank copied alice's nms and renamed its variables.
    copied = (ATTEMPTS / "correct/nms.py").read_text().replace("keep", "kept").replace("order", "idx")
    (subs / "frank").mkdir()
    (subs / "frank" / "nms.py").write_text(copied)
    # dave hands in a zip that wraps his files in a folder, as zips often do.
    with zipfile.ZipFile(subs / "dave.zip", "w") as zf:
        zf.write(ATTEMPTS / "forbidden_module/nms.py", "dave/nms.py")
        zf.write(iou_solution, "dave/iou.py")
        zf.writestr("dave/__MACOSX/._nms.py", "junk")
    (subs / "notes.txt").write_text("not a submission")
    return subs


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One real batch run over the class, shared by the tests that read its outputs."""
    root = tmp_path_factory.mktemp("class")
    subs = make_class(root)
    out = root / "out"
    junit_file = root / "junit.xml"
    result = CliRunner().invoke(cli, ["batch", str(subs), "--out", str(out), "--exercises", "nms,iou",
                                      "--jobs", "2", "--case-timeout", "1", "--junit", str(junit_file)])
    return result, subs, out, junit_file


def records_of(out: Path) -> dict[tuple[str, str], dict]:
    lines = (out / store.RESULTS_FILE).read_text().splitlines()
    records = [json.loads(line) for line in lines]
    keys = [(r["student"], r["exercise"]) for r in records]
    assert len(keys) == len(set(keys)), "a student x exercise was written twice"
    return dict(zip(keys, records))


def test_every_student_and_exercise_is_graded_once(graded):
    result, _, out, _ = graded
    assert result.exit_code == 0, result.output
    records = records_of(out)
    students = {"alice", "bob", "carol", "dave", "eve smith", "frank"}
    assert set(records) == {(s, e) for s in students for e in ("nms", "iou")}
    assert "notes.txt: skipped: neither a folder nor a .zip" in result.output


def test_outcomes_say_what_happened(graded):
    records = records_of(graded[2])
    outcome = {key: r["outcome"] for key, r in records.items()}
    assert outcome["alice", "nms"] == outcome["alice", "iou"] == "passed"
    assert records["alice", "nms"]["score"] == 10
    assert outcome["bob", "nms"] == "failed" and 0 < records["bob", "nms"]["score"] < 10
    assert outcome["carol", "nms"] == "crashed" and outcome["carol", "iou"] == "crashed"
    assert outcome["dave", "nms"] == "forbidden" and "cv2" in records["dave", "nms"]["detail"]
    assert outcome["dave", "iou"] == "passed"  # read from inside the zip's folder
    assert records["dave", "iou"]["attempt"] == "dave.zip:dave/iou.py"
    assert outcome["eve smith", "nms"] == "timeout"


def test_a_missing_file_scores_zero_as_not_submitted(graded):
    record = records_of(graded[2])["bob", "iou"]
    assert record["score"] == 0 and record["outcome"] == "not_submitted"
    assert record["error"] == NOT_SUBMITTED and record["max_score"] == 10


def test_the_gradebook_has_a_row_per_student(graded):
    rows = list(csv.DictReader((graded[2] / "grades.csv").open()))
    assert [r["student"] for r in rows] == ["alice", "bob", "carol", "dave", "eve smith", "frank"]
    assert list(rows[0]) == ["student", "submission", "feedback", "nms", "iou", "total", "percent", "notes"]
    assert rows[3]["submission"] == "dave.zip" and rows[4]["feedback"] == "feedback/eve_smith.md"
    alice = rows[0]
    assert (alice["nms"], alice["iou"], alice["total"], alice["percent"]) == ("10", "10", "20", "100")
    assert rows[4]["notes"] == "nms: did not run (timed out)"
    assert rows[1]["iou"] == "0"


def test_feedback_and_report_are_written(graded):
    out = graded[2]
    feedback = (out / "feedback" / "bob.md").read_text()
    assert feedback.startswith("# Feedback for bob")
    assert "not submitted" in feedback.lower() and "\x1b[" not in feedback
    rows = list(csv.DictReader((out / "grades.csv").open()))
    assert sorted(p.name for p in (out / "feedback").glob("*.md")) == sorted(r["feedback"][9:] for r in rows)
    assert (out / rows[4]["feedback"]).read_text().startswith("# Feedback for eve smith\n")
    report = (out / "report.html").read_text()
    assert 'class="hist"' in report and "<script" not in report
    for expected in ("forbidden module", "timed out", "crashed", "eve smith"):
        assert expected in report
    # frank's renamed copy of alice's nms is listed for a human to look at.
    assert "<td>alice, frank</td>" in report


def test_failing_public_examples_get_a_picture_page_linked_from_the_feedback(graded):
    out = graded[2]
    records = records_of(out)
    # carol's nms raises on every call: its public examples fail, so it has a page; alice passes: none.
    page = out / "feedback" / records[("carol", "nms")]["pictures"]
    assert page.is_file() and page.name.endswith(".nms.html") and "<section" in page.read_text()
    assert f"]({page.name})" in (out / "feedback" / page.name.replace(".nms.html", ".md")).read_text()
    assert "pictures" not in records[("alice", "nms")]
    assert "pictures" not in records[("bob", "iou")]  # not submitted


def test_junit_holds_every_grading(graded):
    import xml.etree.ElementTree as ET

    root = ET.parse(graded[3]).getroot()
    names = {suite.get("name") for suite in root}
    assert "alice/nms" in names and "bob/iou" in names and len(names) == 12


def test_results_of_an_earlier_run_are_never_overwritten(graded, tmp_path):
    _, subs, out, _ = graded
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    result = CliRunner().invoke(cli, ["batch", str(subs), "--out", str(copy)])
    assert result.exit_code == 2 and "--resume" in result.output
    result = CliRunner().invoke(cli, ["batch", str(subs), "--out", str(copy), "--resume", "--seed", "5"])
    assert result.exit_code == 2 and "another --seed" in result.output


# -- resume, interruptions and crashes, with a stand-in for the sandbox so they run in no time ---

@pytest.fixture
def fake_grading(monkeypatch):
    """Replaces the sandboxed grading by an instant one and counts the calls."""
    calls = []

    def grade(exercise, path, *, seed, limits, prepared=None):
        calls.append((Path(path).parent.name, exercise.name))
        case = CaseResult(name="c", category="a case", hidden=False, passed=True, status=PASSED, message="")
        return ExerciseResult(exercise=exercise.name, attempt=str(path), cases=[case],
                              max_score=exercise.points)

    monkeypatch.setattr(batch, "grade_attempt", grade)
    return calls


def small_class(root: Path, n: int = 5) -> Path:
    for i in range(n):
        (root / "subs" / f"s{i}").mkdir(parents=True)
        shutil.copy(ATTEMPTS / "correct/nms.py", root / "subs" / f"s{i}" / "nms.py")
    return root / "subs"


def run(subs, out, tmp_path, **kwargs):
    return batch.run_batch(subs, out, scratch=tmp_path / "scratch", exercises=[catalog.get("nms")],
                           jobs=2, **kwargs)


def test_resume_grades_only_what_is_missing(tmp_path, fake_grading):
    subs, out = small_class(tmp_path), tmp_path / "out"
    run(subs, out, tmp_path)
    assert len(fake_grading) == 5
    results = out / store.RESULTS_FILE
    lines = results.read_bytes().splitlines(keepends=True)
    # Two records lost and a third torn in half by a kill in the middle of a write.
    results.write_bytes(b"".join(lines[:2]) + lines[2][:25])
    fake_grading.clear()
    again = run(subs, out, tmp_path, resume=True)
    assert len(fake_grading) == 3 and again.graded == 3
    records = records_of(out)
    assert len(records) == 5
    # Nothing left to do: nothing graded, nothing written.
    fake_grading.clear()
    run(subs, out, tmp_path, resume=True)
    assert fake_grading == [] and len(results.read_text().splitlines()) == 5


def test_resume_refuses_other_exercises(tmp_path, fake_grading):
    subs, out = small_class(tmp_path, 2), tmp_path / "out"
    run(subs, out, tmp_path)
    with pytest.raises(ClassInputError, match="graded for --exercises nms: resume with the same"):
        batch.run_batch(subs, out, scratch=tmp_path / "scratch", exercises=[catalog.get("nms"), catalog.get("iou")],
                        resume=True)
    assert len(records_of(out)) == 2


def test_without_exercises_the_class_is_graded_for_what_it_handed_in(tmp_path, fake_grading):
    """With 23 exercises in the catalog, "every exercise" would score a class set nms and iou out of 230
    points: without --exercises, the assignment is what the submissions hold files (or near-misses) for."""
    subs = small_class(tmp_path, 2)
    (subs / "s1" / "iou.py").write_text((ATTEMPTS / "correct/nms.py").read_text())
    (subs / "s0" / "KNN_final.py").write_text("def knn_predict(a, b, c, k):\n    return []\n")
    done = batch.run_batch(subs, tmp_path / "out", scratch=tmp_path / "scratch", jobs=2)
    assert [e.name for e in done.exercises] == ["iou", "nms", "knn"] and done.inferred
    assert {r.key for r in done.records} == {
        (s, e) for s in ("s0", "s1") for e in ("iou", "nms", "knn")}
    assert sorted(set(fake_grading)) == [("s0", "nms"), ("s1", "iou"), ("s1", "nms")]
    # Resuming infers the same assignment; naming another one is refused as before.
    again = batch.run_batch(subs, tmp_path / "out", scratch=tmp_path / "scratch", resume=True)
    assert again.graded == 0
    with pytest.raises(ClassInputError, match="resume with the same"):
        batch.run_batch(subs, tmp_path / "out", scratch=tmp_path / "scratch", resume=True,
                        exercises=[catalog.get("nms")])


def test_the_summary_names_inferred_exercises(tmp_path, fake_grading):
    subs = small_class(tmp_path, 2)
    result = CliRunner().invoke(cli, ["batch", str(subs), "--out", str(tmp_path / "out"), "--allow-unsandboxed"])
    assert result.exit_code == 0, result.output
    assert "Exercises: nms, those the submissions hold files for" in result.output
    assert "1 exercise" in result.output


def test_ctrl_c_keeps_every_finished_grading(tmp_path, fake_grading):
    subs, out = small_class(tmp_path, 8), tmp_path / "out"
    seen = []

    def interrupt_after_two(progress, record):
        if record is not None:
            seen.append(record)
        if len(seen) == 2:
            raise KeyboardInterrupt

    stopped = run(subs, out, tmp_path, on_progress=interrupt_after_two)
    assert stopped.interrupted
    written = records_of(out)
    assert len(written) >= 2
    run(subs, out, tmp_path, resume=True)
    assert len(records_of(out)) == 8


def test_a_grader_failure_is_reported_and_retried_on_resume(tmp_path, monkeypatch):
    subs, out = small_class(tmp_path, 2), tmp_path / "out"

    def broken(*args, **kwargs):
        raise RuntimeError("reference exploded")

    monkeypatch.setattr(batch, "grade_attempt", broken)
    failed = run(subs, out, tmp_path)
    assert len(failed.errors) == 2 and "reference exploded" in failed.errors[0]
    assert records_of(out) == {}


def test_kill_9_loses_nothing_already_written(tmp_path):
    """A real process killed mid-run: every line on disk is a whole record and --resume finishes."""
    subs, out = small_class(tmp_path, 3), tmp_path / "out"
    results = out / store.RESULTS_FILE
    proc = subprocess.Popen([str(GRADE), "batch", str(subs), "--out", str(out), "--exercises", "nms",
                             "--jobs", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if results.exists() and results.read_bytes().count(b"\n") >= 1:
            break
        time.sleep(0.05)
    finished_first = proc.poll() is not None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    before = records_of(out)
    assert before and (finished_first or len(before) < 3)
    result = CliRunner().invoke(cli, ["batch", str(subs), "--out", str(out), "--exercises", "nms",
                                      "--resume"])
    assert result.exit_code == 0, result.output
    after = records_of(out)
    assert len(after) == 3 and all(after[key] == record for key, record in before.items())


# -- discovery and zips ------------------------------------------------------------------------

def test_students_keep_their_names_and_get_safe_distinct_file_names(tmp_path):
    for name in ("ann", "Ann", "José Núñez", "李华", "王芳", "Anne Lee", "=HYPERLINK(\"x\")", "x"):
        (tmp_path / "subs" / name).mkdir(parents=True)
    for stem in ("ann", "Anne_Lee"):
        zip_with(tmp_path / "subs" / f"{stem}.zip", {"nms.py": "x = 1\n"})
    found, _ = discovery.discover(tmp_path / "subs", tmp_path / "scratch", ["nms"])
    names = [s.student for s in found]
    assert sorted(names) == sorted(["=HYPERLINK(\"x\")", "Ann", "Anne Lee", "Anne_Lee", "José Núñez", "ann",
                                    "ann.zip", "x", "李华", "王芳"])
    files = identity.file_names(names)
    assert len({f.lower() for f in files.values()}) == len(names)
    assert all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", f) for f in files.values())
    assert files["x"] == "x"
    # Anne_Lee.zip and the folder "Anne Lee" would both fold to Anne_Lee: each gets its digest.
    assert files["Anne_Lee"].startswith("Anne_Lee-") and files["Anne Lee"].startswith("Anne_Lee-")
    assert files["José Núñez"].startswith("Jose_Nunez-") and files["李华"].startswith("student-")
    assert files["李华"] != files["王芳"] and files["Ann"] != files["ann"]
    # Stable: the same name gets the same file name in any other class.
    assert identity.file_names(["José Núñez", "bob"])["José Núñez"] == files["José Núñez"]
    # A real name that happens to equal another's folded name and digest still gets its own file.
    twin = f"Unx-{identity.digest('Ünx')}"
    stems = identity.file_names(["Ünx", twin])
    assert len({v.lower() for v in stems.values()}) == 2
    # macOS writes names decomposed: the student is the same person.
    assert identity.display_name("Jose\u0301") == "José"


def zip_with(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return path


def test_a_zip_cannot_write_outside_its_folder(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    zip_with(subs / "mallory.zip", {"../../escaped/nms.py": "x = 1\n"})
    found, _ = discovery.discover(subs, tmp_path / "scratch")
    assert found[0].problem and "outside" in found[0].problem
    assert found[0].attempt("nms") is None
    assert not list(tmp_path.rglob("escaped"))


def test_a_zip_bomb_is_refused_while_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(discovery, "MAX_FILE_BYTES", 1000)
    archive = zip_with(tmp_path / "bomb.zip", {"nms.py": "#" * 5000})
    with pytest.raises(discovery.UnsafeArchive, match="larger than"):
        discovery.extract_zip(archive, tmp_path / "dest", ["nms.py"])


def test_only_exercise_files_are_extracted_and_links_skipped(tmp_path):
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("hw/nms.py", "x = 1\n")
        zf.writestr("hw/setup.sh", "rm -rf /\n")
        link = zipfile.ZipInfo("iou.py")
        link.external_attr = (0o120777 << 16)
        zf.writestr(link, "/etc/passwd")
    assert discovery.extract_zip(archive, tmp_path / "dest", ["nms.py", "iou.py"]) == 1
    assert [p.relative_to(tmp_path / "dest").as_posix() for p in (tmp_path / "dest").rglob("*.py")] == ["hw/nms.py"]


def test_a_corrupt_zip_scores_zero_with_the_reason(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "zed.zip").write_bytes(b"PK\x03\x04 not really a zip")
    found, _ = discovery.discover(subs, tmp_path / "scratch")
    record = ClassRecord.missing(found[0].student, catalog.get("nms").name, catalog.get("nms").points, found[0].problem)
    assert record.score == 0 and "zip" in record.result.error


def test_progress_line_shows_done_failed_and_eta():
    progress = batch.Progress(total=10, done=4, failed_to_run=1, started=time.monotonic() - 8)
    line = batch_commands.progress_line(progress)
    assert "4/10 graded" in line and "1 failed to run" in line and "ETA 0:12" in line


def test_bad_exercise_names_are_usage_errors(tmp_path):
    (tmp_path / "subs").mkdir()
    result = CliRunner().invoke(cli, ["batch", str(tmp_path / "subs"), "--out", str(tmp_path / "o"),
                                      "--exercises", "nsm"])
    assert result.exit_code == 2 and "Did you mean 'nms'" in result.output


def test_commands_have_help_with_an_example():
    for command in ("batch", "gradescope"):
        result = CliRunner().invoke(cli, [command, "--help"])
        assert result.exit_code == 0 and "Example" in result.output


def test_batch_scores_match_grading_one_file_at_a_time(graded):
    """Batch grading shares the prepared cases between students: it must not change a score."""
    from dataclasses import replace

    from grader.grading.attempt import Expectation, grade_attempt, prepare

    _, subs, out, _ = graded
    assert records_of(out)["bob", "nms"]["score"] == grade_attempt("nms", subs / "bob" / "nms.py").score
    # Cases prepared for another seed are never used: these would fail every case.
    stale = prepare("nms", seed=2024)
    stale = replace(stale, expectations=[Expectation(value="nonsense")] * len(stale.cases))
    assert grade_attempt("nms", subs / "alice" / "nms.py", seed=11, prepared=stale).passed


def test_an_encrypted_zip_scores_zero_with_the_reason(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    archive = zip_with(subs / "kim.zip", {"nms.py": "x = 1\n"})
    data = bytearray(archive.read_bytes())
    data[6] |= 1  # the "encrypted" flag of the member's local header and of its directory entry
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 1
    archive.write_bytes(bytes(data))
    found, _ = discovery.discover(subs, tmp_path / "scratch")
    assert found[0].student == "kim" and "zip" in found[0].problem
