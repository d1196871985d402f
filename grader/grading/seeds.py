"""The seed of the hidden random cases. Standard library only: the command line shows it in ``--help``."""

#: Fixed so that everyone's hidden random cases are the same run to run; instructors pass their own.
DEFAULT_SEED = 2024
