"""The class report in a real browser (headless Chromium), at 1400 px and at 400 px wide.

A wide class (every exercise, long names, long messages) is rendered, a measuring script is appended
to a copy of the page, and ``chromium --dump-dom`` runs it in an iframe of each width (a headless
window is never narrower than 500 px, an iframe is as narrow as it is told): it writes the geometry
it found into the DOM, the outer page copies it out, and this test reads it back. Nothing may stick out of the viewport unless it sits
in its own horizontal scroll container, the histogram shows every bin, and the gradebook's student,
total and percent columns stay inside their scroll box wherever it is scrolled.

Skips, saying why, where no Chromium is installed; never on CI (CI=true), where .ci/run installs it.
Screenshots are written to $GRADE_ARTIFACTS when it is set (CI keeps them).
"""

from __future__ import annotations

import html as htmllib
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest

from grader import catalog
from grader.classroom import run as batch, store
from grader.record.class_record import ClassRecord
from grader.classroom.discovery import Decision
from grader.record.result import CaseResult, ExerciseResult
from grader.record.vocabulary import FAILED, PASSED, TIMEOUT
from grader.grading.classify import classify
from grader.report import html

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
WIDTHS = (1400, 400)

MEASURE = """
<script>
(function () {
  const vw = document.documentElement.clientWidth;
  const out = {viewport: vw, pageWidth: document.documentElement.scrollWidth, overflow: [], keys: [],
               overlaps: [], bins: 0, binsVisible: 0};
  function scroller(el) {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll') return p;
    }
    return null;
  }
  const inside = (r, left, right) => r.left >= left - 0.5 && r.right <= right + 0.5;
  for (const el of document.querySelectorAll('table, svg, img, pre, .hist, .hist > span, .cards, .card, h1, h2, p')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;  // inside a closed <details>
    const box = scroller(el);
    const edge = box ? box.getBoundingClientRect() : r;
    if (!inside(edge, 0, vw)) out.overflow.push({tag: el.tagName, cls: String(el.className), left: edge.left, right: edge.right});
  }
  for (const track of document.querySelectorAll('.hist .track')) {
    out.bins += 1;
    const r = track.getBoundingClientRect();
    if (r.width > 20 && inside(r, 0, vw)) out.binsVisible += 1;
  }
  const book = document.querySelector('table.gradebook');
  const box = scroller(book) || document.scrollingElement;
  if (box === document.scrollingElement) out.keys.push({text: 'the gradebook has no scroll container'});
  out.gradebookScrolls = box.scrollWidth > box.clientWidth;
  for (const frac of [0, 0.5, 1]) {
    box.scrollLeft = (box.scrollWidth - box.clientWidth) * frac;
    const b = box === document.scrollingElement ? {left: 0, right: vw} : box.getBoundingClientRect();
    for (const row of book.rows) {
      const n = row.cells.length;
      const who = row.cells[0], total = row.cells[n - 2], pct = row.cells[n - 1];
      for (const cell of [who, total, pct]) {
        const r = cell.getBoundingClientRect();
        if (!inside(r, b.left, b.right)) out.keys.push({frac, text: cell.textContent.trim(), left: r.left, right: r.right});
      }
      if (who.getBoundingClientRect().right > total.getBoundingClientRect().left + 0.5
          || total.getBoundingClientRect().right > pct.getBoundingClientRect().left + 0.5)
        out.overlaps.push({frac, text: who.textContent.trim(), who: who.getBoundingClientRect().right, total: [total.getBoundingClientRect().left, total.getBoundingClientRect().right], pct: pct.getBoundingClientRect().left});
    }
  }
  box.scrollLeft = 0;
  const pre = document.createElement('pre');
  pre.id = 'layout-measurements';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def browser() -> str | None:
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


@pytest.fixture(scope="module")
def chromium():
    found = browser()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("no chromium on CI: .ci/run installs it (apt-get install chromium)")
        pytest.skip("no chromium, chromium-browser or google-chrome on PATH: the report's layout is not checked")
    return found


def run_browser(binary: str, page: Path, width: int, *extra: str) -> str:
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", f"--user-data-dir={profile}", f"--window-size={width},900", *extra,
             page.as_uri()], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


FRAME = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="page" src="measure.html" style="width:{width}px;height:900px;border:0;display:block"
        onload="var m = this.contentDocument.getElementById('layout-measurements');
                var pre = document.createElement('pre'); pre.id = 'copied';
                pre.textContent = m ? m.textContent : 'missing'; document.body.appendChild(pre);"></iframe>
</body></html>"""


def wide_class() -> tuple[list[dict], list[str], list[str]]:
    """Every exercise, 44 students, long names and messages: the widest report a class makes."""
    rng = np.random.default_rng(12)
    exercises = [e.name for e in catalog.available()]
    students = ["José Núñez", "李华", "王芳", "Anne Lee", "Anne_Lee",
                "Maximilian Alexander von Hohenzollern-Sigmaringen the Third"]
    students += [f"Student {i:02d}" for i in range(44 - len(students))]
    records = []
    for s_index, student in enumerate(students):
        for exercise in exercises:
            passed = int(rng.integers(0, 19))
            cases = [CaseResult(f"case_{i}", "a case", i > 3, i < passed, PASSED if i < passed else FAILED,
                                "" if i < passed else "wrong answer") for i in range(18)]
            if s_index % 7 == 3:
                cases[-1] = CaseResult("many_boxes_with_a_long_case_name", "large", True, False, TIMEOUT,
                                       "timed out after 15 s " + "x" * 200)
            result = ExerciseResult(exercise, f"{exercise}.py", cases, 10)
            records.append(ClassRecord(student, result, *classify(result), attempt=f"{student}/{exercise}.py",
                                       submission=student))
    return records, students, exercises


@pytest.fixture(scope="module")
def measured(chromium, tmp_path_factory):
    folder = tmp_path_factory.mktemp("layout")
    records, students, exercises = wide_class()
    decisions = [Decision("Anne Lee", "chosen", "nms: 2 files: graded final/v2/nms.py "
                               "(highest version in its folders), not final/v1/nms.py" + " and more" * 20)]
    page = html.render(records, students=students, exercises=exercises, decisions=decisions)
    (folder / "report.html").write_text(page, encoding="utf-8")
    (folder / "measure.html").write_text(page.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    artifacts = os.environ.get("GRADE_ARTIFACTS")
    results = {}
    for width in WIDTHS:
        frame = folder / f"frame-{width}.html"
        frame.write_text(FRAME.format(width=width), encoding="utf-8")
        dom = run_browser(chromium, frame, 1400, "--dump-dom", "--allow-file-access-from-files",
                          "--virtual-time-budget=10000")
        found = re.search(r'<pre id="copied">(.*?)</pre>', dom, re.S)
        assert found, "the measuring script did not run"
        results[width] = json.loads(htmllib.unescape(found.group(1)))
        if artifacts:
            Path(artifacts).mkdir(parents=True, exist_ok=True)
            run_browser(chromium, folder / "report.html", width,
                        f"--screenshot={Path(artifacts) / f'report-{width}.png'}")
    return results


@pytest.mark.parametrize("width", WIDTHS)
def test_the_page_is_as_wide_as_the_window(measured, width):
    found = measured[width]
    # The window's scroll bar (if any) takes a few pixels: the layout viewport is what counts.
    assert width - 20 <= found["viewport"] <= width
    assert found["pageWidth"] <= found["viewport"], "the page scrolls sideways"


@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_sticks_out_of_the_viewport_without_its_own_scroll(measured, width):
    assert measured[width]["overflow"] == []


@pytest.mark.parametrize("width", WIDTHS)
def test_every_histogram_bin_is_visible(measured, width):
    assert measured[width]["bins"] == 10 and measured[width]["binsVisible"] == 10


@pytest.mark.parametrize("width", WIDTHS)
def test_gradebook_name_total_and_percent_stay_in_view(measured, width):
    found = measured[width]
    assert found["keys"] == [] and found["overlaps"] == []


def test_at_400_px_the_gradebook_scrolls_in_its_own_box(measured):
    # Nine exercises cannot fit in 400 px: the check above is only worth something if it scrolled.
    assert measured[400]["gradebookScrolls"]
