"""grade: an autograder for hand-written computer-vision interview exercises."""

__version__ = "0.1.0"
