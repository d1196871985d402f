"""How long a learner waits for a verdict: the median wall time of `grade nms` on the reference,
next to the floor of any Python tool that uses numpy, `python -c "import numpy"`.

    python benchmarks/grade_speed.py [--runs 11] [--exercise nms]
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def median_seconds(command, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times), max(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--exercise", default="nms")
    args = parser.parse_args()
    solution = ROOT / "solutions" / f"{args.exercise}.py"
    rows = [
        ("python -c 'import numpy'", [sys.executable, "-c", "import numpy"]),
        (f"grade {args.exercise} <reference>", [sys.executable, "-m", "grader", args.exercise, str(solution)]),
    ]
    results = {}
    print(f"{'command':<32} {'median':>8} {'min':>8} {'max':>8}   ({args.runs} runs)")
    for label, command in rows:
        med, low, high = median_seconds(command, args.runs)
        results[label] = med
        print(f"{label:<32} {med:8.3f} {low:8.3f} {high:8.3f}")
    base, grade = results[rows[0][0]], results[rows[1][0]]
    print(f"ratio grade / import numpy: {grade / base:.1f}x")


if __name__ == "__main__":
    main()
