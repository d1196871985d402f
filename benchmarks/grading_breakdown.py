"""Where one grading's time goes, per OS layer: the worker's start (spawn to "ready": a fresh
interpreter importing numpy under bubblewrap, or a fork of the zygote into new namespaces), the
calls, the worker's end (kill and reap), and the whole grading, with the suite prepared beforehand
as `grade batch` does. Medians over every grading of each layer, layers interleaved so that the
machine's noise falls on both alike.

    python benchmarks/grading_breakdown.py [--rounds 5] [--exercises nms,iou,conv2d,mean_ap]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader import catalog  # noqa: E402
from grader.grading import attempt as grading  # noqa: E402
from grader.sandbox import oslayer
from grader.sandbox import session as sandbox

WRONG = ROOT / "tests" / "fixtures" / "wrong"
LAYERS = {
    "namespaces": {},
    "bubblewrap": {"namespaces": lambda: False},
}


def attempts(exercise):
    """The reference, a stub, and the exercise's first catalogued mistake: a pass, an early stop, a fail."""
    found = [exercise.solution_path, exercise.stub_path]
    wrong = sorted((WRONG / exercise.name).glob("*.py"))
    return found + wrong[:1]


def timed(phases):
    real = {name: getattr(sandbox.WorkerSession, name) for name in ("spawn", "wait_ready", "call", "close")}

    def spawn(self):
        self._benchmark_began = time.perf_counter()
        return real["spawn"](self)

    def wait_ready(self):
        try:
            return real["wait_ready"](self)
        finally:
            phases["start"].append(time.perf_counter() - self._benchmark_began)

    def call(self, *args, **kwargs):
        began = time.perf_counter()
        try:
            return real["call"](self, *args, **kwargs)
        finally:
            phases["calls"][-1] += time.perf_counter() - began

    def close(self):
        began = time.perf_counter()
        try:
            return real["close"](self)
        finally:
            phases["close"].append(time.perf_counter() - began)

    return mock.patch.multiple(sandbox.WorkerSession, spawn=spawn, wait_ready=wait_ready, call=call, close=close)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--exercises", default="nms,iou,conv2d,mean_ap")
    args = parser.parse_args()
    exercises = [catalog.get(name) for name in args.exercises.split(",")]
    working = {"namespaces": oslayer.namespaces_status(), "bubblewrap": oslayer.bubblewrap_status()}
    layers = [name for name in LAYERS if working[name][0]]
    for name in set(LAYERS) - set(layers):
        print(f"{name}: not measured ({working[name][1]})")
    prepared = {e.name: grading.prepare(e) for e in exercises}
    phases = {layer: defaultdict(list) for layer in layers}
    for _ in range(args.rounds):
        for layer in layers:
            ours = phases[layer]
            switched = mock.patch.multiple(oslayer, **LAYERS[layer]) if LAYERS[layer] else contextlib.nullcontext()
            with switched, timed(ours):
                for exercise in exercises:
                    for attempt in attempts(exercise):
                        ours["calls"].append(0.0)
                        began = time.perf_counter()
                        grading.grade_attempt(exercise, attempt, prepared=prepared[exercise.name])
                        ours["grading"].append(time.perf_counter() - began)
    count = len(phases[layers[0]]["grading"]) if layers else 0
    print(f"{count} gradings per layer ({len(exercises)} exercises x reference, stub, one mistake x "
          f"{args.rounds} rounds), medians in ms; a restarted worker counts as another start")
    print(f"{'phase':<26}" + "".join(f"{layer:>14}" for layer in layers)
          + ("   ratio" if len(layers) == 2 else ""))
    for phase, label in (("start", "worker start (to ready)"), ("calls", "calls, per grading"),
                         ("close", "worker end (kill, reap)"), ("grading", "whole grading")):
        medians = [statistics.median(phases[layer][phase]) * 1000 for layer in layers]
        ratio = f"   {medians[1] / medians[0]:.1f}x" if len(medians) == 2 and medians[0] else ""
        print(f"{label:<26}" + "".join(f"{m:>14.1f}" for m in medians) + ratio)
    if layers:
        rates = [len(phases[layer]["grading"]) / sum(phases[layer]["grading"]) for layer in layers]
        print(f"{'gradings/s, one at a time':<26}" + "".join(f"{r:>14.2f}" for r in rates))


if __name__ == "__main__":
    main()
