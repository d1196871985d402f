"""grade from a pip install, not a clone: build the wheel, install it into a fresh virtual environment
outside the repository, and use it as a learner would (init, grade a stub, grade a right answer)."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import click
import jinja2
import markupsafe
import numpy
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _clean_env(**extra) -> dict:
    # PYTHONPATH at the clone would show the clone's grade.egg-info to pip ("already installed").
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GRADE_WORKSPACE")}
    return {**env, **extra}


def _run(args, **kwargs):
    kwargs.setdefault("env", _clean_env())
    return subprocess.run(args, capture_output=True, text=True, timeout=120, **kwargs)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    pytest.importorskip("setuptools")
    tmp = tmp_path_factory.mktemp("wheel")
    # Built from a copy: a stale build/ folder in the clone could smuggle in files git no longer has.
    source = tmp / "source"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for folder in ("grader", "exercises", "solutions"):
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                  "-q", "-w", str(tmp / "dist"), str(source)])
    assert built.returncode == 0, built.stderr[-3000:]
    [wheel] = (tmp / "dist").glob("grade-*.whl")
    venv = tmp / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    done = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                 "-q", str(wheel)])
    assert done.returncode == 0, done.stderr[-3000:]
    # The dependencies come from this environment (no network): a .pth naming the folders they are in,
    # written after installing, so that pip never sees (nor touches) what this environment holds.
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    folders = {str(Path(m.__file__).resolve().parent.parent) for m in (numpy, click, jinja2, markupsafe)}
    (site / "grade_test_dependencies.pth").write_text("\n".join(sorted(folders)) + "\n")
    return wheel, venv


def test_the_wheel_ships_stubs_references_suites_and_templates(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for exercise in ("nms", "gaussian"):
        assert f"grader/_bundled/exercises/{exercise}.py" in names
        assert f"grader/_bundled/solutions/{exercise}.py" in names
        assert f"grader/exercises/{exercise}/suite.py" in names
        assert f"grader/exercises/{exercise}/__init__.py" in names
    assert "grader/exercises/pack.json" in names
    assert "grader/report/templates/visual.html.j2" in names
    # Every exercise file of the clone ships, including ones added after this test was written.
    for folder in ("exercises", "solutions"):
        for path in (ROOT / folder).glob("*.py"):
            assert f"grader/_bundled/{folder}/{path.name}" in names


def test_init_then_grade_a_stub_and_a_right_answer_outside_the_clone(installed, tmp_path):
    _, venv = installed
    grade = str(venv / "bin" / "grade")
    env = _clean_env(GRADE_HOME=str(tmp_path / "home"))
    where = _run([str(venv / "bin" / "python"), "-c", "import grader; print(grader.__file__)"], env=env, cwd=tmp_path)
    assert str(venv) in where.stdout, where.stdout + where.stderr  # the installed copy, not the clone
    version = _run([grade, "--version"], env=env, cwd=tmp_path)
    assert version.returncode == 0 and "grade, version" in version.stdout

    nowhere = _run([grade, "nms"], env=env, cwd=tmp_path)
    assert nowhere.returncode == 2 and "grade init" in nowhere.stderr

    init = _run([grade, "init", "work"], env=env, cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    work = tmp_path / "work"
    assert "raise NotImplementedError" in (work / "exercises" / "nms.py").read_text()

    (work / "notes").mkdir()
    stub = _run([grade, "nms"], env=env, cwd=work / "notes")  # found from a folder below the workspace
    assert stub.returncode == 1 and "Not implemented yet" in stub.stdout, stub.stdout + stub.stderr

    reference = _run([grade, "solution", "nms", "--force"], env=env, cwd=work)
    assert reference.returncode == 0 and "def nms" in reference.stdout
    (work / "exercises" / "nms.py").write_text(reference.stdout)
    right = _run([grade, "nms"], env=env, cwd=work)
    assert right.returncode == 0, right.stdout + right.stderr
    listing = _run([grade, "list"], env=env, cwd=work)
    nms_row = next(line for line in listing.stdout.splitlines() if line.split()[:1] == ["nms"])
    assert "solved" in nms_row
