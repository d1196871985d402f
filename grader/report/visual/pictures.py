"""One picture per failing public case, drawn from its raw values (``CaseValues``).

``PICTURES`` maps an exercise's name to ``draw(func, values) -> Markup | None``; an exercise adds its
own with ``@picture("name")``. Any case left without one whose expected value is a float array gets
``array_picture`` (heatmaps, or a plot for 1-d; integer images too), so a new exercise returning an
image needs nothing.
Every drawer copes with an attempt that raised or returned something odd: it then draws what the
reference did, and says what yours did in words.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from markupsafe import Markup

from grader.grading import compare
from grader.record.result import CaseValues
from grader.report.visual import svg
from grader.report.visual.svg import BAD, INK, MUTED, REFERENCE, YOURS, Canvas

Draw = Callable[[str, CaseValues], "Markup | None"]
PICTURES: dict[str, Draw] = {}


def picture(exercise: str):
    """Register ``draw(func, values)`` as the picture of ``exercise``'s failing public cases."""
    def register(draw: Draw) -> Draw:
        PICTURES[exercise] = draw
        return draw
    return register


def draw(exercise: str, func: str, values: CaseValues) -> Markup | None:
    """The picture of one case: the exercise's own, else the generic one for float arrays, else None."""
    own = PICTURES.get(exercise)
    markup = own(func, values) if own else None
    return markup if markup is not None else array_picture(values.expected, values.actual, func)


# --- helpers --------------------------------------------------------------------------------------

def _floats(value, *, ndim: int | None = None) -> np.ndarray | None:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array if ndim is None or array.ndim == ndim else None


def _ints(value) -> list[int] | None:
    array = _floats(value)
    if array is None or array.ndim != 1 or not np.all(np.isfinite(array)):
        return None
    return [int(v) for v in array]


def _argument(values: CaseValues, position: int, name: str, default=None):
    if len(values.args) > position:
        return values.args[position]
    return values.kwargs.get(name, default)


def _yours_in_words(values: CaseValues) -> str:
    """What the attempt did instead of returning a value the picture can draw."""
    if values.actual_raised:
        return f"yours raised {values.actual_raised}"
    return {"timeout": "yours ran out of time", "value": "yours returned a value of another kind"}.get(
        values.outcome, "yours crashed before returning")


def _iou(a, b) -> float:
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


class _Frame:
    """Maps box coordinates (x right, y down, as in an image) onto a drawing area, to scale."""

    def __init__(self, boxes: np.ndarray, x: float, y: float, width: float, height: float):
        low = boxes[:, :2].min(axis=0) if len(boxes) else np.zeros(2)
        high = boxes[:, 2:].max(axis=0) if len(boxes) else np.ones(2)
        span = np.maximum(high - low, 1e-9)
        self.scale = min(width / span[0], height / span[1])
        self.low, self.x, self.y = low, x, y

    def box(self, b) -> tuple[float, float, float, float]:
        x1 = self.x + (b[0] - self.low[0]) * self.scale
        y1 = self.y + (b[1] - self.low[1]) * self.scale
        return x1, y1, (b[2] - b[0]) * self.scale, (b[3] - b[1]) * self.scale


# --- boxes: iou, nms, soft_nms ---------------------------------------------------------------------

def boxes_picture(boxes: np.ndarray, scores, reference: list[int], yours: list[int] | None, *, label: str,
                  threshold: float | None, notes: list[str]) -> Markup:
    """Every box to scale, numbered; kept by the reference (solid) and by you (dashed) in two colours;
    the missing and extra ones marked; the IoU of the pair that decides the first difference."""
    width, top, area = 620, 34, 300
    canvas = Canvas(width, top + area + 30 + 18 * len(notes) + 40, label)
    svg.legend(canvas, 10, 16, [(REFERENCE, "kept by the reference", None), (YOURS, "kept by you", "6 3")])
    frame = _Frame(boxes, 30, top + 10, width - 60, area - 20)
    ref, mine = set(reference), set(yours or [])
    for index, b in enumerate(boxes):
        x, y, w, h = frame.box(b)
        canvas.rect(x, y, w, h, stroke=MUTED, dash="2 2")
        if yours is not None and (index in ref) != (index in mine):
            canvas.rect(x, y, w, h, fill=BAD, opacity=0.12)
        if index in ref:
            canvas.rect(x, y, w, h, stroke=REFERENCE, width=3)
        if index in mine:
            canvas.rect(x + 3, y + 3, w - 6, h - 6, stroke=YOURS, width=3, dash="6 3")
        mark = ""
        if yours is not None and index in ref - mine:
            mark = "  missing"
        elif index in mine - ref:
            mark = "  extra"
        score = f" ({float(scores[index]):.2g})" if scores is not None and index < len(scores) else ""
        canvas.text(x + 4, y + 14 + 14 * (index % 3), f"#{index}{score}{mark}", fill=BAD if mark else INK,
                    bold=bool(mark), size=12)
    y = top + area + 16
    for note in notes:
        canvas.text(10, y, note, size=12, mono=True)
        y += 18
    differing = [i for i in range(len(boxes)) if (i in ref) != (i in mine)] if yours is not None else []
    if differing and threshold is not None:
        first = differing[0]
        rivals = [k for k in reference if k != first and reference.index(k) < (reference.index(first)
                  if first in reference else len(reference))]
        if rivals:
            rival = max(rivals, key=lambda k: _iou(boxes[k], boxes[first]))
            value = _iou(boxes[rival], boxes[first])
            relation = ">" if value > threshold else ("=" if value == threshold else "<")
            verdict = "suppressed" if value > threshold else "kept"
            canvas.text(10, y + 6, f"IoU(#{rival}, #{first}) = {value:.3g} {relation} threshold {threshold:g}: "
                        f"#{first} is {verdict} by the rule (IoU > threshold suppresses)", bold=True, fill=BAD)
    return canvas.render()


def _box_array(value) -> np.ndarray | None:
    array = _floats(value)
    if array is None or array.size % 4:
        return None
    return array.reshape(-1, 4)


def _box_case(values: CaseValues, parse) -> tuple | None:
    """The boxes, the reference's answer and yours (None if it cannot be read) parsed by ``parse``;
    None when the case holds no boxes or the reference's answer is not of that kind."""
    boxes = _box_array(_argument(values, 0, "boxes"))
    reference = parse(values.expected)
    if boxes is None or reference is None:
        return None
    return boxes, reference, parse(values.actual)


@picture("nms")
def _nms(func: str, values: CaseValues) -> Markup | None:
    parsed = _box_case(values, _ints)
    if parsed is None:
        return None
    boxes, reference, yours = parsed
    notes = [f"reference keeps {reference}", f"you keep       {yours}" if yours is not None else _yours_in_words(values)]
    return boxes_picture(boxes, _floats(_argument(values, 1, "scores")), reference, yours, label="NMS",
                         threshold=float(_argument(values, 2, "iou_threshold")), notes=notes)


def _selection(value) -> tuple[list[int], np.ndarray] | None:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        return None
    indices, scores = _ints(value[0]), _floats(value[1], ndim=1)
    if indices is None or scores is None or len(scores) != len(indices):
        return None
    return indices, scores


@picture("soft_nms")
def _soft_nms(func: str, values: CaseValues) -> Markup | None:
    parsed = _box_case(values, _selection)
    if parsed is None:
        return None
    boxes, reference, yours = parsed

    def order(selection):
        return ", ".join(f"#{i} {s:.4g}" for i, s in zip(*selection))
    notes = ["scores at selection, in selection order:", f"  reference: {order(reference)}",
             f"  yours:     {order(yours)}" if yours else "  " + _yours_in_words(values)]
    differs = [k for k in range(len(reference[0]))
               if not yours or k >= len(yours[0]) or yours[0][k] != reference[0][k]
               or abs(yours[1][k] - reference[1][k]) > 1e-6]
    if differs and differs[0] > 0:
        k = differs[0]
        chosen = reference[0][k]
        overlaps = ", ".join(f"#{e} = {_iou(boxes[e], boxes[chosen]):.3g}" for e in reference[0][:k])
        notes.append(f"the reference's #{chosen} (selection {k + 1}) decayed by its IoU with {overlaps}")
    method = _argument(values, 5, "method", "gaussian")
    threshold = float(_argument(values, 2, "iou_threshold", 0.3)) if method == "linear" else None
    return boxes_picture(boxes, _floats(_argument(values, 1, "scores")), reference[0],
                         yours[0] if yours else None, label="Soft-NMS", threshold=threshold, notes=notes)


@picture("iou")
def _iou_picture(func: str, values: CaseValues) -> Markup | None:
    if func == "iou":
        a, b = _box_array(_argument(values, 0, "box_a")), _box_array(_argument(values, 1, "box_b"))
        if a is None or b is None:
            return None
        boxes_a, boxes_b, pair = a, b, (0, 0)
        expected, actual = _floats(values.expected), _floats(values.actual)
    else:
        boxes_a, boxes_b = _box_array(values.args[0]), _box_array(values.args[1])
        expected, actual = _floats(values.expected), _floats(values.actual)
        if boxes_a is None or boxes_b is None or expected is None or expected.ndim != 2 or not expected.size:
            return None
        pair = (0, 0)
        if actual is not None and actual.shape == expected.shape:
            pair = np.unravel_index(int(np.nanargmax(np.abs(np.nan_to_num(actual - expected, nan=np.inf)))),
                                    expected.shape)
        expected, actual = expected[pair], (actual[pair] if actual is not None and actual.shape == expected.shape
                                            else None)
    width = 620
    canvas = Canvas(width, 330, "IoU")
    svg.legend(canvas, 10, 16, [(REFERENCE, "first boxes (a)", None), (YOURS, "second boxes (b)", "6 3")])
    frame = _Frame(np.vstack([boxes_a, boxes_b]), 30, 44, width - 60, 210)
    i, j = int(pair[0]), int(pair[1])
    for boxes, colour, dash, name in ((boxes_a, REFERENCE, None, "a"), (boxes_b, YOURS, "6 3", "b")):
        for k, b in enumerate(boxes):
            chosen = k == (i if name == "a" else j)
            x, y, w, h = frame.box(b)
            canvas.rect(x, y, w, h, stroke=colour, width=3 if chosen else 1, dash=dash)
            canvas.text(x + 4, y + 14, f"{name}{k}", size=12, bold=chosen)
    a, b = boxes_a[i], boxes_b[j]
    inter = [max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])]
    if inter[2] > inter[0] and inter[3] > inter[1]:
        x, y, w, h = frame.box(inter)
        canvas.rect(x, y, w, h, fill=BAD, opacity=0.25)
    yours = f"{float(actual):.6g}" if actual is not None and np.ndim(actual) == 0 else _yours_in_words(values)
    canvas.text(10, 282, f"IoU(a{i}, b{j}): reference {float(expected):.6g}, yours {yours}", bold=True)
    canvas.text(10, 302, f"intersection (shaded) {_area(inter):g}, areas {_area(a):g} and {_area(b):g}", size=12)
    return canvas.render()


def _area(b) -> float:
    return max(0.0, b[2] - b[0]) * max(0.0, b[3] - b[1])


# --- arrays: gaussian, bilinear, conv2d and any float-array output --------------------------------

def _plane(array: np.ndarray, at: tuple[int, ...] | None) -> tuple[np.ndarray, str, tuple[int, int] | None]:
    """A 2-d slice to draw: channels-last images (H, W, C <= 4) by channel, else over the leading axes,
    the slice through ``at`` (the largest error) when given."""
    if array.ndim == 2:
        return array, "", (at[0], at[1]) if at else None
    channels_last = array.ndim == 3 and array.shape[-1] <= 4
    if channels_last:
        c = at[2] if at else 0
        return array[:, :, c], f"channel {c}", (at[0], at[1]) if at else None
    lead = tuple(at[:-2]) if at else (0,) * (array.ndim - 2)
    where = "[" + ", ".join(str(k) for k in lead) + ", :, :]"
    return array[lead], where, (at[-2], at[-1]) if at else None


def _thin(grid: np.ndarray, limit: int = 64) -> tuple[np.ndarray, int]:
    step = max(1, -(-max(grid.shape) // limit))
    return grid[::step, ::step], step


def array_picture(expected, actual, label: str) -> Markup | None:
    """Expected, yours and the signed difference as heatmaps with colour bars, the largest error
    circled; a plot for 1-d arrays. None unless ``expected`` is a non-empty float array, or an integer
    one of two or more axes (an image: morphology, equalize_hist; integer vectors are labels or indices,
    which a plot would not explain)."""
    exp = expected if isinstance(expected, np.ndarray) else None
    if exp is None or exp.size == 0 or exp.ndim == 0:
        return None
    if exp.dtype.kind not in "fc" and not (exp.dtype.kind in "iub" and exp.ndim >= 2):
        return None
    exp = exp.real.astype(np.float64)
    act = _floats(actual)
    same = act is not None and act.shape == exp.shape
    if exp.ndim == 1:
        return _plot_1d(exp, act if same else None, label, values_note="" if same else "yours: another shape")
    at = None
    if same:
        diff = act - exp
        errors = np.where(np.isnan(diff), np.inf, np.abs(diff))
        at = tuple(int(k) for k in np.unravel_index(int(np.argmax(errors)), exp.shape))
    plane_e, where, mark = _plane(exp, at)
    panels = [("expected", plane_e)]
    if act is not None and act.ndim == exp.ndim and act.size:
        panels.append(("yours", _plane(act, at if same else None)[0]))
    if same:
        panels.append(("yours − expected", _plane(act - exp, at)[0]))
    thinned = [(title, *_thin(grid)) for title, grid in panels]
    cells = [max(4.0, min(40.0, 240.0 / max(grid.shape))) for _, grid, _ in thinned]
    tallest = max(max(grid.shape[0] * cell, 60) for (_, grid, _), cell in zip(thinned, cells))
    canvas = Canvas(sum(grid.shape[1] * cell + 80 for (_, grid, _), cell in zip(thinned, cells)) + 20,
                    tallest + 90, f"{label}: heatmaps")
    values_drawn = np.concatenate([g.ravel() for title, g, _ in thinned if title != "yours − expected"])
    finite = values_drawn[np.isfinite(values_drawn)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    x = 10.0
    for (title, grid, step), cell_here in zip(thinned, cells):
        spot = (mark[0] // step, mark[1] // step) if mark else None
        if title == "yours − expected":
            bound = float(np.nanmax(np.abs(np.where(np.isfinite(grid), grid, 0)))) if grid.size else 0.0

            def colour(v, bound=bound):
                return svg.diverging(v, bound)
            bar = (-bound, bound)
        else:
            def colour(v):
                return svg.sequential(v, low, high)
            bar = (low, high)
        svg.heatmap(canvas, x, 30, grid, colour, cell_here, mark=spot, title=title)
        svg.colour_bar(canvas, x + grid.shape[1] * cell_here + 6, 30, max(grid.shape[0] * cell_here, 60), *bar,
                       colour)
        x += grid.shape[1] * cell_here + 80
    y = 30 + tallest + 30
    shape_note = f"shape {exp.shape}" + (f", {where}" if where else "")
    if same:
        i = at
        canvas.text(10, y, f"largest error at {list(i)}: expected {exp[i]:.6g}, yours {act[i]:.6g} "
                    f"(circled)", bold=True, fill=BAD)
    elif act is not None:
        canvas.text(10, y, f"shapes differ: expected {exp.shape}, yours {act.shape}", bold=True, fill=BAD)
    else:
        canvas.text(10, y, "yours: " + ("no array" if actual is None else "not an array of numbers"), bold=True,
                    fill=BAD)
    canvas.text(10, y + 20, shape_note + ("" if thinned[0][2] == 1 else f", every {thinned[0][2]}th row and column"),
                size=12, fill=MUTED)
    return canvas.render()


def _plot_1d(expected: np.ndarray, actual: np.ndarray | None, label: str, *, values_note: str) -> Markup:
    width, height, left, top = 560, 240, 50, 30
    canvas = Canvas(width, height + 70, f"{label}: plot")
    svg.legend(canvas, 10, 16, [(REFERENCE, "expected", None), (YOURS, "yours", "6 3")])
    both = np.concatenate([expected, actual if actual is not None else expected])
    both = both[np.isfinite(both)]
    low, high = (float(both.min()), float(both.max())) if both.size else (0.0, 1.0)
    low, high = (low - 0.5, high + 0.5) if low == high else (low, high)
    n = len(expected)

    def point(k, v):
        return (left + (k + 0.5) * (width - left - 20) / n,
                top + (high - v) / (high - low) * height if np.isfinite(v) else top + height)
    canvas.rect(left, top, width - left - 20, height, stroke=MUTED)
    canvas.text(left - 6, top + 10, f"{high:.4g}", anchor="end", size=11)
    canvas.text(left - 6, top + height, f"{low:.4g}", anchor="end", size=11)
    canvas.polyline([point(k, v) for k, v in enumerate(expected)], stroke=REFERENCE, width=2.5)
    if actual is not None:
        canvas.polyline([point(k, v) for k, v in enumerate(actual)], stroke=YOURS, width=2.5, dash="6 3")
        errors = np.where(np.isnan(actual - expected), np.inf, np.abs(actual - expected))
        k = int(np.argmax(errors))
        x, _ = point(k, expected[k])
        canvas.line(x, top, x, top + height, stroke=BAD, dash="3 3")
        canvas.text(10, top + height + 26, f"largest error at [{k}]: expected {expected[k]:.6g}, yours {actual[k]:.6g}",
                    bold=True, fill=BAD)
    else:
        canvas.text(10, top + height + 26, values_note or "yours: not an array", bold=True, fill=BAD)
    return canvas.render()


@picture("gaussian")
def _gaussian(func: str, values: CaseValues) -> Markup | None:
    return array_picture(values.expected, values.actual, "kernel" if func == "gaussian_kernel" else func)


# --- mean_ap: precision-recall curves --------------------------------------------------------------

def _envelope(recall: np.ndarray, precision: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r = np.concatenate([[0.0], recall, [1.0]])
    p = np.concatenate([[0.0], precision, [0.0]])
    return r, np.maximum.accumulate(p[::-1])[::-1]


def _pr_axes(canvas: Canvas, x: float, y: float, size: float, title: str) -> Callable:
    canvas.rect(x, y, size, size, stroke=MUTED)
    canvas.text(x, y - 6, title, bold=True)
    canvas.text(x + size / 2, y + size + 16, "recall", anchor="middle", size=11)
    canvas.text(x - 4, y + 10, "1", anchor="end", size=11)
    canvas.text(x - 4, y + size, "0", anchor="end", size=11)
    canvas.text(x + size, y + size + 16, "1", anchor="middle", size=11)
    return lambda r, p: (x + r * size, y + (1 - p) * size)


def _pr_panel(canvas: Canvas, x: float, y: float, size: float, recall, precision, method: str, title: str) -> None:
    at = _pr_axes(canvas, x, y, size, title)
    if method == "voc":
        r, env = _envelope(recall, precision)
        steps = [at(0, 0)]
        for k in range(1, len(r)):
            steps += [at(r[k - 1], env[k]), at(r[k], env[k])]
        steps.append(at(r[-1], 0))
        canvas.polyline(steps, stroke=REFERENCE, width=2, fill=REFERENCE, opacity=0.18)
    else:
        count = 11 if method == "voc07" else 101
        for t in np.linspace(0, 1, count):
            reach = precision[recall >= t - 1e-12]
            best = float(reach.max()) if reach.size else 0.0
            x0, y0 = at(t, best)
            bar = size / count
            canvas.rect(x0 - bar / 2, y0, bar, best * size, fill=REFERENCE, opacity=0.25, stroke=REFERENCE,
                        width=0.5)
    canvas.polyline([at(r, p) for r, p in zip(recall, precision)], stroke=INK, width=1.5)
    for r, p in zip(recall, precision):
        canvas.circle(*at(r, p), 3, fill=INK, stroke=INK)


def _ap_bars(canvas: Canvas, x: float, y: float, size: float, expected, actual, values: CaseValues) -> None:
    """The reference's AP and yours on one 0..1 axis: the function returns a number, not a curve."""
    canvas.text(x, y - 6, "AP", bold=True)
    canvas.rect(x, y, 110, size, stroke=MUTED)
    for k, (value, colour, name) in enumerate(((expected, REFERENCE, "reference"), (actual, YOURS, "yours"))):
        left = x + 12 + k * 50
        number = float(value) if isinstance(value, (int, float, np.floating)) and np.isfinite(value) else None
        if number is not None:
            height = min(max(number, 0.0), 1.0) * size
            canvas.rect(left, y + size - height, 36, height, fill=colour, opacity=0.8)
        canvas.text(left + 18, y + size + 16, name, anchor="middle", size=11)
        shown = f"{number:.4g}" if number is not None else (values.actual_raised or "?")
        canvas.text(left + 18, y + size - (min(max(number or 0, 0), 1) * size) - 4, shown, anchor="middle",
                    size=11, bold=True)


def _class_curves(detections: np.ndarray, truths: np.ndarray, threshold: float):
    """Per class with ground truths: recall and precision per detection, matched as the contract says."""
    curves = {}
    for cls in sorted(set(truths[:, 1].tolist())):
        gts = truths[truths[:, 1] == cls]
        dets = detections[detections[:, 1] == cls]
        dets = dets[np.argsort(-dets[:, 2], kind="stable")]
        used = np.zeros(len(gts), bool)
        hits = []
        for det in dets:
            best, best_iou = -1, -1.0
            for g, gt in enumerate(gts):
                if gt[0] == det[0] and not used[g]:
                    value = _iou(det[3:7], gt[2:6])
                    if value > best_iou:
                        best, best_iou = g, value
            hit = best >= 0 and best_iou >= threshold
            if hit:
                used[best] = True
            hits.append(hit)
        tp = np.cumsum(hits)
        fp = np.cumsum(np.logical_not(hits))
        recall = tp / len(gts) if len(hits) else np.zeros(0)
        precision = tp / np.maximum(tp + fp, 1) if len(hits) else np.zeros(0)
        curves[cls] = (recall, precision)
    return curves


@picture("mean_ap")
def _mean_ap(func: str, values: CaseValues) -> Markup | None:
    size = 220
    if func == "average_precision":
        recall, precision = _floats(values.args[0], ndim=1), _floats(values.args[1], ndim=1)
        method = _argument(values, 2, "method", "voc")
        if recall is None or precision is None or len(recall) != len(precision) or values.expected_raises:
            return None
        panels = [("precision–recall", recall, precision)]
    else:
        detections, truths = _floats(values.args[0], ndim=2), _floats(values.args[1], ndim=2)
        threshold = float(_argument(values, 2, "iou_threshold", 0.5))
        method = _argument(values, 3, "method", "voc")
        if detections is None or truths is None or values.expected_raises or truths.shape[1:] != (6,):
            return None
        if detections.size == 0:
            detections = np.zeros((0, 7))
        curves = _class_curves(detections, truths, threshold)
        panels = [(f"class {cls:g}", r, p) for cls, (r, p) in list(curves.items())[:3]]
    if method not in ("voc", "voc07", "coco"):
        return None
    canvas = Canvas(max(600, 40 + (size + 40) * len(panels) + 140), size + 100, "precision-recall")
    svg.legend(canvas, 10, 16, [(INK, "the detections' (recall, precision)", None),
                                (REFERENCE, "interpolated envelope (AP shaded)", None)])
    x = 40.0
    for title, recall, precision in panels:
        _pr_panel(canvas, x, 50, size, recall, precision, method, title)
        x += size + 40
    _ap_bars(canvas, x, 50, size, values.expected, values.actual, values)
    canvas.text(10, size + 92, f"method {method}: the function returns a number, so yours is the bar beside "
                "the reference's", size=12, fill=MUTED)
    return canvas.render()


# --- max_subarray, rearrange_string -----------------------------------------------------------------

def _cells(canvas: Canvas, x: float, y: float, items: list[str], cell: float, *, red: set[int] = frozenset()):
    for k, item in enumerate(items):
        canvas.rect(x + k * cell, y, cell, cell, stroke=MUTED, fill="#fde0d6" if k in red else "none")
        canvas.text(x + k * cell + cell / 2, y + cell / 2 + 4, item, anchor="middle", size=12, mono=True,
                    bold=k in red)


def _bracket(canvas: Canvas, x: float, y: float, start: int, stop: int, cell: float, colour: str, text: str,
             below: bool) -> None:
    left, right = x + start * cell + 2, x + (stop + 1) * cell - 2
    tip = y + (8 if below else -8)
    canvas.polyline([(left, y), (left, tip), (right, tip), (right, y)], stroke=colour, width=3)
    canvas.text(left, tip + (16 if below else -6), text, fill=colour, bold=True, size=12)


def _best_span(numbers: list[float]) -> tuple[int, int]:
    best, span = -np.inf, (0, 0)
    for i in range(len(numbers)):
        total = 0.0
        for j in range(i, len(numbers)):
            total += numbers[j]
            if total > best:
                best, span = total, (i, j)
    return span


def _span_with_sum(numbers: list[float], target: float) -> tuple[int, int] | None:
    for i in range(len(numbers)):
        total = 0.0
        for j in range(i, len(numbers)):
            total += numbers[j]
            if abs(total - target) < 1e-9:
                return i, j
    return None


@picture("max_subarray")
def _max_subarray(func: str, values: CaseValues) -> Markup | None:
    numbers = _floats(_argument(values, 0, "nums"), ndim=1)
    if numbers is None or not numbers.size or values.expected_raises or len(numbers) > 60:
        return None
    numbers = numbers.tolist()
    cell = min(40.0, 600.0 / len(numbers))
    canvas = Canvas(max(len(numbers) * cell + 40, 480), 150, "max subarray")
    items = [f"{v:g}" for v in numbers]
    _cells(canvas, 20, 55, items, cell)
    start, stop = _best_span(numbers)
    _bracket(canvas, 20, 55 + cell + 2, start, stop, cell, REFERENCE, f"best span: sum {values.expected:g}", True)
    actual = values.actual
    if isinstance(actual, (int, float)) and not isinstance(actual, bool):
        span = _span_with_sum(numbers, float(actual))
        if span:
            _bracket(canvas, 20, 53, *span, cell, YOURS, f"a span with your sum {actual:g}", False)
        else:
            canvas.text(20, 30, f"your {actual:g} is the sum of no contiguous span", fill=BAD, bold=True)
    else:
        canvas.text(20, 30, _yours_in_words(values), fill=BAD, bold=True)
    return canvas.render()


def _too_close(text: str, k: int) -> tuple[int, int] | None:
    last: dict[str, int] = {}
    for position, letter in enumerate(text):
        if letter in last and position - last[letter] < k:
            return last[letter], position
        last[letter] = position
    return None


@picture("rearrange_string")
def _rearrange(func: str, values: CaseValues) -> Markup | None:
    source, k = _argument(values, 0, "s"), _argument(values, 1, "k")
    if not isinstance(source, str) or not isinstance(k, int) or len(source) > 60:
        return None
    cell = min(30.0, 600.0 / max(len(source), 1))
    canvas = Canvas(max(len(source) * cell + 40, 480), 210, "rearranged string")
    actual = values.actual
    canvas.text(20, 20, f"k = {k}: equal letters must be at least {k} apart", bold=True)
    if isinstance(actual, str):
        canvas.text(20, 44, "yours", fill=YOURS, bold=True)
        pair = _too_close(actual, k)
        _cells(canvas, 20, 52, list(actual), cell, red=set(pair) if pair else set())
        if pair:
            a, b = pair
            _bracket(canvas, 20, 52 + cell + 2, a, b, cell, BAD,
                     f"'{actual[a]}' at {a} and {b}: distance {b - a} < {k}", True)
        elif sorted(actual) != sorted(source):
            canvas.text(20, 52 + cell + 22, "not a rearrangement of the input: the letters differ", fill=BAD, bold=True)
        elif actual == "" and values.expected:
            canvas.text(20, 52 + cell + 22, "yours is empty, but an arrangement exists", fill=BAD, bold=True)
    else:
        canvas.text(20, 52, _yours_in_words(values), fill=BAD, bold=True)
    expected = values.expected
    canvas.text(20, 130, "the reference", fill=REFERENCE, bold=True)
    if isinstance(expected, str) and expected:
        _cells(canvas, 20, 138, list(expected), cell)
    else:
        canvas.text(20, 156, 'no arrangement exists: it returns ""', fill=REFERENCE)
    return canvas.render()



# --- labelled points (knn, kmeans) -----------------------------------------------------------------

#: Okabe-Ito: told apart by colour-blind readers too; labels beyond eight share colours.
_LABEL_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")


def _label_colour(label) -> str:
    return _LABEL_COLOURS[int(label) % len(_LABEL_COLOURS)]


def _scatter_frame(points: np.ndarray, width=480.0, height=330.0):
    """A mapping of the first two coordinates of ``points`` onto the canvas (1-d points: on a line)."""
    xy = points[:, :2] if points.shape[1] >= 2 else np.hstack([points[:, :1], np.zeros((len(points), 1))])
    low, high = xy.min(axis=0), xy.max(axis=0)
    span = np.where(high - low > 0, high - low, 1.0)

    def at(row):
        if len(row) < 2:  # points on a line, halfway down
            return 30 + (row[0] - low[0]) / span[0] * (width - 60), 75 + (height - 110) / 2
        return (30 + (row[0] - low[0]) / span[0] * (width - 60), 75 + (1 - (row[1] - low[1]) / span[1]) * (height - 110))
    return at


def _scatter_height(points: np.ndarray) -> float:
    return 330.0 if points.shape[1] >= 2 else 150.0


def _labels(value, n: int) -> np.ndarray | None:
    array = _floats(value, ndim=1)
    return array if array is not None and len(array) == n and np.all(np.isfinite(array)) else None


def _labelled(canvas: Canvas, at, points, expected, yours) -> int:
    """Each point filled with the reference's label and ringed with yours, a thick red ring where they
    differ; returns how many differ."""
    wrong = 0
    for i, (row, exp) in enumerate(zip(points, expected)):
        x, y = at(row)
        canvas.circle(x, y, 5, fill=_label_colour(exp), stroke=INK, width=0.5)
        if yours is not None:
            bad = yours[i] != exp
            wrong += bool(bad)
            canvas.circle(x, y, 9, stroke=BAD if bad else _label_colour(yours[i]), width=3 if bad else 1.5)
    return wrong


_SAME = "every label matches the reference"


def _points_caption(canvas: Canvas, values: CaseValues, yours, wrong: int, n: int, what: str, key: str,
                    all_right: str = _SAME) -> None:
    head = (_yours_in_words(values) if yours is None and values.outcome != "value" else
            "yours returned no labels of the right length" if yours is None else
            f"{wrong} of {n} {what} labelled otherwise than the reference" if wrong else all_right)
    canvas.text(20, 22, head, fill=BAD if (yours is None or wrong or all_right != _SAME) else INK, bold=True)
    for i, line in enumerate(key.split("\n")):
        canvas.text(20, 40 + 13 * i, line, size=11, fill=MUTED)


@picture("knn")
def _knn(func: str, values: CaseValues) -> Markup | None:
    train_x, test_x = _floats(_argument(values, 0, "train_x"), ndim=2), _floats(_argument(values, 2, "test_x"), ndim=2)
    if train_x is None or test_x is None or not len(test_x) or not len(train_x) or values.expected_raises:
        return None
    train_y, expected = _labels(_argument(values, 1, "train_y"), len(train_x)), _labels(values.expected, len(test_x))
    if train_y is None or expected is None or train_x.shape[1] != test_x.shape[1] or len(train_x) > 400:
        return None
    both = np.vstack([train_x, test_x])  # one frame: test points among their voters
    canvas = Canvas(480, _scatter_height(both), "k-nearest neighbours")
    at = _scatter_frame(both, height=canvas.height)
    for row, label in zip(train_x, train_y):
        x, y = at(row)
        canvas.rect(x - 3, y - 3, 6, 6, fill=_label_colour(label), opacity=0.5)
    yours = _labels(values.actual, len(test_x)) if values.outcome == "value" else None
    wrong = _labelled(canvas, at, test_x, expected, yours)
    _points_caption(canvas, values, yours, wrong, len(test_x), "test points",
                    f"squares: training points; circles: test points (k = {_argument(values, 3, 'k')})\n"
                    "filled with the reference's label, ringed with yours")
    return canvas.render()


@picture("kmeans")
def _kmeans(func: str, values: CaseValues) -> Markup | None:
    x = _floats(_argument(values, 0, "x"), ndim=2)
    expected = values.expected
    if x is None or not len(x) or values.expected_raises or not isinstance(expected, (tuple, list)):
        return None
    centres, labels = _floats(expected[0], ndim=2), _labels(expected[1], len(x))
    if centres is None or labels is None or centres.shape[1] != x.shape[1] or len(x) > 400:
        return None
    actual = values.actual if values.outcome == "value" else None
    ok_pair = isinstance(actual, (tuple, list)) and len(actual) == 2
    yours = _labels(actual[1], len(x)) if ok_pair else None
    your_centres = _floats(actual[0], ndim=2) if ok_pair else None
    if your_centres is not None and your_centres.shape[1:] != centres.shape[1:]:
        your_centres = None
    frame = [x, centres] + ([your_centres] if your_centres is not None and np.all(np.isfinite(your_centres)) else [])
    canvas = Canvas(480, _scatter_height(x), "k-means")
    at = _scatter_frame(np.vstack(frame), height=canvas.height)
    wrong = _labelled(canvas, at, x, labels, yours)
    for k, row in enumerate(centres):
        cx, cy = at(row)
        canvas.line(cx - 8, cy, cx + 8, cy, stroke=_label_colour(k), width=3)
        canvas.line(cx, cy - 8, cx, cy + 8, stroke=_label_colour(k), width=3)
    if len(frame) == 3:
        for k, row in enumerate(your_centres):
            cx, cy = at(row)
            canvas.line(cx - 6, cy - 6, cx + 6, cy + 6, stroke=INK, width=2)
            canvas.line(cx - 6, cy + 6, cx + 6, cy - 6, stroke=INK, width=2)
    centres_differ = your_centres is None or compare.float_array(centres, your_centres) is not None
    _points_caption(canvas, values, yours, wrong, len(x), "points",
                    "points filled with the reference's cluster, ringed with yours\n"
                    "+ the reference's centres, x yours",
                    all_right="every label matches, but the centres differ" if centres_differ else _SAME)
    return canvas.render()


# --- roc_auc ---------------------------------------------------------------------------------------

def _roc_points(y_true: np.ndarray, y_score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The curve drawn for a roc_auc case, one step per distinct score (ties are one diagonal step)."""
    order = np.argsort(-y_score, kind="stable")
    truth, score = y_true[order] > 0, y_score[order]
    ends = np.r_[np.flatnonzero(np.diff(score)), len(score) - 1]
    tp, fp = np.cumsum(truth)[ends], np.cumsum(~truth)[ends]
    return np.r_[0, fp] / max(fp[-1], 1), np.r_[0, tp] / max(tp[-1], 1)


def _roc_panel(canvas: Canvas, x0: float, y0: float, size: float, curves, shade=None) -> None:
    canvas.rect(x0, y0, size, size, stroke=MUTED)
    canvas.line(x0, y0 + size, x0 + size, y0, stroke=MUTED, dash="3 3")
    to_xy = lambda f, t: (x0 + f * size, y0 + (1 - t) * size)
    if shade is not None:
        fpr, tpr = shade
        canvas.polyline([to_xy(0, 0)] + [to_xy(f, t) for f, t in zip(fpr, tpr)] + [to_xy(1, 0)],
                        stroke="none", fill=REFERENCE, opacity=0.15)
    for fpr, tpr, colour, dash in curves:
        canvas.polyline([to_xy(f, t) for f, t in zip(fpr, tpr)], stroke=colour, width=2.5, dash=dash)
    canvas.text(x0 + size / 2, y0 + size + 18, "false positive rate", anchor="middle", size=11, fill=MUTED)
    canvas.text(x0 - 8, y0 + size / 2, "TPR", anchor="end", size=11, fill=MUTED)


@picture("roc_auc")
def _roc_auc(func: str, values: CaseValues) -> Markup | None:
    y_true, y_score = _floats(_argument(values, 0, "y_true"), ndim=1), _floats(_argument(values, 1, "y_score"), ndim=1)
    if (y_true is None or y_score is None or len(y_true) != len(y_score) or not len(y_true)
            or values.expected_raises or not np.all(np.isfinite(y_score))):
        return None
    size = 240
    canvas = Canvas(620, size + 90, "ROC curve")
    reference = _roc_points(y_true, y_score)
    curves = [(*reference, REFERENCE, None)]
    actual = values.actual if values.outcome == "value" else None
    if func == "roc_curve":
        yours = None
        if isinstance(actual, (tuple, list)) and len(actual) == 3:
            fpr, tpr = _floats(actual[0], ndim=1), _floats(actual[1], ndim=1)
            if fpr is not None and tpr is not None and len(fpr) == len(tpr) and np.all(np.isfinite(fpr + tpr)):
                yours = (fpr, tpr)
                curves.append((fpr, tpr, YOURS, "6 3"))
        words = (_yours_in_words(values) if actual is None else "yours returned no (fpr, tpr, thresholds)"
                 if yours is None else f"yours: {len(yours[0])} points, the reference: {len(reference[0])}")
    else:
        words = (f"AUC: the reference {values.expected:.4g}, yours {actual:.4g}"
                 if isinstance(actual, (int, float)) and not isinstance(actual, bool)
                 else _yours_in_words(values) if actual is None else "yours returned no number")
    svg.legend(canvas, 10, 16, [(REFERENCE, "the reference (area shaded)", None)]
               + ([(YOURS, "yours", "6 3")] if len(curves) > 1 else []))
    _roc_panel(canvas, 50, 40, size, curves, shade=reference)
    canvas.text(50 + size + 30, 70, words, fill=BAD, bold=True)
    for i, line in enumerate(("each distinct score is one step;", "tied scores of a positive and a negative",
                              "make one diagonal step: half a pair")):
        canvas.text(50 + size + 30, 92 + 14 * i, line, size=11, fill=MUTED)
    return canvas.render()
