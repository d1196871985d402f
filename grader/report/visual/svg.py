"""A few SVG drawing primitives for the pictures: a canvas, boxes, heatmaps with a colour bar, plots.

Everything is escaped text in one ``<svg>`` element, inlined in the page: vector (sharp at any zoom),
selectable numbers, no image encoder and no network.
"""

from __future__ import annotations

import math

import numpy as np
from markupsafe import Markup, escape

#: Two colours told apart by people with the common colour-vision deficiencies (Okabe-Ito).
REFERENCE, YOURS = "#0072b2", "#e69f00"
BAD, MUTED, INK = "#d55e00", "#888888", "#222222"


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


class Canvas:
    def __init__(self, width: float, height: float, label: str):
        self.width, self.height, self.label = width, height, label
        self.parts: list[str] = []

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def rect(self, x, y, w, h, *, fill="none", stroke="none", width=1.0, dash=None, opacity=1.0, title=None):
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        tip = f"<title>{escape(title)}</title>" if title else ""
        self.add(f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(max(w, 0))}" height="{_num(max(h, 0))}" '
                 f'fill="{fill}" fill-opacity="{opacity}" stroke="{stroke}" stroke-width="{width}"{dashed}>'
                 f'{tip}</rect>')

    def line(self, x1, y1, x2, y2, *, stroke=INK, width=1.0, dash=None):
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        self.add(f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" stroke="{stroke}" '
                 f'stroke-width="{width}"{dashed}/>')

    def polyline(self, points, *, stroke=INK, width=1.5, fill="none", opacity=1.0, dash=None):
        coords = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        self.add(f'<polyline points="{coords}" fill="{fill}" fill-opacity="{opacity}" stroke="{stroke}" '
                 f'stroke-width="{width}"{dashed}/>')

    def circle(self, x, y, r, *, fill="none", stroke=INK, width=1.0):
        self.add(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" fill="{fill}" stroke="{stroke}" '
                 f'stroke-width="{width}"/>')

    def text(self, x, y, words, *, size=12, fill=INK, anchor="start", bold=False, mono=False):
        weight = ' font-weight="600"' if bold else ""
        family = ' font-family="ui-monospace, Menlo, Consolas, monospace"' if mono else ""
        self.add(f'<text x="{_num(x)}" y="{_num(y)}" font-size="{size}" fill="{fill}" '
                 f'text-anchor="{anchor}"{weight}{family}>{escape(str(words))}</text>')

    def render(self) -> Markup:
        return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="picture" '
                      f'width="{_num(self.width)}" height="{_num(self.height)}" '
                      f'viewBox="0 0 {_num(self.width)} {_num(self.height)}" font-family="system-ui, sans-serif">'
                      f"<title>{escape(self.label)}</title>" + "".join(self.parts) + "</svg>")


# --- colour maps ---------------------------------------------------------------------------------

# Viridis at nine stops: perceptually even, readable in grey.
_VIRIDIS = np.array([[68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
                     [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37]], dtype=float)
# Blue, white, red: the sign of a difference at a glance.
_DIVERGING = np.array([[33, 102, 172], [103, 169, 207], [209, 229, 240], [247, 247, 247],
                       [253, 219, 199], [239, 138, 98], [178, 24, 43]], dtype=float)


def _interpolate(stops: np.ndarray, t: float) -> str:
    if not math.isfinite(t):
        return "#ff00ff"  # NaN or infinity: a colour no map uses
    t = min(max(t, 0.0), 1.0) * (len(stops) - 1)
    low = int(math.floor(t))
    high = min(low + 1, len(stops) - 1)
    r, g, b = stops[low] + (stops[high] - stops[low]) * (t - low)
    return f"#{int(r):02x}{int(g):02x}{int(b):02x}"


def sequential(value: float, low: float, high: float) -> str:
    return _interpolate(_VIRIDIS, 0.5 if high == low else (value - low) / (high - low))


def diverging(value: float, bound: float) -> str:
    return _interpolate(_DIVERGING, 0.5 if bound == 0 else 0.5 + 0.5 * value / bound)


# --- composite drawings ----------------------------------------------------------------------------

def heatmap(canvas: Canvas, x: float, y: float, grid: np.ndarray, colour, cell: float, *,
            mark: tuple[int, int] | None = None, title: str = "") -> None:
    """One cell per value, ``colour(value)`` each; ``mark`` circles one cell (the largest error)."""
    canvas.text(x, y - 6, title, bold=True, fill=INK)
    rows, cols = grid.shape
    for i in range(rows):
        for j in range(cols):
            value = float(grid[i, j])
            canvas.rect(x + j * cell, y + i * cell, cell, cell, fill=colour(value), title=f"[{i}, {j}] = {value:.6g}")
    canvas.rect(x, y, cols * cell, rows * cell, stroke=MUTED)
    if mark is not None:
        i, j = mark
        canvas.rect(x + j * cell - 1.5, y + i * cell - 1.5, cell + 3, cell + 3, stroke=BAD, width=2.5)


def colour_bar(canvas: Canvas, x: float, y: float, height: float, low: float, high: float, colour) -> None:
    """A vertical bar of ``colour`` from ``low`` (bottom) to ``high`` (top), both written beside it."""
    steps = 24
    for k in range(steps):
        value = high - (high - low) * (k + 0.5) / steps
        canvas.rect(x, y + k * height / steps, 12, height / steps + 0.5, fill=colour(value))
    canvas.rect(x, y, 12, height, stroke=MUTED)
    canvas.text(x + 16, y + 10, f"{high:.4g}", size=11)
    canvas.text(x + 16, y + height, f"{low:.4g}", size=11)


def legend(canvas: Canvas, x: float, y: float, items: list[tuple[str, str, str | None]]) -> None:
    """Swatches in a row: (colour, label, dash)."""
    for colour, label, dash in items:
        canvas.line(x, y - 4, x + 22, y - 4, stroke=colour, width=3, dash=dash)
        canvas.text(x + 28, y, label, size=12)
        x += 36 + 7 * len(label)
