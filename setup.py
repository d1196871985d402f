"""Packaging that pyproject.toml cannot say: the stubs and references ship inside the wheel.

They stay at the top of the repository (``exercises/``, ``solutions/``), where learners and authors
edit them; the wheel maps them to ``grader/_bundled/exercises`` and ``grader/_bundled/solutions``, so
every file added there ships without a list to update. Everything else is in pyproject.toml.
"""

from setuptools import find_packages, setup

BUNDLED = {"grader._bundled.exercises": "exercises", "grader._bundled.solutions": "solutions"}

setup(packages=find_packages(include=["grader", "grader.*"]) + list(BUNDLED), package_dir=BUNDLED)
