"""The `grade` console script. Before anything heavy is imported it does the two things that must come
first: one BLAS thread for the grader's own numpy, and, for a command that will grade, the start of
the zygote (``sandbox/forkserver.py``), which then imports numpy at the same time as this process
imports click, numpy and the suite instead of after them."""

import os
import sys

#: The grader's own numpy work is small: BLAS threads would only cost it CPU (1.7x at import, measured).
_ONE_THREAD = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
#: The commands that never grade; every other first word is an exercise or a command that grades
#: (a mistyped exercise only starts a zygote for nothing).
_NOT_GRADING = ("list", "hint", "init", "history", "solution")


def will_grade(args: list[str]) -> bool:
    """Whether these arguments ask for a grading (`grade nms`, `grade check ...`, `grade batch ...`).
    Decided without importing anything: the zygote is started before the catalog is read."""
    words = [a for a in args if not a.startswith("-")]
    if not words or "--help" in args or "-h" in args or "--version" in args:
        return False
    return words[0] not in _NOT_GRADING


def main():
    for name in _ONE_THREAD:  # before anything imports numpy; a user's own setting wins
        os.environ.setdefault(name, "1")
    if will_grade(sys.argv[1:]):
        from grader.sandbox import forkserver

        forkserver.launch_early()
        from grader.sandbox import oslayer

        oslayer.start_early()  # and the probe, in the background
    from grader.cli import cli

    cli(prog_name="grade")
