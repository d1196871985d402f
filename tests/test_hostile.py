"""Hostile submissions (docs/security.md): each vector is failed or neutralised, the grader comes back
within its limits, and nothing is left behind. Every vector runs twice: with the in-process layers
only (audit hook, import guard, rlimits, process group) and with bubblewrap on top where it works."""

import hashlib
import os
import socket
import time
from pathlib import Path

import pytest

from grader import catalog
from grader.sandbox import oslayer
from grader.sandbox import session as sandbox
from grader.grading.attempt import grade_attempt
from grader.sandbox.limits import Limits

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
ROOT = catalog.ROOT
LIMITS = Limits(case_seconds=1.5, import_seconds=3.0, memory_mb=512)
MARKER = "4242.125"
SECRET = "grader-secret-7f3a"


@pytest.fixture(params=["in-process", "namespaces", "bubblewrap"])
def layers(request, monkeypatch):
    if request.param == "in-process":
        monkeypatch.setattr(oslayer, "bubblewrap", lambda: None)
        monkeypatch.setattr(oslayer, "namespaces", lambda: False)
        monkeypatch.setattr(oslayer, "unprivileged_uid", lambda: False)
        return request.param
    working, why = {"namespaces": oslayer.namespaces_status, "bubblewrap": oslayer.bubblewrap_status}[request.param]()
    if not working:
        if os.environ.get("CI") == "true":  # CI must exercise the OS layers (.ci/run installs bubblewrap)
            pytest.fail(f"CI must exercise the {request.param} layer, but {why}")
        pytest.skip(why)
    if request.param == "bubblewrap":
        monkeypatch.setattr(oslayer, "namespaces", lambda: False)
    assert oslayer.os_layer() == request.param
    return request.param


def project_snapshot():
    digest = {}
    for top in ("exercises", "solutions", "grader"):
        for path in sorted((ROOT / top).rglob("*.py")):
            digest[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


def grade_hostile(name, tmp_path, filename="nms.py", **substitutions):
    text = (HOSTILE / f"{name}.py").read_text()
    for key, value in {"__ROOT__": str(ROOT), **substitutions}.items():
        text = text.replace(key, str(value))
    attempt = tmp_path / filename
    attempt.write_text(text)
    started = time.monotonic()
    result = grade_attempt("nms", attempt, limits=LIMITS)
    elapsed = time.monotonic() - started
    # Within its limits: at most two runaway cases (then the rest are skipped), one import, and slack.
    assert elapsed < 2 * LIMITS.case_seconds + LIMITS.import_seconds + 20
    assert not result.passed
    return result


def processes_mentioning(text):
    """Processes whose command line contains ``text`` (arguments separated by NUL), from /proc."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text in cmdline.read_bytes().decode("utf-8", "replace"):
                found.append(cmdline.parent.name)
        except OSError:  # the process ended while we looked
            pass
    return found


def messages(result):
    return " | ".join([result.error or ""] + [c.message for c in result.cases])


@pytest.mark.parametrize("name, expected", [
    ("loop_at_import", "timed out after 3 s while being imported"),
    ("numpy_memory_bomb", "MemoryError"),
    ("segfault", "SIGSEGV"),
    ("system_exit_at_import", "SystemExit"),
    ("keyboard_interrupt", "raised KeyboardInterrupt"),
    ("lying_object", "returned a Liar"),
    ("generator", "returned a generator"),
    ("forbidden_exec", "'cv2' is not allowed"),
    ("forbidden_via_module", "'scipy' is not allowed"),
])
def test_runaway_crashing_and_lying_attempts_fail_with_a_reason(name, expected, layers, tmp_path):
    result = grade_hostile(name, tmp_path)
    assert expected in messages(result)


@pytest.mark.parametrize("name", ["deep_recursion", "patch_builtins", "nan_and_shapes", "enormous_output"])
def test_attempts_that_break_their_own_process_just_fail(name, layers, tmp_path):
    result = grade_hostile(name, tmp_path)
    assert result.score < result.max_score / 2


def test_output_floods_are_capped(layers, tmp_path):
    result = grade_hostile("output_flood", tmp_path)
    assert len(result.output) <= 4000
    assert len(str(result.to_dict())) < 20_000


def test_nothing_outlives_the_grading(layers, tmp_path):
    # The file name ends up in the worker's command line: it tells this test's workers from others'.
    grade_hostile("outlive_grading", tmp_path, filename="outlive_4242.py", __MARKER__=MARKER)
    time.sleep(0.2)
    assert not processes_mentioning(f"sleep\0{MARKER}"), "a process started by the attempt is still running"
    assert not processes_mentioning("outlive_4242"), "a worker (or a fork of one) is still running"


def test_the_reference_cannot_be_reached(layers, tmp_path):
    result = grade_hostile("steal_reference", tmp_path)
    assert result.score < result.max_score / 2
    if layers == "in-process":
        assert any("solutions" in b or "os.listdir" in b or "os.scandir" in b for b in result.blocked), result.blocked


def test_the_project_cannot_be_written(layers, tmp_path):
    before = project_snapshot()
    result = grade_hostile("write_project", tmp_path)
    assert project_snapshot() == before
    assert not (ROOT / "HACKED.txt").exists()
    if layers == "in-process":
        assert any("writing" in b for b in result.blocked), result.blocked


def test_no_connection_is_made_even_to_localhost(layers, tmp_path):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.setblocking(False)
    try:
        grade_hostile("network", tmp_path, __PORT__=server.getsockname()[1])
        with pytest.raises(BlockingIOError):
            server.accept()
    finally:
        server.close()


def test_the_graders_environment_is_not_visible(layers, tmp_path, monkeypatch):
    monkeypatch.setenv("GRADE_TEST_SECRET", SECRET)
    result = grade_hostile("read_environment", tmp_path, __SECRET__=SECRET)
    assert "LEAKED" not in messages(result)


def test_the_grader_cannot_be_signalled(layers, tmp_path):
    result = grade_hostile("kill_grader", tmp_path)  # reaching the next line means we are alive
    assert result.cases


def test_the_project_is_invisible_only_with_the_os_layer(layers, tmp_path):
    result = grade_hostile("project_visible", tmp_path)
    visible = "the project is visible" in messages(result)
    # os.stat is not audited: without bubblewrap an attempt can tell a path exists (docs/security.md).
    assert visible is (layers == "in-process")


def test_active_layers_are_reported(tmp_path):
    result = grade_attempt("nms", catalog.get("nms").solution_path)
    assert {"process-group", "rlimits", "audit-hook", "import-guard"} <= set(result.sandbox)
    assert oslayer.os_layer() in result.sandbox
    assert ("namespaces" in result.sandbox) is oslayer.namespaces()
    assert result.to_dict()["sandbox"] == result.sandbox


def test_no_scratch_directory_is_left_behind(tmp_path, monkeypatch):
    import tempfile

    scratch_parent = tmp_path / "tmp"
    scratch_parent.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch_parent))
    grade_hostile("outlive_grading", tmp_path, __MARKER__=MARKER)
    assert list(scratch_parent.iterdir()) == []
