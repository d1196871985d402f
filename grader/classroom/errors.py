"""What class mode raises for bad input: each is a usage error (exit status 2) with a message that
names the fix, never a crash."""


class ClassInputError(Exception):
    """Bad input to class mode: the grader says what is wrong and stops."""


class SubmissionsError(ClassInputError):
    """The submissions folder cannot be read (there is no such folder)."""


class ResultsError(ClassInputError):
    """The results folder holds another run's results (another seed, other exercises)."""


class RosterError(ClassInputError):
    """The roster cannot be read or joined on the column asked for."""


class LmsError(ClassInputError):
    """The LMS export cannot be made from this roster."""
