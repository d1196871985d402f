"""Regenerate the README's pictures: python docs/img/make_pictures.py (needs chromium on the PATH).

Grades three catalogue mistakes and screenshots the picture of their first failing public case.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from grader.grading.attempt import grade_attempt  # noqa: E402
from grader.report import visual  # noqa: E402

SHOTS = {"nms_boxes.png": ("nms", "ge_threshold"), "bilinear_heatmap.png": ("bilinear", "no_half_pixel"),
         "mean_ap_curve.png": ("mean_ap", "duplicates_as_tp")}


def main() -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with tempfile.TemporaryDirectory() as scratch:
        for png, (exercise, mistake) in SHOTS.items():
            result = grade_attempt(exercise, ROOT / "tests" / "fixtures" / "wrong" / exercise / f"{mistake}.py")
            case = next(c for c in result.cases if not c.passed and not c.hidden)
            svg = str(visual.draw(exercise, case.call.split("(")[0], case.values))
            width = int(float(svg.split('width="')[1].split('"')[0])) + 16
            height = int(float(svg.split('height="')[1].split('"')[0])) + 16
            page = Path(scratch) / f"{exercise}.html"
            page.write_text(f'<html><body style="margin:8px;background:#fff">{svg}</body></html>')
            subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            f"--user-data-dir={scratch}/profile", "--hide-scrollbars",
                            f"--screenshot={ROOT / 'docs' / 'img' / png}", f"--window-size={width},{height}",
                            page.as_uri()], check=True, capture_output=True, timeout=120)
            print("wrote", png)


if __name__ == "__main__":
    main()
