"""Progressive hints: each `grade hint NAME` reveals one more, from a nudge to the key idea."""

from __future__ import annotations

from grader.catalog import Exercise
from grader.userdata import data_dir, read_json, write_json_atomic


def _path():
    return data_dir() / "hints.json"


def seen(exercise: Exercise) -> int:
    value = read_json(_path(), {}).get(exercise.name, 0)
    return value if isinstance(value, int) else 0


def reveal(exercise: Exercise) -> list[str]:
    """Record one more hint as seen and return all the hints seen so far (the newest last)."""
    state = read_json(_path(), {})
    count = min(seen(exercise) + 1, len(exercise.hints))
    state[exercise.name] = count
    write_json_atomic(_path(), state)
    return list(exercise.hints[:count])


def reset(exercise: Exercise) -> None:
    state = read_json(_path(), {})
    state.pop(exercise.name, None)
    write_json_atomic(_path(), state)
