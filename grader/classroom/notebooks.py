"""A Jupyter notebook as a gradable Python file: its code cells, minus what only a notebook runs.

Kept: function and class definitions, assignments that call nothing (constants), and the imports
they use. Left out, each counted: imports nothing kept uses (``import matplotlib.pyplot as plt`` for
the plots), cell magics that are not Python (``%%bash``), line magics and shell lines
(``%matplotlib``, ``!pip``), and top-level code that runs at import (calls, prints, plots, loops):
in a notebook that is the student trying their function, and importing it must not run it.
Cells that do not parse are left out too, with their number.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

#: Cell magics whose body is still Python: the magic line goes, the body stays.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "writefile", "file"})
_SHELL_OR_MAGIC = re.compile(r"^(\s*)(?:[!%]|[\w.,\s\[\]]+=\s*[!%])")


class NotebookError(ValueError):
    pass


@dataclass
class Extracted:
    source: str
    cells: int = 0
    magics: int = 0
    """Magic and shell lines (and non-Python magic cells) removed."""
    dropped: int = 0
    """Top-level statements that would run at import, removed."""
    unused_imports: int = 0
    broken_cells: list[int] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{self.cells} code cell{'s' if self.cells != 1 else ''}"]
        if self.magics:
            parts.append(f"{self.magics} magic/shell line{'s' if self.magics != 1 else ''} removed")
        if self.dropped:
            parts.append(f"{self.dropped} top-level statement{'s' if self.dropped != 1 else ''} "
                         "that ran at import (calls, prints, loops) left out")
        if self.unused_imports:
            parts.append(f"{self.unused_imports} import{'s' if self.unused_imports != 1 else ''} "
                         "nothing kept uses left out")
        if self.broken_cells:
            parts.append("cell" + ("s " if len(self.broken_cells) > 1 else " ")
                         + ", ".join(map(str, self.broken_cells)) + " did not parse and were left out")
        return "; ".join(parts)


def _strip_magics(text: str) -> tuple[str | None, int]:
    lines = text.splitlines()
    first = next((line.strip() for line in lines if line.strip()), "")
    if first.startswith("%%"):
        magic = first[2:].split()[0] if first[2:].split() else ""
        if magic not in PYTHON_CELL_MAGICS:
            return None, 1
        index = next(i for i, line in enumerate(lines) if line.strip())
        lines = lines[index + 1:]
        removed = 1
    else:
        removed = 0
    kept = []
    for line in lines:
        found = _SHELL_OR_MAGIC.match(line)
        if found:
            # Keeps the indentation, so a shell line inside a block leaves the block valid.
            kept.append(f"{found.group(1)}pass  # notebook magic or shell line removed")
            removed += 1
        else:
            kept.append(line)
    return "\n".join(kept), removed


def _runs_nothing(node: ast.stmt) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
        return not any(isinstance(n, (ast.Call, ast.Await, ast.Yield)) for n in ast.walk(node.value))
    return False


def code_cells(path: Path) -> list[str]:
    import nbformat  # imported here: only classes that hand in notebooks need it

    try:
        notebook = nbformat.read(str(path), as_version=4)
    except Exception as exc:  # not JSON, not a notebook, an unknown version: all the student's doing
        raise NotebookError(f"{path.name} is not a readable notebook ({type(exc).__name__}: {exc})") from None
    return [cell.source for cell in notebook.cells if cell.get("cell_type") == "code"]


def _bound(node: ast.stmt) -> set[str]:
    return {(alias.asname or alias.name).split(".")[0] for alias in node.names}


def extract(path: Path) -> Extracted:
    result = Extracted("")
    kept: list[tuple[int, ast.stmt, str]] = []  # (cell number, node, its source)
    for number, text in enumerate(code_cells(path), 1):
        result.cells += 1
        text, removed = _strip_magics(text)
        result.magics += removed
        if text is None or not text.strip():
            continue
        try:
            tree = ast.parse(text)
        except SyntaxError:
            result.broken_cells.append(number)
            continue
        lines = text.splitlines()
        for node in tree.body:
            if _runs_nothing(node):
                start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
                kept.append((number, node, "\n".join(lines[start - 1:node.end_lineno])))
            elif not (isinstance(node, ast.Pass) or isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
                # Docstrings and the stand-ins for removed magics go without a word.
                result.dropped += 1
    used = {n.id for _, node, _ in kept if not isinstance(node, (ast.Import, ast.ImportFrom))
            for n in ast.walk(node) if isinstance(n, ast.Name)}
    pieces: dict[int, list[str]] = {}
    for number, node, source in kept:
        if isinstance(node, (ast.Import, ast.ImportFrom)) and not any(
                name == "*" or name in used for name in _bound(node)):
            result.unused_imports += 1
            continue
        pieces.setdefault(number, []).append(source)
    result.source = "\n\n".join(f"# --- cell {n} ---\n" + "\n".join(p) for n, p in pieces.items()) + "\n"
    return result


def defines(source: str, functions: tuple[str, ...]) -> bool:
    """Whether ``source`` defines every one of ``functions`` at top level."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    names = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return set(functions) <= names
