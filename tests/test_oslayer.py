"""The OS layer (grader/sandbox/oslayer.py, docs/security.md) as the trust boundary: each attack of issue 9
that the in-process layers cannot stop runs with those layers switched off, under bubblewrap and under
the unprivileged-uid fallback, as root. The attack fails, the grader returns a readable record within
its limits, and nothing outside the scratch changed. In CI (CI=true) a missing bubblewrap is a failure,
not a skip."""

import hashlib
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy
import pytest

from grader import catalog
from grader.sandbox import oslayer
from grader.sandbox import session as sandbox
from grader.grading.attempt import grade_attempt
from grader.record.vocabulary import ErrorKind, layer_note
from grader.sandbox.limits import Limits

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
ROOT = catalog.ROOT
LIMITS = Limits(case_seconds=3.0, import_seconds=5.0, memory_mb=512)
SITE = Path(numpy.__file__).resolve().parent.parent
IS_ROOT = os.geteuid() == 0


def _require_bubblewrap():
    path, why = oslayer.bubblewrap_status()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must exercise the OS layer, but {why}")
        pytest.skip(why)


def _nobody_python():
    """An interpreter of this version that uid 65534 can run (pyenv under a 0700 /root is not)."""
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    candidates = [sys.executable, shutil.which(f"python{version}"), f"/usr/bin/python{version}"]
    for candidate in dict.fromkeys(c for c in candidates if c and os.path.exists(c)):
        try:
            probe = subprocess.run([candidate, "-I", "-S", "-c", f"import sys; sys.path.append({str(SITE)!r}); "
                                    "import numpy"], user=oslayer.NOBODY, group=oslayer.NOBODY, extra_groups=[],
                                   cwd="/", capture_output=True, check=False)
        except OSError:  # it cannot even start it
            continue
        if probe.returncode == 0:
            return candidate
    return None


@pytest.fixture
def fallback(monkeypatch):
    """The unprivileged-uid layer alone (as where bubblewrap cannot make namespaces)."""
    if not IS_ROOT:
        pytest.skip("the unprivileged-uid layer needs a root grader")
    python = _nobody_python()
    if python is None:
        pytest.skip(f"no Python {sys.version_info[0]}.{sys.version_info[1]} with numpy that uid 65534 can run")
    monkeypatch.setattr(sys, "executable", python)
    monkeypatch.setattr(oslayer, "bubblewrap", lambda: None)
    monkeypatch.setattr(oslayer, "namespaces", lambda: False)
    oslayer.unprivileged_uid_status.cache_clear()
    yield
    oslayer.unprivileged_uid_status.cache_clear()


def _require_namespaces():
    working, why = oslayer.namespaces_status()
    if not working:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must exercise grade's own namespaces, but {why}")
        pytest.skip(why)


@pytest.fixture(params=["namespaces", "bubblewrap", "unprivileged-uid"])
def os_layer(request, monkeypatch):
    if request.param == "namespaces":
        _require_namespaces()
    elif request.param == "bubblewrap":
        _require_bubblewrap()
        monkeypatch.setattr(oslayer, "namespaces", lambda: False)
    else:
        request.getfixturevalue("fallback")
    assert oslayer.os_layer() == request.param
    return request.param


def guardless_worker(seccomp=True):
    """The worker's source without the import guard and the audit hook (and optionally seccomp)."""
    text = sandbox.WORKER_FILE.read_text()
    for name in ("_install_import_guard", "_install_file_and_process_policy") + (() if seccomp else ("_load_seccomp",)):
        head = next(line for line in text.splitlines() if line.startswith(f"def {name}("))
        text = text.replace(head + "\n", head + "\n    return\n", 1)
    return text


def without_guard_rails(monkeypatch, tmp_path, seccomp=True):
    """A worker that installs neither the import guard nor the audit hook (nor, optionally, seccomp):
    what an attempt that has defeated them (issue 9) faces."""
    patched = tmp_path / "worker_without_guard_rails.py"
    patched.write_text(guardless_worker(seccomp))
    monkeypatch.setattr(sandbox, "WORKER_FILE", patched)


def digest(paths):
    found = {}
    for top in paths:
        top = Path(top)
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in files:
            found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        if top.is_dir():
            found[f"{top}/"] = sorted(os.listdir(top))
    return found


def guarded_paths():
    jinja = importlib.util.find_spec("jinja2").origin
    return [ROOT / "exercises", ROOT / "solutions", ROOT / "grader", SITE / "numpy", jinja,
            os.path.join(os.path.dirname(os.__file__), "os.py")]


def site_listing():
    return sorted(os.listdir(SITE))


def grade(name, tmp_path, **substitutions):
    text = (HOSTILE / f"{name}.py").read_text()
    for key, value in substitutions.items():
        text = text.replace(key, str(value))
    attempt = tmp_path / "nms.py"
    attempt.write_text(text)
    started = time.monotonic()
    result = grade_attempt("nms", attempt, limits=LIMITS)
    elapsed = time.monotonic() - started
    assert elapsed < 2 * LIMITS.case_seconds + LIMITS.import_seconds + 20
    json.dumps(result.to_dict())  # a readable record
    return result


def facts_of(result):
    for case in result.cases:
        text = case.message or ""
        if "FACTS" in text:
            return json.loads(text[text.index("FACTS") + 5:].split(" (at ")[0])
    raise AssertionError(f"no facts in {result.error} {[c.message for c in result.cases][:3]}")


def private_project(tmp_path):
    """The project as Gradescope's fallback setup keeps it: under a directory others cannot enter."""
    private = tmp_path / "private" / "grade"
    shutil.copytree(ROOT / "solutions", private / "solutions")
    os.chmod(tmp_path / "private", 0o700)
    return private


def escaped_writes(writable, targets_before, private=()):
    """The targets an attempt could write outside its own mounts. Under bubblewrap, /tmp is the
    sandbox's own tmpfs: a checkout below /tmp appears there only as the empty folders holding the
    mounts of the interpreter and numpy, and what is written there is gone with the sandbox. So a
    write counts when it lands outside such a private mount, or when the host sees it."""
    inside = [p for p in writable if not any(p.startswith(top) for top in private)]
    on_host = [p for p, existed in targets_before.items() if os.path.exists(p) != existed]
    return sorted(set(inside) | set(on_host))


def private_tops(layers_or_name):
    mounted = [layers_or_name] if isinstance(layers_or_name, str) else layers_or_name
    return ("/tmp/",) if set(mounted) & set(oslayer.MOUNT_NAMESPACE_LAYERS) else ()


# -- from inside ---------------------------------------------------------------------------------

def test_from_inside_no_capability_no_remount_no_write_no_cv2_bounded_space(os_layer, tmp_path, monkeypatch):
    without_guard_rails(monkeypatch, tmp_path, seccomp=False)
    # The sysctls and the sysrq trigger are not namespaced: the attempt's uid is the grader's own
    # (root) outside under both mount-namespace layers, so they must be read-only mounts.
    targets = [str(p) for p in (SITE / "numpy" / "__init__.py", SITE / "zz_probe.pth", ROOT / "solutions" / "nms.py",
                                ROOT / "probe.txt", Path(os.__file__), Path("/usr/probe.txt"), Path("/probe.txt"),
                                Path("/proc/sys/kernel/core_pattern"), Path("/proc/sysrq-trigger"))]
    before = digest(guarded_paths()), site_listing()
    existed = {t: os.path.exists(t) for t in targets}
    facts = facts_of(grade("os_facts", tmp_path, __TARGETS__=json.dumps(targets),
                           __REMOUNT__=repr(str(SITE if os_layer in oslayer.MOUNT_NAMESPACE_LAYERS else "/usr"))))
    assert (digest(guarded_paths()), site_listing()) == before
    assert facts["capeff"] == "0000000000000000"
    assert facts["remount"] != 0
    assert escaped_writes(facts["writable"], existed, private_tops(os_layer)) == []
    if os_layer in oslayer.MOUNT_NAMESPACE_LAYERS:
        assert facts["uid"] == oslayer.NOBODY
        assert set(facts["caps"].values()) == {"0000000000000000"} and facts["no_new_privs"] == "1"
        assert facts["pids"] == [1], "the attempt sees processes outside its own PID namespace"
    if os_layer == oslayer.NAMESPACES and IS_ROOT:
        # A root grader's attempt is not root outside: a uid of its own (where the kernel can attach
        # cloned trees across user namespaces, as CI's does).
        assert oslayer.namespaces_own_uid() or os.environ.get("CI") != "true"
        if oslayer.namespaces_own_uid():
            assert facts["uid_map"][0] == str(oslayer.NOBODY) and facts["uid_map"][1] not in ("0", str(os.getuid()))
    else:
        assert facts["uid"] not in (0, os.getuid())
    if os_layer in oslayer.MOUNT_NAMESPACE_LAYERS:
        assert facts["cv2"] is False
        # The tmpfs limits hold (a little less than the size: tmpfs keeps some for itself).
        assert 0 < facts["tmp_mb"] <= oslayer.TMP_BYTES >> 20
        assert 0 < facts["shm_mb"] <= oslayer.TMP_BYTES >> 20
        assert 0 < facts["scratch_mb"] <= oslayer.SCRATCH_BYTES >> 20


def test_no_new_process_and_no_network(os_layer, tmp_path, monkeypatch):
    without_guard_rails(monkeypatch, tmp_path)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.setblocking(False)
    try:
        result = grade("fork_bomb", tmp_path, __SECONDS__=30, __PORT__=server.getsockname()[1])
        with pytest.raises(BlockingIOError):
            server.accept()
    finally:
        server.close()
    assert "STARTED 0 CONNECTED False" in " ".join(c.message for c in result.cases)


# -- the attacks of issue 9 -----------------------------------------------------------------------

def test_remount_and_plant_a_pth_or_patch_jinja2_fails(os_layer, tmp_path, monkeypatch):
    without_guard_rails(monkeypatch, tmp_path)
    before = digest(guarded_paths()), site_listing()
    result = grade("plant_pth", tmp_path, __SITE__=SITE, __JINJA__=importlib.util.find_spec("jinja2").origin)
    assert not result.passed
    assert (digest(guarded_paths()), site_listing()) == before
    assert not (SITE / "zz_grade_owned.pth").exists()
    # The next grading of the untouched stub is still a stub.
    assert grade_attempt("nms", catalog.get("nms").stub_path).not_implemented


def test_cv2_loaded_from_its_path_fails(os_layer, tmp_path, monkeypatch):
    spec = importlib.util.find_spec("cv2")
    if spec is None:
        pytest.skip("OpenCV is not installed here: nothing to load")
    if os_layer == "unprivileged-uid":
        # Without a mount namespace a readable cv2 can be loaded: class mode refuses to run so.
        assert "cv2" in oslayer.class_mode_problem()
        return
    without_guard_rails(monkeypatch, tmp_path)
    result = grade("cv2_by_path", tmp_path, __CV2_SO__=spec.origin)
    assert result.score < result.max_score / 2


def test_the_grader_cannot_be_signalled_or_limited(os_layer, tmp_path, monkeypatch):
    without_guard_rails(monkeypatch, tmp_path)
    limit = __import__("resource").getrlimit(__import__("resource").RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGTERM, lambda *a: pytest.fail("the attempt signalled the grader"))
    try:
        grade("signal_grader", tmp_path, __GRADER_PID__=os.getpid())
    finally:
        signal.signal(signal.SIGTERM, handler)
    assert __import__("resource").getrlimit(__import__("resource").RLIMIT_FSIZE) == limit


def test_dir_fd_opens_of_the_project_fail(os_layer, tmp_path, monkeypatch):
    without_guard_rails(monkeypatch, tmp_path)
    project = ROOT if os_layer in oslayer.MOUNT_NAMESPACE_LAYERS else private_project(tmp_path)
    before = digest([project / "solutions"])
    result = grade("dir_fd_project", tmp_path, __ROOT__=project)
    assert result.score < result.max_score / 2
    assert digest([project / "solutions"]) == before
    assert not (project / "HACKED.txt").exists()


def test_the_hostile_suite_still_fails_under_the_fallback(fallback, tmp_path):
    project = private_project(tmp_path)
    for name in ("steal_reference", "write_project", "kill_grader", "outlive_grading"):
        result = grade(name, tmp_path, __ROOT__=project, __MARKER__="4242.5")
        assert not result.passed, name
    assert not (project / "HACKED.txt").exists()


# -- class mode -------------------------------------------------------------------------------------

def test_class_mode_refuses_without_an_os_layer(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from grader.cli import cli

    monkeypatch.setattr(oslayer, "bubblewrap", lambda: None)
    monkeypatch.setattr(oslayer, "namespaces", lambda: False)
    monkeypatch.setattr(oslayer, "unprivileged_uid", lambda: False)
    (tmp_path / "subs" / "ann").mkdir(parents=True)
    shutil.copy(catalog.get("nms").solution_path, tmp_path / "subs" / "ann" / "nms.py")
    refused = CliRunner().invoke(cli, ["batch", str(tmp_path / "subs"), "--out", str(tmp_path / "out"),
                                       "--exercises", "nms"])
    assert refused.exit_code == 2
    assert "bubblewrap" in refused.output and "--allow-unsandboxed" in refused.output
    assert not (tmp_path / "out" / "results.jsonl").exists()
    refused = CliRunner().invoke(cli, ["gradescope", "--submission", str(tmp_path / "subs" / "ann"),
                                       "--results", str(tmp_path / "r.json"), "--exercises", "nms"])
    assert refused.exit_code == 2 and not (tmp_path / "r.json").exists()

    allowed = CliRunner().invoke(cli, ["batch", str(tmp_path / "subs"), "--out", str(tmp_path / "out"),
                                       "--exercises", "nms", "--allow-unsandboxed"])
    assert allowed.exit_code == 0, allowed.output
    record = json.loads((tmp_path / "out" / "results.jsonl").read_text().splitlines()[0])
    assert oslayer.NO_OS_LAYER in record["sandbox"]
    note = layer_note(record["sandbox"])
    assert note in (tmp_path / "out" / "feedback" / "ann.md").read_text()
    assert note in (tmp_path / "out" / "report.html").read_text().replace("&#39;", "'")


def _reachable_by_others(path):
    path = Path(path)
    return all(os.stat(p).st_mode & 0o001 for p in path.parents) and os.stat(path).st_mode & 0o005 == 0o005


def test_class_mode_under_the_fallback_needs_the_project_and_refused_libraries_out_of_reach(fallback, tmp_path,
                                                                                            monkeypatch):
    monkeypatch.setattr(oslayer, "_forbidden_libraries", lambda: [])
    assert oslayer.class_mode_problem([private_project(tmp_path)]) is None
    if _reachable_by_others(ROOT):
        assert str(ROOT) in oslayer.class_mode_problem([ROOT])
    # A refused library uid 65534 can read is reported, whatever the project's permissions.
    library = SITE / "numpy" / "__init__.py"
    monkeypatch.setattr(oslayer, "_forbidden_libraries", lambda: [str(library)])
    assert str(library) in oslayer.class_mode_problem([private_project(tmp_path / "again")])


def test_a_learners_grading_works_and_says_which_layers_ran(monkeypatch):
    monkeypatch.setattr(oslayer, "bubblewrap", lambda: None)
    monkeypatch.setattr(oslayer, "namespaces", lambda: False)
    monkeypatch.setattr(oslayer, "unprivileged_uid", lambda: False)
    result = grade_attempt("nms", catalog.get("nms").solution_path)
    assert result.passed and oslayer.NO_OS_LAYER in result.sandbox


# -- nothing left behind ----------------------------------------------------------------------------

def _proc_state(pid):
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    return stat[stat.rindex(b")") + 2:].split()[0].decode()


def _children_of(pid):
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def _many_gradings():
    stub, reference = catalog.get("nms").stub_path, catalog.get("nms").solution_path
    for number in range(60):
        grade_attempt("nms", reference if number % 10 == 0 else stub)
    grade_attempt("nms", HOSTILE / "segfault.py", limits=LIMITS)  # a worker that dies by itself
    time.sleep(0.3)


def test_no_zombie_and_no_orphan_after_many_forked_gradings(monkeypatch):
    _require_namespaces()
    workers = []
    real_fork = sandbox.forkserver.fork_worker

    def recording(*args, **kwargs):
        workers.append(real_fork(*args, **kwargs))
        return workers[-1]

    monkeypatch.setattr(sandbox.forkserver, "fork_worker", recording)
    _many_gradings()
    zygote = oslayer.zygote().pid
    assert len(workers) > 60 and None not in [w.pid for w in workers] and zygote is not None
    left = {pid: _proc_state(pid) for pid in [w.pid for w in workers] + _children_of(zygote)
            if _proc_state(pid) is not None}
    assert left == {}, "zombies (Z) or orphans left behind"


def test_no_zombie_and_no_orphan_after_many_gradings(monkeypatch):
    if oslayer.bubblewrap() is None:
        _require_bubblewrap()
    monkeypatch.setattr(oslayer, "namespaces", lambda: False)
    started, children = [], []
    real_popen, real_child = subprocess.Popen, oslayer.bwrap_child_pid

    class Recording(real_popen):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            started.append(self.pid)

    def child_pid(fd):
        pid = real_child(fd)
        children.append(pid)
        return pid

    monkeypatch.setattr(subprocess, "Popen", Recording)
    monkeypatch.setattr(oslayer, "bwrap_child_pid", child_pid)
    oslayer.bubblewrap_status.cache_clear()  # the probe too
    _many_gradings()
    assert len(started) > 60 and None not in children
    left = {pid: _proc_state(pid) for pid in started + children if _proc_state(pid) is not None}
    assert left == {}, "zombies (Z) or orphans left behind"


def _grader_script(attempt, marker):
    return (f"import sys; sys.path[:0] = [{str(ROOT)!r}, {str(SITE)!r}]\n"
            "from grader.grading.attempt import grade_attempt\n"
            f"print('started', flush=True); grade_attempt('nms', {str(attempt)!r})\n")


def _descendants(pid):
    found = []
    for child in _children_of(pid):
        found += [child] + _descendants(child)
    return found


@pytest.mark.parametrize("layer", ["namespaces", "bubblewrap", "unprivileged-uid", "none"])
def test_kill_9_of_the_grader_leaves_no_worker_and_the_next_run_clears_its_scratch(layer, tmp_path):
    # The fallback's uid must be able to reach its scratch: not below pytest's private tmp_path.
    tmp = tempfile.mkdtemp(prefix="grade-kill-test-", dir="/tmp")
    os.chmod(tmp, 0o711)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TMPDIR": os.path.join(tmp, "tmp")}
    python = sys.executable
    if layer == "namespaces":
        _require_namespaces()
    elif layer == "bubblewrap":
        _require_bubblewrap()
        env[oslayer.OS_SANDBOX_ENV] = "bubblewrap"
    elif layer == "unprivileged-uid":
        python = _nobody_python() if IS_ROOT else None
        if python is None:
            pytest.skip("no root grader or no interpreter uid 65534 can run")
        env[oslayer.OS_SANDBOX_ENV] = "off"
    else:
        env[oslayer.OS_SANDBOX_ENV] = "none"
    os.makedirs(env["TMPDIR"])
    attempt = tmp_path / "sleepy_77231.py"
    attempt.write_text("import time\ntime.sleep(60)\n")
    grader = subprocess.Popen([python, "-c", _grader_script(attempt, "77231")], env=env, stdout=subprocess.PIPE)
    try:
        assert grader.stdout.readline().strip() == b"started"
        # A forked worker runs the zygote's command line: it is the grader's great-grandchild
        # (zygote, keeper, worker), and none of the three may outlive the grader.
        if layer == "namespaces":
            def workers():
                return [p for p in started if _proc_state(p) is not None]
            started = []
            deadline = time.monotonic() + 15
            while len(started) < 3 and time.monotonic() < deadline:
                started = _descendants(grader.pid)
                time.sleep(0.05)
        else:
            def workers():
                return _workers_of("sleepy_77231")
            deadline = time.monotonic() + 15
            while not workers() and time.monotonic() < deadline:
                time.sleep(0.05)
        assert workers(), "the worker never started"
        scratch = os.listdir(env["TMPDIR"])
        assert all(name.startswith(f"grade-{grader.pid}.") for name in scratch)
        assert scratch or layer == "namespaces"  # a forked worker's scratch exists only in its namespace
        os.kill(grader.pid, signal.SIGKILL)
        grader.wait()
        deadline = time.monotonic() + 5
        while workers() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not workers(), "a worker outlived its grader"
    finally:
        if grader.poll() is None:
            grader.kill()
            grader.wait()
    assert set(oslayer.remove_stale(env["TMPDIR"])) == set(scratch)
    assert os.listdir(env["TMPDIR"]) == []
    shutil.rmtree(tmp)


def _workers_of(name):
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if f"{name}.py".encode() in cmdline.read_bytes() and b"_grade_worker" in cmdline.read_bytes():
                found.append(cmdline.parent.name)
        except OSError:
            pass
    return found


def test_a_live_graders_scratch_is_kept(tmp_path):
    mine = tmp_path / (oslayer.owned_prefix() + "abc")
    mine.mkdir()
    gone = tmp_path / "grade-999999999.1-abc"
    gone.mkdir()
    assert oslayer.remove_stale(str(tmp_path)) == [gone.name]
    assert mine.exists() and not gone.exists()


def test_restarted_workers_get_a_fresh_scratch(tmp_path):
    attempt = tmp_path / "nms.py"
    # Leaves a file in its scratch, then times out: the next case's worker must not find it.
    attempt.write_text("import os\n\ndef nms(boxes, scores, iou_threshold):\n"
                       "    if os.path.exists('mark'):\n        raise RuntimeError('STALE SCRATCH')\n"
                       "    open('mark', 'w').close()\n    while True:\n        pass\n")
    result = grade_attempt("nms", attempt, limits=Limits(case_seconds=0.5, consecutive_limit_hits=3))
    assert "STALE SCRATCH" not in " ".join(c.message for c in result.cases)
    assert [c.status for c in result.cases[:3]] == ["timeout"] * 3


# -- as an unprivileged user --------------------------------------------------------------------------

def test_as_an_unprivileged_user(tmp_path):
    if not IS_ROOT or shutil.which("setpriv") is None:
        pytest.skip("needs root (to become uid 65534) and setpriv")
    python = _nobody_python()
    if python is None:
        pytest.skip("no interpreter uid 65534 can run")
    copy = Path(tempfile.mkdtemp(prefix="grade-user-test-", dir="/tmp"))
    try:
        for top in ("grader", "solutions", "exercises"):
            shutil.copytree(ROOT / top, copy / top, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(ROOT / "pyproject.toml", copy)  # marks the copy as a checkout (catalog.ROOT)
        (copy / "grader" / "sandbox" / "worker.py").write_text(guardless_worker(seccomp=False))
        targets = [str(SITE / "numpy" / "__init__.py"), str(copy / "solutions" / "nms.py"), str(ROOT / "probe.txt")]
        text = (HOSTILE / "os_facts.py").read_text().replace("__TARGETS__", json.dumps(targets))
        (copy / "nms.py").write_text(text.replace("__REMOUNT__", repr(str(SITE))))
        existed = {t: os.path.exists(t) for t in targets}
        subprocess.run(["chmod", "-R", "a+rX", str(copy)], check=True)
        run = subprocess.run(["setpriv", "--reuid", str(oslayer.NOBODY), "--regid", str(oslayer.NOBODY),
                              "--clear-groups", python, "-m", "grader", "nms", str(copy / "nms.py"), "--json"],
                             cwd=copy, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": f"{copy}:{SITE}",
                                            "HOME": str(copy)},
                             capture_output=True, timeout=120, check=False)
        record = json.loads(run.stdout)
        layers = record["sandbox"]
        if not set(layers) & set(oslayer.MOUNT_NAMESPACE_LAYERS):
            pytest.skip("neither grade nor bubblewrap can make namespaces as an unprivileged user here")
        facts = facts_of(type("R", (), {"cases": [type("C", (), c) for c in record["cases"]],
                                        "error": record["error"]}))
        assert facts["capeff"] == "0000000000000000" and facts["remount"] != 0
        assert escaped_writes(facts["writable"], existed, private_tops(layers)) == [] and facts["cv2"] is False
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def test_numpy_works_whole_inside(os_layer, tmp_path):
    # Only numpy's own directories are mounted: what it imports on use must be there too.
    attempt = tmp_path / "nms.py"
    attempt.write_text("import numpy as np\nimport numpy.fft, numpy.linalg, numpy.random, numpy.polynomial\n"
                       "from numpy.lib.stride_tricks import sliding_window_view\n\n"
                       "def nms(boxes, scores, iou_threshold):\n"
                       "    x = np.random.default_rng(0).random((4, 4))\n"
                       "    np.linalg.inv(x + 4 * np.eye(4)); np.fft.rfft(x); sliding_window_view(x, (2, 2))\n"
                       "    np.einsum('ij,jk->ik', x, x)\n"
                       "    return []\n")
    result = grade_attempt("nms", attempt, limits=LIMITS)
    assert result.error is None
    assert not any(c.status == "error" for c in result.cases), [c.message for c in result.cases][:3]


@pytest.mark.parametrize("stderr, why", [
    ("bwrap: No permissions to creating new namespace, likely because the kernel does not allow "
     "non-privileged user namespaces", "cannot create its namespaces"),
    ("bwrap: Unknown option --disable-userns", "too old"),
])
def test_a_bubblewrap_that_cannot_work_here_is_reported(stderr, why, tmp_path, monkeypatch):
    fake = tmp_path / "bwrap"
    fake.write_text(f"#!/bin/sh\necho '{stderr}' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ.get('PATH', '')}")
    monkeypatch.delenv(oslayer.OS_SANDBOX_ENV, raising=False)
    oslayer.bubblewrap_status.cache_clear()
    try:
        path, reason = oslayer.bubblewrap_status()
    finally:
        oslayer.bubblewrap_status.cache_clear()
    assert path is None and why in reason


def test_no_tmpfs_hides_a_bind_made_before_it(tmp_path, monkeypatch):
    """bwrap applies its mounts in order: a tmpfs on /tmp after the bind of numpy hid numpy whenever the
    interpreter lives below /tmp (a virtual environment in a checkout there, as CI makes). Every bind
    must come after each tmpfs above its destination."""
    venv = "/tmp/ci-clone/.venv/lib/python3/site-packages"
    monkeypatch.setattr(oslayer, "numpy_dirs", lambda: (venv, [venv + "/numpy", venv + "/numpy.libs"]))
    args = oslayer.bubblewrap_args("bwrap", str(tmp_path / "scratch"), [str(tmp_path / "scratch" / "a.py")])
    tmpfs, binds = {}, []
    for i, arg in enumerate(args):
        if arg == "--tmpfs":
            tmpfs.setdefault(args[i + 1], i)
        elif arg in ("--ro-bind", "--ro-bind-try", "--bind"):
            binds.append((i, args[i + 2]))
    assert "/tmp" in tmpfs
    late = [(dest, mount) for i, dest in binds for mount, j in tmpfs.items()
            if j > i and (dest == mount or dest.startswith(mount.rstrip("/") + "/"))]
    assert not late, f"a tmpfs mounted after these binds hides them: {late}"


# -- the zygote: nothing of one attempt reaches the next ------------------------------------------

def test_an_attempt_cannot_reach_the_zygote_or_leave_anything_for_the_next(tmp_path, monkeypatch):
    """What the zygote adds to the attack surface: a process every attempt is forked from. An attempt
    with the guard rails and seccomp off sees only its five descriptors and PID 1, kills what it can,
    and marks numpy, sys.modules, /tmp, /dev/shm and its scratch; the next attempt, forked from the
    same zygote, finds none of it, and the zygote goes on serving."""
    _require_namespaces()
    without_guard_rails(monkeypatch, tmp_path, seccomp=False)
    zygote = oslayer.zygote(sandbox.WORKER_FILE)
    planted = facts_of(grade("haunt_the_zygote", tmp_path, __MODE__="plant"))
    assert planted["fds"] == [0, 1, 2, 3, 4] and planted["pids"] == [1]
    pid = zygote.pid
    looked = facts_of(grade("haunt_the_zygote", tmp_path, __MODE__="look"))
    assert looked["marks"] == [] and looked["numpy_haunted"] is False and looked["module"] is False
    assert zygote.pid == pid is not None, "the zygote was restarted: the attempt reached it"
    assert grade_attempt("nms", catalog.get("nms").solution_path).passed


def test_a_zygote_that_died_is_started_again_and_the_grading_goes_on():
    _require_namespaces()
    zygote = oslayer.zygote()
    assert grade_attempt("nms", catalog.get("nms").solution_path).passed
    first = zygote.pid
    os.kill(first, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while _proc_state(first) not in (None, "Z") and time.monotonic() < deadline:
        time.sleep(0.02)
    result = grade_attempt("nms", catalog.get("nms").solution_path)
    assert result.passed and "namespaces" in result.sandbox
    assert zygote.pid not in (None, first)


def test_a_sandbox_that_cannot_be_built_is_the_graders_failure_said_plainly(monkeypatch, tmp_path):
    """A mount the worker cannot make (here: a source that does not exist) fails every case with a
    message naming grade, not the attempt, and the grader goes on."""
    _require_namespaces()
    broken = tmp_path / "worker.py"
    broken.write_text(sandbox.WORKER_FILE.read_text())  # a zygote of its own, with a broken view
    monkeypatch.setattr(sandbox, "WORKER_FILE", broken)
    real = oslayer.sandbox_mounts
    monkeypatch.setattr(oslayer, "sandbox_mounts", lambda *a, **k: real(*a, **k) + [("ro-bind", "/no/such/dir", "/x")])
    result = grade_attempt("nms", catalog.get("nms").solution_path, limits=LIMITS)
    assert not result.passed
    assert result.error.startswith("grade could not build the sandbox (")
    assert result.error_kind == ErrorKind.SANDBOX
    assert {c.message for c in result.cases} == {"not run: grade could not build its sandbox"}
    monkeypatch.undo()
    assert grade_attempt("nms", catalog.get("nms").solution_path).passed


def _break_the_view(monkeypatch, tmp_path):
    """A mount the worker cannot make: every sandbox fails to build, under namespaces."""
    broken = tmp_path / "worker.py"
    broken.write_text(sandbox.WORKER_FILE.read_text())  # a zygote of its own, with a broken view
    monkeypatch.setattr(sandbox, "WORKER_FILE", broken)
    real = oslayer.sandbox_mounts
    monkeypatch.setattr(oslayer, "sandbox_mounts", lambda *a, **k: real(*a, **k) + [("ro-bind", "/no/such/dir", "/x")])


def test_a_sandbox_failure_in_a_class_is_never_the_students_grade_and_resume_retries_it(monkeypatch, tmp_path):
    """Issue 20's bug: a sandbox that cannot be built was written as the student's crash (0 points) and
    --resume never graded it again. Now the grading is the grader's error, not written, and retried."""
    _require_namespaces()
    from grader.classroom import run as batch, store
    from grader.record.class_record import ClassRecord

    subs = tmp_path / "subs"
    (subs / "alice").mkdir(parents=True)
    (subs / "alice" / "nms.py").write_bytes(catalog.get("nms").solution_path.read_bytes())
    out, scratch = tmp_path / "out", tmp_path / "scratch"
    scratch.mkdir()
    _break_the_view(monkeypatch, tmp_path)
    run = batch.run_batch(subs, out, scratch=scratch, exercises=[catalog.get("nms")], jobs=1, limits=LIMITS)
    assert run.graded == 0 and run.records == []
    assert len(run.errors) == 1 and "could not build the sandbox" in run.errors[0]
    monkeypatch.undo()
    again = batch.run_batch(subs, out, scratch=scratch, exercises=[catalog.get("nms")], jobs=1, resume=True)
    assert again.graded == 1 and not again.errors
    assert [(r.student, r.outcome, r.score) for r in again.records] == [("alice", "passed", 10)]


def test_a_bubblewrap_that_cannot_build_the_sandbox_is_the_graders_failure_said_plainly(monkeypatch):
    _require_bubblewrap()
    monkeypatch.setattr(oslayer, "namespaces", lambda: False)
    real = oslayer.sandbox_mounts
    monkeypatch.setattr(oslayer, "sandbox_mounts",
                        lambda *a, **k: real(*a, **k)[:-1] + [("ro-bind", "/no/such/dir", "/x"), ("remount-ro", "/")])
    result = grade_attempt("nms", catalog.get("nms").solution_path, limits=LIMITS)
    assert result.error.startswith("grade could not build the sandbox (bwrap: ")
    assert {c.message for c in result.cases} == {"not run: grade could not build its sandbox"}


def test_a_keeper_that_cannot_make_the_namespaces_is_the_graders_failure_said_plainly(monkeypatch, tmp_path):
    """The keeper fails before it forks a worker (here: a bad namespace flag): reported as grade's."""
    _require_namespaces()
    broken = tmp_path / "worker.py"
    broken.write_text(sandbox.WORKER_FILE.read_text())  # a zygote of its own
    monkeypatch.setattr(sandbox, "WORKER_FILE", broken)
    zygote_source = sandbox.forkserver.ZYGOTE_FILE.read_text()
    patched = tmp_path / "zygote.py"
    patched.write_text(zygote_source.replace("| CLONE_NEWUTS | CLONE_NEWCGROUP), \"unshare\")",
                                             "| CLONE_NEWUTS | CLONE_NEWCGROUP | 1), \"unshare\")"))
    assert patched.read_text() != zygote_source
    monkeypatch.setattr(sandbox.forkserver, "ZYGOTE_FILE", patched)
    result = grade_attempt("nms", catalog.get("nms").solution_path, limits=LIMITS)
    assert result.error.startswith("grade could not build the sandbox (") and "unshare" in result.error
    assert {c.message for c in result.cases} == {"not run: grade could not build its sandbox"}


def test_concurrent_forked_workers_of_a_root_grader_have_uids_of_their_own_outside():
    _require_namespaces()
    if not IS_ROOT or not oslayer.namespaces_own_uid():
        pytest.skip("a root grader on a kernel that attaches cloned trees across user namespaces")
    exercise = catalog.get("nms")
    sessions = [sandbox.WorkerSession(exercise.solution_path, functions=exercise.functions,
                                      forbidden=exercise.forbidden, limits=LIMITS) for _ in range(2)]
    try:
        for session in sessions:
            assert session.start().ok
        uids = [int(next(line for line in Path(f"/proc/{s.proc.pid}/status").read_text().splitlines()
                         if line.startswith("Uid:")).split()[1]) for s in sessions]
        assert len(set(uids)) == 2 and 0 not in uids and os.getuid() not in uids
        # Apart from the fallback's uids: a fallback grader elsewhere on the machine kills every
        # process of its uid when a worker ends (this once killed CI's workers mid-run).
        assert all(u <= oslayer.FORKED_UIDS for u in uids)
        oslayer.kill_all_of(oslayer.NOBODY)
        assert all(s.call("nms", ([[0, 0, 1, 1]], [1.0], 0.5), {}, 5.0).ok for s in sessions)
    finally:
        for session in sessions:
            session.close()


def test_a_worker_lost_with_its_zygote_while_importing_is_started_again(tmp_path):
    """Nothing an attempt can reach ends its keeper; when the zygote is killed from outside while an
    attempt imports, the grading starts that worker again (once) rather than blaming the attempt."""
    _require_namespaces()
    attempt = tmp_path / "nms.py"
    attempt.write_text("import time\ntime.sleep(1.0)\n" + catalog.get("nms").solution_path.read_text())
    zygote = oslayer.zygote()
    assert grade_attempt("nms", catalog.get("nms").solution_path).passed  # the zygote is up
    victim = zygote.pid

    def kill_soon():
        time.sleep(0.4)
        os.kill(victim, signal.SIGKILL)

    import threading

    killer = threading.Thread(target=kill_soon)
    killer.start()
    result = grade_attempt("nms", attempt, limits=LIMITS)
    killer.join()
    assert result.passed, (result.error, [c.message for c in result.cases][:2])
    assert zygote.pid not in (None, victim)
