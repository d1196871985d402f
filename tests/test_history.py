"""The practice history: a versioned JSON file that survives corruption and reads back what was written."""

import json

import pytest

from grader.practice import history
from grader.record.vocabulary import SessionEnd
from grader.userdata import data_dir


def session(exercise="nms", seconds=100.0, outcome=SessionEnd.SOLVED, **extra):
    return history.Session(exercise=exercise, started="2024-05-01T10:00:00+02:00", minutes=20,
                           seconds=seconds, outcome=outcome, **extra)


def test_sessions_round_trip_in_a_versioned_file_in_the_data_dir():
    assert history.load() == []
    first = session(score=10, max_score=10, cases_passed=25, cases_total=25, hints_used=1, regrades=3)
    second = session("iou", 50, SessionEnd.TIMEOUT, cases_total=None)
    history.append(first)
    history.append(second)
    assert history.path() == data_dir() / "history.json"
    stored = json.loads(history.path().read_text())
    assert stored["version"] == history.VERSION == 1
    assert [s["exercise"] for s in stored["sessions"]] == ["nms", "iou"]
    assert stored["sessions"][0]["solved"] is True
    assert history.load() == [first, second]
    # Written atomically: no temporary file is left behind.
    assert not list(history.path().parent.glob("*.tmp"))


def test_concurrent_appends_keep_every_session():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda i: history.append(session(seconds=i)), range(20)))
    assert sorted(s.seconds for s in history.load()) == list(range(20))


def test_unknown_fields_from_a_newer_minor_version_are_ignored():
    history.path().parent.mkdir(parents=True)
    record = {**session().to_dict(), "keystrokes": 1234}
    history.path().write_text(json.dumps({"version": 1, "sessions": [record]}))
    assert history.load() == [session()]


@pytest.mark.parametrize("content, why", [
    ("{truncated", "could not be read"),
    ("[1, 2]", "could not be read"),
    ('{"version": 2, "sessions": []}', "unknown format"),
    ('{"version": 1, "sessions": {}}', "unknown format"),
    ('{"version": 1, "sessions": [{"exercise": "nms"}]}', "not a session"),
    ('{"version": 1, "sessions": [{"exercise": "nms", "started": "", "minutes": 1, "seconds": 1, '
     '"outcome": "won"}]}', "not a session"),
    ('{"version": 1, "sessions": ["nms"]}', "not a session"),
])
def test_a_corrupt_file_is_reported_set_aside_and_replaced(content, why):
    history.path().parent.mkdir(parents=True)
    history.path().write_text(content)
    problems = []
    assert history.load(on_problem=problems.append) == []
    assert len(problems) == 1 and why in problems[0] and "history.json.corrupt" in problems[0]
    assert history.path().with_name("history.json.corrupt").read_text() == content
    history.append(session(), on_problem=problems.append)
    assert history.load() == [session()] and len(problems) == 1


def test_best_times_and_status():
    sessions = [session("nms", 300), session("nms", 200), session("nms", 100, SessionEnd.TIMEOUT),
                session("iou", 80, SessionEnd.GAVE_UP)]
    assert history.best_times(sessions) == {"nms": 200}
    assert history.status("nms", sessions) == SessionEnd.SOLVED
    assert history.status("iou", sessions) == history.ATTEMPTED
    assert history.status("conv2d", sessions) == history.NEW
    assert history.has_ended_session("iou", sessions) and not history.has_ended_session("conv2d", sessions)


@pytest.mark.parametrize("seconds, text", [(0, "0:00"), (59.9, "0:59"), (312.4, "5:12"), (3725, "1:02:05"),
                                           (-3, "0:00")])
def test_format_seconds(seconds, text):
    assert history.format_seconds(seconds) == text
