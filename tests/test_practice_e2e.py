"""A real `grade practice` process on a pseudo-terminal: keys, a rename-on-save, and a clean terminal after."""

import fcntl
import os
import pty
import re
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from grader import catalog
from grader.record.vocabulary import SessionEnd
from grader.practice import history
from grader.userdata import data_dir

CORRECT = Path(__file__).parent / "fixtures" / "attempts" / "correct" / "nms.py"
pytestmark = pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs a pseudo-terminal")


def _take_terminal():
    # As a shell does for a foreground job: the pty becomes the child's controlling terminal (its new
    # session has none), so Ctrl-C typed on it is sent as SIGINT, and SIGINT has its default action
    # (a test runner started in the background may have it ignored, and children inherit that).
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Terminal:
    """`grade ARGS` with a pseudo-terminal as its stdin and stdout, like a learner's shell."""

    def __init__(self, *args, home: Path):
        self.master, slave = pty.openpty()
        self.slave = slave
        env = {**os.environ, "GRADE_HOME": str(home), "COLUMNS": "120", "LINES": "40"}
        self.process = subprocess.Popen([sys.executable, "-m", "grader", *args], stdin=slave, stdout=slave,
                                        stderr=slave, env=env, start_new_session=True,
                                        preexec_fn=_take_terminal)
        self.screen = ""

    def expect(self, text: str, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.text:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{text!r} not seen; the screen so far:\n{self.text}")
            ready, _, _ = select.select([self.master], [], [], min(left, 0.2))
            if ready:
                try:
                    self.screen += os.read(self.master, 65536).decode(errors="replace")
                except OSError:  # the pty closed under us: wait for the deadline's message
                    time.sleep(0.05)

    @property
    def text(self) -> str:
        """The screen without colours and screen control."""
        return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", self.screen).replace("\r", "")

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)
        os.close(self.slave)


@pytest.fixture
def home():
    return data_dir()  # conftest points GRADE_HOME at a temporary directory; the child inherits it


def _workspace_file(home: Path) -> Path:
    [path] = (home / "practice").glob("nms-*/nms.py")
    return path


def _cooked(fd: int) -> bool:
    lflag = termios.tcgetattr(fd)[3]
    return bool(lflag & termios.ICANON) and bool(lflag & termios.ECHO)


def test_a_real_session_is_solved_by_a_rename_on_save(home):
    stub_before = catalog.get("nms").stub_path.read_bytes()
    term = Terminal("practice", "nms", "--minutes", "5", "--poll-interval", "0.1", home=home)
    try:
        term.expect("left")  # the countdown runs
        assert not _cooked(term.slave)  # keys without Enter, no echo
        path = _workspace_file(home)
        assert f"Edit: {path}" in term.text and "def nms(boxes, scores, iou_threshold)" in term.text
        term.send("h")
        term.expect("Hint 1/3")
        tmp = path.with_name(".nms.py.swp")
        tmp.write_text(CORRECT.read_text())
        os.replace(tmp, path)
        term.expect("Solved nms in")
        assert term.process.wait(timeout=15) == 0
        assert _cooked(term.slave)  # the terminal is handed back as it was
    finally:
        term.close()
    [session] = history.load()
    assert session.solved and session.hints_used == 1 and session.cases_passed == session.cases_total
    assert catalog.get("nms").stub_path.read_bytes() == stub_before  # the learner's file is not touched


def test_ctrl_c_leaves_the_terminal_clean_and_the_session_recorded(home):
    term = Terminal("practice", "nms", "--minutes", "5", home=home)
    try:
        term.expect("left")
        term.send("\x03")  # Ctrl-C, delivered by the terminal as SIGINT
        term.expect("Stopped after")
        assert term.process.wait(timeout=15) == 130
        assert _cooked(term.slave)
    finally:
        term.close()
    [session] = history.load()
    assert session.outcome == SessionEnd.INTERRUPTED
