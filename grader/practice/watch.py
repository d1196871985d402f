"""Notice when the learner saves a file, whatever their editor does to save it.

Editors save in different ways: some rewrite the file in place (possibly truncating first, then
writing in several chunks), others (vim, VS Code, JetBrains) write a temporary file and rename it
over the original, which gives the path a new inode. Comparing ``(inode, size, mtime_ns)`` of the
path between polls sees all of them. A change is reported once the file has stopped changing for
``debounce`` seconds, so one save that arrives in several writes is graded once.

This polls rather than subscribing to file-system events (inotify, FSEvents): the practice loop
wakes every poll interval anyway to redraw its clock and read keys, so events would not make a save
noticed sooner, and polling needs no dependency and works on every file system.
"""

from __future__ import annotations

import os
from pathlib import Path

Signature = tuple[int, int, int]


def signature(path: Path) -> Signature | None:
    """What identifies one version of the file; None while it does not exist (mid-rename)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


class PollingWatcher:
    """Reports saves of one file; ``changed(now)`` is called every poll interval with the clock's time."""

    def __init__(self, path: Path, *, interval: float = 0.25, debounce: float = 0.2):
        self.path = Path(path)
        self.interval = interval
        self.debounce = debounce
        self.description = f"watching by polling every {interval:g} s"
        self._reported = signature(self.path)
        self._seen = self._reported
        self._seen_since: float | None = None

    def changed(self, now: float) -> bool:
        """True once per save: the file differs from what was last reported and has been still for
        ``debounce`` seconds. A file that stays missing is reported too (the loop says it is gone)."""
        current = signature(self.path)
        if current != self._seen:
            self._seen, self._seen_since = current, now
            return False
        if current == self._reported or self._seen_since is None:
            return False
        if now - self._seen_since < self.debounce:
            return False
        self._reported = current
        return True

    def mark_current(self) -> None:
        """The loop graded the file as it is now (say on a key press): that version is not news."""
        self._reported = self._seen = signature(self.path)

    def pending(self) -> bool:
        """Whether the file differs from the last version reported or marked (a save not graded yet)."""
        return signature(self.path) != self._reported
