"""The authoring check's structural half: does every exercise have all of its parts, and does every part
belong to an exercise? Each problem is one sentence naming the part and the file to add or remove.

An exercise is its folder ``grader/exercises/<name>/`` (entry, suite, optional picture) listed in the
manifest, its stub ``exercises/<name>.py``, its reference ``solutions/<name>.py``, its tests
``tests/test_<name>.py`` and its mistake catalogue: at least ``MIN_WRONG`` realistic mistakes in
``tests/fixtures/wrong/<name>/`` and at least one right answer in another style in
``tests/fixtures/right/<name>/``. The tests and fixtures live in a clone, not in an installed wheel:
``repo`` says where the clone is. The other half (the stub fails every case, the reference passes at
every seed, every fixture fails or passes as it says) grades code: ``tests/test_catalog.py`` and
``tests/test_mistakes.py`` run it.
"""

from __future__ import annotations

from pathlib import Path

from grader import catalog

#: Realistic mistakes each exercise's catalogue holds at least.
MIN_WRONG = 10


def exercise_problems(exercise: catalog.Exercise, repo: Path) -> list[str]:
    """What ``exercise`` lacks, each naming the file that would fix it."""
    name = exercise.name
    found = [f"{name}: add {part}" for part in exercise.missing_parts()]
    if not (catalog._PACKAGE / "exercises" / name / "__init__.py").is_file():
        found.append(f"{name}: add its catalog entry grader/exercises/{name}/__init__.py (EXERCISE = Exercise(...))")
    tests = repo / "tests" / f"test_{name}.py"
    if not tests.is_file():
        found.append(f"{name}: add its tests {tests.relative_to(repo)}: the reference against an independent oracle")
    wrong = sorted((repo / "tests" / "fixtures" / "wrong" / name).glob("*.py"))
    if len(wrong) < MIN_WRONG:
        found.append(f"{name}: add realistic mistakes to tests/fixtures/wrong/{name}/ ({len(wrong)} there, "
                     f"at least {MIN_WRONG}; each starts with '# mistake:' and '# caught-by:' lines)")
    right = sorted((repo / "tests" / "fixtures" / "right" / name).glob("*.py"))
    if not right:
        found.append(f"{name}: add a right answer in another style to tests/fixtures/right/{name}/ "
                     "(it starts with a '# style:' line)")
    return found


def orphans(repo: Path, exercises: list[catalog.Exercise] | None = None) -> list[str]:
    """Parts that belong to no exercise of the manifest: a folder, stub, reference, test or fixture
    folder no command would ever use."""
    known = {e.name for e in (exercises if exercises is not None else catalog.EXERCISES)}
    package = catalog._PACKAGE / "exercises"
    places = {
        "grader/exercises/": [p.name for p in package.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))],
        "exercises/": [p.stem for p in (catalog.ROOT / "exercises").glob("*.py")],
        "solutions/": [p.stem for p in (catalog.ROOT / "solutions").glob("*.py")],
        "tests/fixtures/wrong/": [p.name for p in (repo / "tests" / "fixtures" / "wrong").glob("*") if p.is_dir()],
        "tests/fixtures/right/": [p.name for p in (repo / "tests" / "fixtures" / "right").glob("*") if p.is_dir()],
    }
    found = []
    for place, names in places.items():
        for name in sorted(set(names) - known - {"__pycache__"}):
            found.append(f"{place}{name} belongs to no exercise: list {name} in grader/exercises/{catalog.MANIFEST} "
                         "with its catalog entry, or remove it")
    return found


def problems(repo: Path) -> list[str]:
    """Every structural problem of the exercises of this clone."""
    found = [p for e in catalog.EXERCISES for p in exercise_problems(e, repo)]
    return found + orphans(repo)
