"""How long a learner waits: the median wall time of `grade nms` on the reference (with grade's own
namespaces, and with bubblewrap), `grade --help` and `grade list`, next to the floor of any Python
tool that uses numpy, `python -c "import numpy"`. The commands are run in turns, round after round,
so that the machine's noise falls on all of them alike.

    python benchmarks/grade_speed.py [--runs 15] [--exercise nms]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--exercise", default="nms")
    args = parser.parse_args()
    solution = ROOT / "solutions" / f"{args.exercise}.py"
    grade = [sys.executable, "-m", "grader"]
    floor = "python -c 'import numpy'"
    rows = [
        (floor, [sys.executable, "-c", "import numpy"], {}),
        (f"grade {args.exercise} <reference>", grade + [args.exercise, str(solution)], {}),
        (f"  the same, bubblewrap", grade + [args.exercise, str(solution)], {"GRADE_OS_SANDBOX": "bubblewrap"}),
        ("grade --help", grade + ["--help"], {}),
        ("grade list", grade + ["list"], {}),
    ]
    times = {label: [] for label, _, _ in rows}
    for _ in range(args.runs):
        for label, command, env in rows:
            started = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                           env=dict(os.environ, **env))
            times[label].append(time.perf_counter() - started)
    base = statistics.median(times[floor])
    print(f"{'command':<34} {'median':>8} {'min':>8} {'max':>8} {'/ floor':>8}   ({args.runs} runs each)")
    for label, _, _ in rows:
        med = statistics.median(times[label])
        print(f"{label:<34} {med:8.3f} {min(times[label]):8.3f} {max(times[label]):8.3f} {med / base:7.2f}x")


if __name__ == "__main__":
    main()
