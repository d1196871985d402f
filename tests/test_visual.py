"""Visual feedback: a picture for every failing public case, none for hidden ones, the page in a real browser."""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import click
import numpy as np
import pytest
from click.testing import CliRunner

from grader import catalog, cli
from grader.grading.attempt import grade_attempt
from grader.record.result import LEARNER, CaseValues
from grader.sandbox.limits import Limits
from grader.report import visual

HERE = Path(__file__).parent
WRONG = HERE / "fixtures" / "wrong"

# Wrong answers written here for the exercises whose catalogue mistakes all pass the public cases.
INLINE = {
    "iou": ("def iou(a, b):\n    return 0.5\n\n"
            "def pairwise_iou(a, b):\n    import numpy as np\n"
            "    return np.full((len(a), len(b)), 0.5)\n"),
    "max_subarray": "def max_subarray(nums):\n    return max(nums) + 1\n",
    "mean_ap": ("def average_precision(recall, precision, method='voc'):\n    return sum(precision) / len(precision)\n\n"
                "def mean_average_precision(d, g, iou_threshold=0.5, method='voc'):\n    return 1.5\n"),
}
# One catalogue mistake per exercise that fails a public case of each kind of picture.
FIXTURES = {"nms": "ge_threshold", "soft_nms": "input_scores", "gaussian": "not_normalised",
            "bilinear": "no_half_pixel", "conv2d": "flip_kernel", "rearrange_string": "off_by_one_gap",
            "roc_auc": "one_point_per_sample", "knn": "k_plus_one", "kmeans": "single_update",
            "roi_align": "align_samples_at_bin_corners", "morphology": "pads_with_zero",
            "equalize_hist": "divides_by_n"}


def wrong_attempt(name: str, folder: Path) -> Path:
    if name in INLINE:
        path = folder / f"{name}.py"
        path.write_text(INLINE[name])
        return path
    return WRONG / name / f"{FIXTURES[name]}.py"


@pytest.fixture(scope="module")
def results():
    with tempfile.TemporaryDirectory() as folder:
        return {name: grade_attempt(name, wrong_attempt(name, Path(folder)))
                for name in sorted({*INLINE, *FIXTURES})}


def failing_public(result):
    return [c for c in result.cases if not c.passed and not c.hidden]


@pytest.mark.parametrize("name", sorted({*INLINE, *FIXTURES}))
def test_every_failing_public_case_gets_a_picture_and_no_hidden_case_does(results, name):
    result = results[name]
    failing = failing_public(result)
    assert failing, f"the wrong {name} should fail a public case"
    view = visual.exercise_view(result, title=name, attempt_label=f"{name}.py", audience=LEARNER)
    for item in view.cases:
        if item.case in failing:
            assert item.picture is not None and item.picture.startswith("<svg"), item.case.name
        elif item.case.hidden:
            assert item.case.values is None and item.picture is None


def test_pictures_mark_the_mistake(results):
    """Each picture says what differs, in the words and numbers of its kind."""
    def picture(name, case):
        found = next(c for c in results[name].cases if c.name == case)
        return str(visual.draw(name, found.call.split("(")[0], found.values))

    nms = picture("nms", "docstring_at_threshold")
    assert "missing" in nms and "IoU(#1, #0) = 0.5 = threshold 0.5" in nms
    soft = picture("soft_nms", "docstring_linear")
    assert "reference: #0 0.9, #2 0.5, #1 0.4" in soft  # the scores at selection
    assert "decayed by its IoU with #0 = 0.5" in soft
    kernel = picture("gaussian", "docstring_kernel")
    assert "largest error at [1, 1]" in kernel and kernel.count("<rect") > 27  # 3 heatmaps of 3x3, bars
    assert "largest error at [2, 1]" in picture("bilinear", "docstring_half_pixel")
    assert "[0, 0, :, :]" in picture("conv2d", "docstring_no_flip")
    assert "distance 2 &lt; 3" in picture("rearrange_string", "docstring_impossible")
    assert "best span: sum 6" in picture("max_subarray", "docstring_example")
    assert "interpolated envelope" in picture("mean_ap", "docstring_ap_voc")
    assert "IoU(a0, b0): reference 0.333333, yours 0.5" in picture("iou", "docstring_iou")


def test_a_timed_out_example_still_shows_the_reference_and_says_why():
    result = grade_attempt("nms", HERE / "fixtures" / "attempts" / "infinite_loop" / "nms.py",
                           limits=Limits(case_seconds=0.2))
    case = next(c for c in result.cases if not c.hidden and c.status == "timeout")
    markup = str(visual.draw("nms", "nms", case.values))
    assert "yours ran out of time" in markup and "kept by the reference" in markup


def test_a_new_exercise_returning_a_float_array_gets_heatmaps_for_free():
    values = CaseValues(args=(), kwargs={}, expected=np.eye(3), actual=np.eye(3) * 2)
    markup = str(visual.draw("an_exercise_with_no_picture", "f", values))
    assert "yours − expected" in markup and "largest error at [0, 0]" in markup
    assert visual.draw("another", "f", CaseValues((), {}, expected="text", actual="other")) is None


def test_a_broken_picture_never_costs_the_page(results, monkeypatch):
    def broken(func, values):
        raise RuntimeError("a bug in a drawer")
    monkeypatch.setitem(visual.PICTURES, "nms", broken)
    view = visual.exercise_view(results["nms"], title="nms", attempt_label="nms.py", audience=LEARNER)
    assert all(item.picture is None for item in view.cases)


def test_values_stay_out_of_the_record(results):
    record = results["nms"].to_dict()
    assert all("values" not in case for case in record["cases"])


def test_html_option_writes_the_page_and_plain_grading_does_not_import_the_drawing(tmp_path, monkeypatch):
    page = tmp_path / "nms.html"
    done = CliRunner().invoke(cli.cli, ["nms", str(WRONG / "nms" / "ge_threshold.py"), "--html", str(page)])
    assert done.exit_code == 1 and page.is_file()
    assert page.read_text().count("<svg") == 1
    assert CliRunner().invoke(cli.cli, ["nms", "--open"]).exit_code == 2  # --open needs --html
    opened = []
    monkeypatch.setattr(click, "launch", lambda url, **kwargs: opened.append(url))
    CliRunner().invoke(cli.cli, ["nms", str(WRONG / "nms" / "ge_threshold.py"), "--html", str(page), "--open"])
    assert opened == [str(page.resolve())]
    probe = ("import sys\nfrom grader import cli\nsys.argv = ['grade', 'nms', sys.argv[1]]\n"
             "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
             "print('DRAWING', 'grader.report.visual' in sys.modules, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", probe, str(catalog.get("nms").solution_path)],
                          capture_output=True, text=True, timeout=120)
    assert "DRAWING False" in done.stderr


def test_the_page_in_headless_chromium(results, tmp_path):
    """The batch feedback page of every exercise at once: it loads without a console error, and the
    DOM chromium built holds one picture per failing public case."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed")
    page = visual.write_feedback_page(tmp_path, "ada_lovelace", "ada lovelace", [(r, f"{n}.py") for n, r in sorted(results.items())])
    assert page.name == "ada_lovelace.html"
    text = page.read_text()
    assert not re.search(r"""(src|href)=["']?https?:""", text), "the page must not load anything"
    done = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
                           "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert not console, console
    dom = done.stdout
    sections = re.findall(r'<section class="failure" data-case="([^"]+)">(.*?)</section>', dom, re.S)
    expected = sum(len(failing_public(r)) for r in results.values())
    assert len(sections) == expected
    assert all("<svg" in body for _, body in sections)
