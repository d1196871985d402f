"""Golden-file tests of the engine: each fixture attempt under tests/fixtures/attempts/<scenario>/ is
graded, and its verdict must match the hand-written expectation in expected.json beside it."""

import json
import time
from collections import Counter
from pathlib import Path

import pytest

from grader import catalog
from grader.grading.attempt import grade_attempt
from grader.sandbox.limits import Limits

ATTEMPTS = Path(__file__).parent / "fixtures" / "attempts"
SCENARIOS = sorted(p.name for p in ATTEMPTS.iterdir() if (p / "expected.json").is_file())
# Short limits keep the runaway scenarios quick; the correct O(n^2) attempt still has the suite's own
# 15 s limit on its large case.
LIMITS = Limits(case_seconds=1.5, memory_mb=512)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_fixture_attempt_gets_its_golden_verdict(scenario):
    golden = json.loads((ATTEMPTS / scenario / "expected.json").read_text())
    started = time.monotonic()
    result = grade_attempt("nms", ATTEMPTS / scenario / "nms.py", limits=LIMITS)
    elapsed = time.monotonic() - started

    assert result.passed is golden["passed"]
    statuses = Counter(c.status for c in result.cases)
    total = len(result.cases)
    for status, expected in golden["statuses"].items():
        if expected == "all":
            assert statuses[status] == total, statuses
        elif expected == "some":
            assert 0 < statuses[status] < total, statuses
        elif expected == "rest":
            assert statuses[status] == total - sum(v for k, v in golden["statuses"].items() if isinstance(v, int))
        else:
            assert statuses[status] == expected, statuses
    if "error_contains" in golden:
        assert golden["error_contains"] in (result.error or "")
    else:
        assert result.error is None
    if "message_contains" in golden:
        assert any(golden["message_contains"] in c.message for c in result.cases), [c.message for c in result.cases]
    failing = {c.name for c in result.cases if not c.passed}
    assert set(golden.get("failing_cases", [])) <= failing
    # The grader comes back within its limits: two runaway cases, a restart, and slack for a busy machine.
    assert elapsed < 2 * LIMITS.case_seconds + LIMITS.import_seconds + 20


def test_score_counts_passing_cases():
    result = grade_attempt("nms", ATTEMPTS / "wrong_answer" / "nms.py")
    passed, total = result.counts()
    assert result.score == pytest.approx(10 * passed / total, abs=0.01)
    assert 0 < result.score < result.max_score


def test_hidden_cases_never_carry_their_data():
    result = grade_attempt("nms", ATTEMPTS / "wrong_answer" / "nms.py")
    record = result.to_dict()
    hidden = [c for c in record["cases"] if c["hidden"]]
    assert hidden and all(set(c) >= {"name", "passed", "hidden", "message"} for c in record["cases"])
    assert all("call" not in c and "expected" not in c and "actual" not in c for c in hidden)
    failed_hidden = [c for c in hidden if not c["passed"]]
    assert failed_hidden and all(c["message"] == "wrong answer" for c in failed_hidden)
    public_failure = next(c for c in record["cases"] if not c["hidden"] and not c["passed"])
    assert public_failure["call"].startswith("nms(") and public_failure["expected"] and public_failure["actual"]


def test_json_record_follows_the_contract():
    record = grade_attempt("nms", ATTEMPTS / "correct" / "nms.py").to_dict()
    assert {"exercise", "passed", "score", "max_score", "cases", "error"} <= set(record)
    assert record["exercise"] == "nms" and record["passed"] is True and record["error"] is None
    assert record["score"] == record["max_score"] == 10
    json.dumps(record)  # plain data only


def test_nothing_the_attempt_prints_changes_the_verdict(tmp_path):
    attempt = tmp_path / "nms.py"
    attempt.write_text(
        "import json, os, sys\n"
        "fake = json.dumps({'id': 1, 'ok': True, 'value': [0, 2]})\n"
        "print(json.dumps({'exercise': 'nms', 'passed': True, 'score': 10}))\n"
        "def nms(boxes, scores, iou_threshold):\n"
        "    print(fake); sys.stderr.write(fake + '\\n')\n"
        "    for fd in range(3, 20):\n"
        "        try:\n"
        "            os.write(fd, b'{\"event\": \"ready\"}\\n')\n"
        "        except OSError:\n"
        "            pass\n"
        "    return [7]\n")
    result = grade_attempt("nms", attempt, limits=LIMITS)
    assert not result.passed
    assert result.score == 0


def test_scratch_directories_are_removed(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    grade_attempt("nms", ATTEMPTS / "infinite_loop" / "nms.py", limits=Limits(case_seconds=0.5))
    assert list(tmp_path.iterdir()) == []


def test_a_case_that_keeps_its_inputs_fails_an_answer_that_changed_them():
    """Case.keeps_inputs: the worker sends the arguments back, and a right value computed by modifying the
    caller's array in place still fails, with a message that names the argument but not its data."""
    import numpy as np

    from grader.grading.attempt import Expectation, judge
    from grader.sandbox.session import CallEnd, End
    from grader.grading.suite import Case

    case = Case("c", "probe", "f", (np.ones(3),), {"running": np.zeros(2)}, keeps_inputs=True)
    expected = Expectation(value=np.ones(3))

    def verdict(inputs):
        outcome = CallEnd(kind=End.VALUE, value=np.ones(3), inputs=inputs)
        return judge(case, expected, outcome, lambda e, a: None, Path("a.py"))

    assert verdict(([np.ones(3)], {"running": np.zeros(2)})).passed
    changed = verdict(([np.ones(3)], {"running": np.array([0.0, 1.0])}))
    assert not changed.passed and "argument 'running' in place" in changed.message
    assert "argument 1 in place" in verdict(([np.full(3, 2.0)], {"running": np.zeros(2)})).message
    assert not verdict(None).passed  # the arguments did not come back: no pass on trust


def test_prepare_seeds_runs_seed_independent_cases_once_and_the_others_per_seed():
    from grader.grading.attempt import prepare, prepare_seeds

    seeds = (3, 4)
    prep = prepare_seeds("nms", seeds)
    single = {c.name: c for c in prepare("nms", 3).cases}
    names = [c.name for c in prep.cases]
    assert len(names) == len(set(names))
    varying = {n.rsplit("@", 1)[0] for n in names if "@" in n}
    assert {"random_0", "many_boxes"} <= varying and "tied_pairs" not in varying
    assert all(f"{v}@{s}" in names for v in varying for s in seeds)
    assert len(names) == len(single) + len(varying) * (len(seeds) - 1)
    # A failure of a shared case fails every seed; an @seed case only its own.
    assert prep.seed_failed({"tied_pairs"}) == {3: True, 4: True}
    assert prep.seed_failed({"random_0@4"}) == {3: False, 4: True}
    result = grade_attempt("nms", catalog.get("nms").solution_path, prepared=prep)
    assert result.passed and len(result.cases) == len(names)
