"""The limits of a worker (time, memory, output, replies).

Standard library only, so that the command line can show their defaults in ``--help`` without
loading numpy or the sandbox.
"""

from __future__ import annotations

from dataclasses import dataclass

@dataclass(frozen=True)
class Limits:
    """Defaults sized so that a plain-loop answer passes and an infinite loop is noticed quickly."""
    case_seconds: float = 3.0
    """Wall clock per call, unless a case sets its own."""
    import_seconds: float = 10.0
    """Wall clock for starting the interpreter and importing the attempt."""
    cpu_seconds: int = 60
    """CPU time for one worker process (RLIMIT_CPU): a backstop behind the wall clock."""
    memory_mb: int = 1024
    """Address space of the worker (RLIMIT_AS)."""
    output_bytes: int = 64 * 1024
    """What is kept of the attempt's stdout and stderr; the rest is read and discarded."""
    reply_bytes: int = 256 * 1024 * 1024
    """The largest reply accepted (a returned array, base64-encoded); each call also has a cap of its
    own from the size of the expected answer (``reply_cap``)."""
    total_seconds: float = 120.0
    """Wall clock for all the cases of one attempt."""
    consecutive_limit_hits: int = 2
    """After this many cases in a row time out, run out of memory, crash or send an unreadable reply,
    the rest are not run."""
