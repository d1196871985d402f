"""JUnit XML for CI-based classrooms: one <testsuite> per attempt, one <testcase> per case.

A failed case is a <failure>; a case that raised, timed out or did not run is an <error>; a missing
file is one failing test case. Hidden cases carry their message only, never their data, and no
duration (the attempt controls it). It is a class-mode channel: it shows results.STUDENT's view.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from grader.record.result import ExerciseResult
from grader.record.vocabulary import ERROR, FAILED, NOT_IMPLEMENTED, NOT_RUN, TIMEOUT
from grader.report.terminal import value_lines

# Characters XML 1.0 cannot hold at all; a student's message may contain any of them.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value) -> str:
    return _INVALID_XML.sub("?", str(value))


def _case_body(case) -> str:
    lines = [case.message] if case.message else []
    if case.hidden:
        # Only what the learner sees of a hidden case, even if a result in memory held more.
        return "\n".join([f"hidden case: {case.category}", *lines])
    return "\n".join(lines + value_lines(case))


def testsuite(name: str, result: ExerciseResult) -> ET.Element:
    suite = ET.Element("testsuite", name=_text(name))
    failures = errors = 0
    classname = _text(name.replace("/", "."))
    if not result.cases:
        # Nothing ran (a missing file): one test that fails with the reason.
        case = ET.SubElement(suite, "testcase", classname=classname, name="submission", time="0")
        ET.SubElement(case, "failure", message=_text(result.error or "no cases"), type="not_submitted")
        failures = 1
    for c in result.cases:
        # A hidden case's duration is the attempt's to choose (it can sleep for a number it was given).
        seconds = 0 if c.hidden else c.seconds or 0
        case = ET.SubElement(suite, "testcase", classname=classname, name=_text(c.name), time=f"{seconds:.4f}")
        if c.passed:
            continue
        body = _text(_case_body(c))
        message = _text(c.message or c.status)
        if c.status in (FAILED, NOT_IMPLEMENTED):
            failures += 1
            ET.SubElement(case, "failure", message=message, type=c.status).text = body
        elif c.status in (ERROR, TIMEOUT, NOT_RUN):
            errors += 1
            ET.SubElement(case, "error", message=message, type=c.status).text = body
        else:
            failures += 1
            ET.SubElement(case, "failure", message=message, type=c.status).text = body
    if result.error and result.cases:
        ET.SubElement(suite, "system-err").text = _text(result.error)
    suite.set("tests", str(max(1, len(result.cases))))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    suite.set("time", f"{sum(c.seconds or 0 for c in result.cases if not c.hidden):.3f}")
    return suite


def document(suites: list[tuple[str, ExerciseResult]]) -> ET.ElementTree:
    root = ET.Element("testsuites", name="grade")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for name, result in suites:
        element = testsuite(name, result)
        root.append(element)
        for key in totals:
            totals[key] += int(element.get(key))
    for key, value in totals.items():
        root.set(key, str(value))
    tree = ET.ElementTree(root)
    ET.indent(tree)
    return tree


def write(path: Path, suites: list[tuple[str, ExerciseResult]]) -> Path:
    """Write ``suites`` (name, result) as JUnit XML; names like ``alice/nms`` become class names."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document(suites).write(path, encoding="utf-8", xml_declaration=True)
    return path
