"""What grading raises instead of returning a result. Standard library only: the command line catches
these without loading numpy."""


class AttemptNotFound(FileNotFoundError):
    """The attempt to grade is not there: a usage error, not a result."""


class GraderFailure(RuntimeError):
    """The grader itself failed (it could not build the sandbox): no outcome of the student's. A class
    run does not record such a grading, so that ``--resume`` grades it again."""
