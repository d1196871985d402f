import pytest


@pytest.fixture(autouse=True)
def _private_grade_home(tmp_path, monkeypatch):
    """Hints and history of the tests never touch the real user's data directory."""
    monkeypatch.setenv("GRADE_HOME", str(tmp_path / "grade-home"))
