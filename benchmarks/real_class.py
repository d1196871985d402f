"""A class built like real ones, to grade with `grade batch` as an instructor would (issue 12).

Folders and zips (with and without a top folder), names in any script (José Núñez, 李华, 王芳), two
submissions that fold to the same ASCII name (the folder "Anne Lee" and Anne_Lee.zip), a name that is
a spreadsheet formula, a student with two candidate files, empty submissions, junk files (__MACOSX,
.DS_Store, __pycache__), code copied with renamed variables, an infinite loop, a 6 GB read,
a forbidden module, wrong-case file names, final/v1 and final/v2 folders, a notebook-only
student, code too slow for the large case, and a loose roster.csv in the submissions folder (which
lists most students, misses some and has entries with no submission).

    python benchmarks/real_class.py OUT_FOLDER            # the full class of 44
    python benchmarks/real_class.py OUT_FOLDER --small    # the dozen the end-to-end test grades

then, for instance:

    grade batch OUT_FOLDER --out graded --roster OUT_FOLDER/roster.csv --roster-column name --lms moodle
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"

CORRECT_NMS = (FIXTURES / "attempts/correct/nms.py").read_text()
CORRECT_IOU = (ROOT / "solutions/iou.py").read_text()
CORRECT_GAUSSIAN = (ROOT / "solutions/gaussian.py").read_text()
WRONG_NMS = {p.stem: p.read_text() for p in sorted((FIXTURES / "wrong/nms").glob("*.py"))}
# "+1 pixel" areas: a classic IoU mistake.
WRONG_IOU = '''import numpy as np


def iou(box_a, box_b):
    ax1, ay1, ax2, ay2 = [float(v) for v in box_a]
    bx1, by1, bx2, by2 = [float(v) for v in box_b]
    w = max(0.0, min(ax2, bx2) - max(ax1, bx1) + 1)
    h = max(0.0, min(ay2, by2) - max(ay1, by1) + 1)
    inter = w * h
    union = (ax2 - ax1 + 1) * (ay2 - ay1 + 1) + (bx2 - bx1 + 1) * (by2 - by1 + 1) - inter
    return inter / union if union > 0 else 0.0
'''
INFINITE = (FIXTURES / "attempts/infinite_loop/nms.py").read_text()
FORBIDDEN = (FIXTURES / "attempts/forbidden_module/nms.py").read_text()
SIX_GB_READ = '''def nms(boxes, scores, iou_threshold):
    with open("/dev/zero", "rb") as f:
        data = f.read(6 * 1024 ** 3)
    return [len(data)]
'''
# Right on every small case; on the 1,000-box case it sleeps past any time limit.
SLOW_NMS = CORRECT_NMS.replace("def nms(boxes, scores, iou_threshold):",
                               "def nms(boxes, scores, iou_threshold):\n    if len(boxes) >= 1000:\n"
                               "        import time\n        time.sleep(60)", 1)
assert SLOW_NMS != CORRECT_NMS, "the correct nms fixture changed its signature line"


def renamed(source: str) -> str:
    """The same code with other variable names and comments: what a copier hands in."""
    for old, new in (("keep", "selected"), ("order", "ranking"), ("boxes", "bxs"), ("scores", "conf")):
        source = re.sub(rf"\b{old}\b", new, source)
    return "# my own solution\n" + source


def notebook(cells: list[str]) -> str:
    return json.dumps({
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "cells": [{"cell_type": "code", "id": f"c{i}", "metadata": {}, "execution_count": None,
                   "outputs": [], "source": text} for i, text in enumerate(cells)]
        + [{"cell_type": "markdown", "id": "m", "metadata": {}, "source": "## My answers"}],
    }, indent=1)


NOTEBOOK = notebook([
    "%matplotlib inline\n!pip install numpy\nimport numpy as np\nimport matplotlib.pyplot as plt",
    CORRECT_IOU,
    CORRECT_NMS,
    "boxes = np.array([[0, 0, 10, 10], [1, 1, 11, 11]], dtype=float)\nprint(nms(boxes, np.array([0.9, 0.8]), 0.5))\n"
    "plt.imshow(np.zeros((4, 4)))",
    "%%bash\necho done",
])

# Each kind: a function (name) -> {relative path: text}, or a ("zip", {...}) tuple.
KINDS = {
    "correct": lambda n: {"nms.py": CORRECT_NMS, "iou.py": CORRECT_IOU},
    "wrong": lambda n: {"nms.py": list(WRONG_NMS.values())[len(n) % len(WRONG_NMS)], "iou.py": WRONG_IOU},
    "zip_top": lambda n: ("zip", {f"{n}/nms.py": CORRECT_NMS, f"{n}/iou.py": WRONG_IOU,
                                  f"__MACOSX/{n}/._nms.py": "\x00\x05junk"}),
    "zip_flat": lambda n: ("zip", {"nms.py": list(WRONG_NMS.values())[0], "iou.py": CORRECT_IOU}),
    "two_files": lambda n: {"nms.py": list(WRONG_NMS.values())[1], "nms_final.py": CORRECT_NMS,
                            "iou.py": CORRECT_IOU},
    "empty": lambda n: {},
    "empty_zip": lambda n: ("zip", {"README.txt": "sorry, ran out of time\n"}),
    "junk": lambda n: {"nms.py": CORRECT_NMS, "iou.py": CORRECT_IOU, ".DS_Store": "\x00\x00\x00\x01Bud1",
                       "__pycache__/nms.cpython-311.pyc": "\x00junk", "notes.txt": "todo\n",
                       "README.md": "# my homework\n"},
    "copied": lambda n: {"nms.py": renamed(CORRECT_NMS), "iou.py": CORRECT_IOU},
    "infinite_loop": lambda n: {"nms.py": INFINITE, "iou.py": CORRECT_IOU},
    "six_gb_read": lambda n: {"nms.py": SIX_GB_READ},
    "forbidden": lambda n: {"nms.py": FORBIDDEN, "iou.py": CORRECT_IOU},
    "wrong_case": lambda n: {"NMS.py": CORRECT_NMS, "Iou.py": CORRECT_IOU, "gaussian.PY": CORRECT_GAUSSIAN},
    "versions": lambda n: {"final/v1/nms.py": list(WRONG_NMS.values())[2], "final/v2/nms.py": CORRECT_NMS,
                           "final/v2/iou.py": CORRECT_IOU},
    "notebook_only": lambda n: {"homework.ipynb": NOTEBOOK},
    "slow": lambda n: {"nms.py": SLOW_NMS, "iou.py": CORRECT_IOU},
}

#: (name, kind, zip?) of the students the end-to-end test grades: one of every kind that matters.
SMALL = [
    ("José Núñez", "correct", False),
    ("李华", "wrong", False),
    ("王芳", "zip_top", True),
    ("Anne Lee", "two_files", False),
    ("Anne_Lee", "zip_flat", True),
    ('=HYPERLINK("evil.example","click me")', "correct", False),
    ("Bilal Haddad", "empty", False),
    ("Chen Wei", "copied", False),
    ("Dana Kowalski", "infinite_loop", False),
    ("Emeka Obi", "wrong_case", False),
    ("Farah Iqbal", "versions", False),
    ("Grace Müller", "notebook_only", False),
    ("Hiro Tanaka", "slow", False),
]
OTHERS = [
    "Ines Duarte", "Jonas Berg", "Kavya Rao", "Liam O'Brien", "Maya Cohen", "Noah Schmidt", "Olga Petrova",
    "Pablo Ruiz", "Quinn Taylor", "Rosa Silva", "Sven Larsen", "Tomás García", "Uma Patel", "Victor Hugo",
    "Wen Li", "Xavier Dupont", "Yara Haddad", "Zoe Martin", "Åsa Lind", "Björn Ek", "Chloé Bernard",
    "Dmitri Ivanov", "Élodie Roux", "Fatima Zahra", "Gökhan Yılmaz", "Hana Novák", "Ivan Horvat",
    "Jae-won Kim", "Kofi Mensah", "Lucía Fernández", "Mehmet Öz",
]
FULL_KINDS = ["correct", "correct", "wrong", "zip_top", "zip_flat", "slow", "correct", "wrong", "junk",
              "empty_zip", "six_gb_read", "forbidden", "slow", "correct", "wrong"]
#: Roster entries for students who handed in nothing.
ABSENT = ["Paula Absent", "Quentin Nosubmit"]
#: Students who handed in but are not on the roster (a late enrolment, a typo in a folder name).
NOT_ON_ROSTER = {"Chen Wei"}


def students(small: bool) -> list[tuple[str, str, bool]]:
    chosen = list(SMALL)
    if not small:
        for i, name in enumerate(OTHERS):
            kind = FULL_KINDS[i % len(FULL_KINDS)]
            chosen.append((name, kind, kind.startswith("zip") or kind == "empty_zip"))
    return chosen


def _email(name: str) -> str:
    return re.sub(r"[^a-z]+", ".", name.lower()).strip(".") + "@uni.example"


def make_class(folder: Path, *, small: bool = False) -> list[tuple[str, str, bool]]:
    """Writes the class into ``folder`` (which must not exist yet); returns (name, kind, zip?)."""
    folder = Path(folder)
    folder.mkdir(parents=True)
    chosen = students(small)
    for name, kind, as_zip in chosen:
        made = KINDS[kind](name)
        if isinstance(made, tuple):
            _, files = made
            with zipfile.ZipFile(folder / f"{name}.zip", "w") as zf:
                for relative, text in files.items():
                    zf.writestr(relative, text)
            continue
        base = folder / name
        base.mkdir()
        for relative, text in made.items():
            path = base / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        if kind == "versions":
            # v1 is the newer file: the rule must still pick v2, the higher version.
            os.utime(base / "final/v2/nms.py", (1_700_000_000, 1_700_000_000))
            os.utime(base / "final/v1/nms.py", (1_700_100_000, 1_700_100_000))
    # The loose roster an instructor drops next to the submissions.
    listed = sorted({n for n, _, _ in chosen} - NOT_ON_ROSTER - {"Anne_Lee"}) + ABSENT
    lines = ["name,email,id"] + [f'"{n.replace(chr(34), chr(34) * 2)}",{_email(n)},{1000 + i}'
                                 for i, n in enumerate(listed)]
    (folder / "roster.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="where to write the class (must not exist)")
    parser.add_argument("--small", action="store_true", help="only the students the end-to-end test grades")
    args = parser.parse_args(argv)
    if args.folder.exists():
        parser.error(f"{args.folder} exists already")
    made = make_class(args.folder, small=args.small)
    print(f"{len(made)} students in {args.folder} (and {args.folder / 'roster.csv'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
