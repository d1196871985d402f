"""Pure comparisons: is an actual value close enough to the expected one, and if not, how does it differ.

Every checker has the signature ``check(expected, actual) -> Problem | None``: ``None`` means the
values agree, a ``Problem`` is one sentence for the learner, what kind of difference it is, and whether
it is free of data (``safe``: hidden cases may show it). Checkers only ever see plain data decoded from the
worker (numbers, strings, lists, numeric ndarrays), never an object the attempt built, so a lying
``__eq__`` or a patched ``numpy.allclose`` in the child cannot reach them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Callable

import numpy as np

from grader.sandbox.worker import Unsupported  # noqa: F401  (checkers recognise it; part of this API)

Checker = Callable[[Any, Any], "Problem | None"]

#: The contract's tolerance for floating results (stated in every stub): loose enough for float32
#: arithmetic, tight enough that any real mistake in these exercises is far outside it.
RTOL = 1e-5
ATOL = 1e-6


#: What kind of difference a Problem describes, so a suite can add its own explanation by kind
#: rather than by the wording of a sentence.
TYPE, SHAPE, DTYPE, NAN, VALUE, ORDER, COUNT = "type", "shape", "dtype", "nan", "value", "order", "count"


@dataclass(frozen=True)
class Problem:
    """How an actual value differs from the expected one."""
    text: str
    kind: str = VALUE
    safe: bool = False
    """True when ``text`` holds no input or output data, so hidden cases may show it too."""

    def __str__(self) -> str:
        return self.text

    def __contains__(self, words: str) -> bool:
        return words in self.text

    def prefixed(self, prefix: str) -> "Problem":
        """The same problem introduced by ``prefix``; it stays safe only if the prefix is free of data too
        (pass a literal)."""
        return replace(self, text=prefix + self.text)

    def explained(self, text: str, *, safe: bool | None = None) -> "Problem":
        """A sentence that replaces this one (typically quoting it); data-free only if said so."""
        return replace(self, text=text, safe=self.safe if safe is None else safe)


def wrong(text: str, kind: str = VALUE) -> Problem:
    """A sentence that may quote data: public cases show it, hidden cases say only "wrong answer"."""
    return Problem(text, kind, False)


def safe(text: str, kind: str = VALUE) -> Problem:
    """A sentence that holds no input or output data: hidden cases show it too."""
    return Problem(text, kind, True)


def as_problem(value: "Problem | str | None") -> "Problem | None":
    """A checker's answer as a Problem (a plain string is a sentence that may hold data)."""
    if value is None or isinstance(value, Problem):
        return value
    return wrong(str(value))




def _as_numeric_array(value: Any) -> tuple[np.ndarray | None, Problem | None]:
    if isinstance(value, Unsupported):
        return None, safe(f"returned a {value.type_name}, expected an array or a list of numbers", TYPE)
    if value is None:
        return None, safe("returned None, expected an array or a list of numbers (is a return missing?)", TYPE)
    if isinstance(value, str):
        return None, wrong(f"returned {type(value).__name__} {value!r}, expected an array or a list of numbers", TYPE)
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError):
        return None, safe("returned a ragged or mixed list, expected a rectangular array of numbers", TYPE)
    if arr.dtype.kind not in "biuf":
        return None, safe(f"returned values of type {arr.dtype}, expected numbers", TYPE)
    return arr, None


def numeric_array(value: Any) -> np.ndarray | None:
    """The value as a numeric ndarray, or None when it is not a (rectangular) list or array of numbers.
    For checkers that, once the plain comparison failed, look for the likely cause."""
    if not isinstance(value, (list, tuple, np.ndarray)):
        return None
    arr, problem = _as_numeric_array(value)
    return None if problem else arr


def _where(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in index) + "]"


def _close_problem(largest: float, *, rtol: float, atol: float) -> Problem:
    return safe(f"close: largest error {largest:.2g}, above the tolerance (rtol={rtol:g}, atol={atol:g})")


def float_array(expected: Any, actual: Any, *, rtol: float = RTOL, atol: float = ATOL,
                dtype: Any = None) -> Problem | None:
    """Arrays of floats: same shape, every element within tolerance (NaN only where NaN is expected).
    An empty result may be any array or list of size 0, whatever its shape. ``dtype``: the contract
    names the output's dtype, and an array of another dtype fails with a sentence naming it."""
    exp = np.asarray(expected, dtype=np.float64)
    act, problem = _as_numeric_array(actual)
    if problem:
        return problem
    if exp.size == 0 and act.size == 0:
        return None
    if act.shape != exp.shape:
        if act.size == 0:
            return safe("returned an empty array where values were expected", SHAPE)
        return wrong(f"shape differs: expected {exp.shape}, got {act.shape}", SHAPE)
    if dtype is not None and isinstance(actual, np.ndarray) and act.dtype != np.dtype(dtype):
        return safe(f"returned an array of dtype {act.dtype}; the contract asks for {np.dtype(dtype)}", DTYPE)
    act = act.astype(np.float64)
    exp_nan, act_nan = np.isnan(exp), np.isnan(act)
    if (exp_nan != act_nan).any():
        where = np.argwhere(exp_nan != act_nan)[0]
        return wrong(f"NaN where a number was expected (or the reverse) at {_where(tuple(where))}", NAN)
    # An infinity is matched exactly: rtol * inf would accept any finite number, and inf - inf is NaN.
    exp_inf, act_inf = np.isinf(exp), np.isinf(act)
    if (exp_inf != act_inf).any() or (exp[exp_inf] != act[exp_inf]).any():
        where = np.argwhere((exp_inf != act_inf) | (exp_inf & (exp != act)))[0]
        return wrong(f"an infinity where another value was expected (or the reverse) at {_where(tuple(where))}")
    fixed = exp_nan | exp_inf
    with np.errstate(invalid="ignore"):
        diff = np.where(fixed, 0.0, np.abs(act - exp))
    bad = diff > atol + rtol * np.abs(np.where(fixed, 0.0, exp))
    if not bad.any():
        return None
    worst = np.unravel_index(int(np.argmax(np.where(bad, diff, -1.0))), diff.shape)
    count = int(bad.sum())
    if _near_miss(diff[bad], exp[bad], rtol=rtol, atol=atol):
        return _close_problem(float(diff[worst]), rtol=rtol, atol=atol)
    return wrong(f"{count} of {exp.size} values differ; max abs error {float(diff[worst]):.6g} at "
                   f"{_where(tuple(int(i) for i in worst))} (expected {float(exp[worst]):.6g}, "
                   f"got {float(act[worst]):.6g})")


def _near_miss(diff, exp, *, rtol: float, atol: float) -> bool:
    """Every error within 100 times the tolerance: a precision problem, not a wrong method. Such an
    error says nothing about the data, so hidden cases may show its size."""
    exp = np.where(np.isnan(exp), 0.0, exp)
    return bool(np.all(diff <= 100 * (atol + rtol * np.abs(exp))))


def scalar(expected: Any, actual: Any, *, rtol: float = RTOL, atol: float = ATOL) -> Problem | None:
    """One number within tolerance. A 0-d or 1-element array is accepted as a number."""
    if actual is None:
        return safe("returned None, expected a number (is a return missing?)", TYPE)
    if isinstance(actual, bool) or isinstance(actual, (str, Unsupported)):
        return wrong(f"returned {actual!r} ({type(actual).__name__}), expected a number", TYPE)
    if isinstance(actual, (np.ndarray, list, tuple)):
        arr, problem = _as_numeric_array(actual)
        if problem or arr.size != 1:
            return problem or safe(f"returned an array of shape {arr.shape}, expected a single number", SHAPE)
        actual = arr.reshape(()).item()
    if not isinstance(actual, (int, float, np.number)):
        return safe(f"returned a {type(actual).__name__}, expected a number", TYPE)
    exp, act = float(expected), float(actual)
    if math.isnan(exp) and math.isnan(act):
        return None
    if math.isclose(exp, act, rel_tol=rtol, abs_tol=atol):
        return None
    if math.isfinite(act) and math.isfinite(exp) and _near_miss(np.array([abs(act - exp)]), np.array([exp]),
                                                                rtol=rtol, atol=atol):
        return _close_problem(abs(act - exp), rtol=rtol, atol=atol)
    return wrong(f"expected {exp:.10g}, got {act:.10g} (off by {act - exp:+.3g})")


def exact_number(expected: Any, actual: Any) -> Problem | None:
    """A number that must be exact (integer sums and the like); 5.0 for 5 is accepted."""
    return scalar(expected, actual, rtol=0.0, atol=0.0)


def indices(expected: Any, actual: Any) -> Problem | None:
    """A 1-d sequence of integer indices, exact and in order."""
    exp = np.asarray(expected, dtype=np.int64).reshape(-1)
    act, problem = _as_numeric_array(actual)
    if problem:
        return problem
    if act.size == 0:
        act = np.zeros(0, dtype=np.int64)  # an empty result may be [] or any size-0 array
    if act.ndim != 1:
        return safe(f"expected a 1-d sequence of indices, got shape {act.shape}", SHAPE)
    if act.dtype.kind not in "iu":
        if act.dtype.kind == "f" and np.all(np.isfinite(act)) and np.all(act == np.round(act)):
            return safe(f"indices must be integers, got dtype {act.dtype} (use an int array or a list of ints)", DTYPE)
        return safe(f"indices must be integers, got dtype {act.dtype}", DTYPE)
    act = act.astype(np.int64)
    if np.array_equal(exp, act):
        return None
    if exp.size != act.size:
        # Each set built once: the answer may hold millions of indices (linear, not quadratic).
        exp_set, act_set = set(exp.tolist()), set(act.tolist())
        missing = [i for i in exp.tolist() if i not in act_set]
        extra = [i for i in act.tolist() if i not in exp_set]
        detail = []
        if missing:
            detail.append(f"missing {_short(missing)}")
        if extra:
            detail.append(f"unexpected {_short(extra)}")
        return wrong(f"expected {exp.size} indices, got {act.size}" + (f": {', '.join(detail)}" if detail else ""), COUNT)
    if sorted(exp.tolist()) == sorted(act.tolist()):
        return safe("the right indices in the wrong order (expected descending score order)", ORDER)
    first = int(np.argmax(exp != act))
    return wrong(f"indices differ from position {first}: expected {int(exp[first])}, got {int(act[first])}")


def _short(values: list[int], limit: int = 8) -> str:
    shown = ", ".join(str(v) for v in values[:limit])
    return shown + (f", ... ({len(values)} in all)" if len(values) > limit else "")


def describe(value: Any, limit: int = 300, *, formatter: dict | None = None) -> str:
    """A short, readable rendering of a value for public-case reports; an image keeps one row a line,
    its rows aligned under the first."""
    if isinstance(value, np.ndarray):
        with np.printoptions(precision=6, suppress=True, threshold=40, edgeitems=3):
            text = (f"array({np.array2string(value, separator=', ', prefix='array(', formatter=formatter)}, "
                    f"dtype={value.dtype})")
        if value.ndim < 2:
            text = " ".join(text.split())
    elif isinstance(value, float):
        text = f"{value:.10g}"
    elif isinstance(value, (list, tuple)) and len(value) > limit:
        # repr of the whole of a long answer would only be cut: render no more than can be shown.
        text = repr(type(value)(value[:limit]))
        text = text[:limit] + "..."
    else:
        text = repr(value)
    text = " ".join(text.split()) if "\n" in text and len(text) < 120 and not isinstance(value, np.ndarray) else text
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe_pair(expected: Any, actual: Any, limit: int = 300) -> tuple[str, str]:
    """``describe`` of both values; two float images of the same shape share one number format, so
    printed one above the other their columns line up."""
    if not (isinstance(expected, np.ndarray) and isinstance(actual, np.ndarray)
            and expected.shape == actual.shape and expected.ndim >= 2 and expected.size
            and expected.dtype.kind == actual.dtype.kind == "f"):
        return describe(expected, limit), describe(actual, limit)
    both = np.concatenate([expected.ravel(), actual.ravel()])
    finite = both[np.isfinite(both)]
    # The fewest decimals that show every value as it would print alone (at most 6).
    decimals = next(places for places in range(7)
                    if np.allclose(np.round(finite, places), np.round(finite, 6), rtol=0, atol=1e-12))
    width = max((len(f"{v:.{decimals}f}") for v in both), default=1)

    def number(v):
        return f"{v:{width}.{decimals}f}"
    formatter = {"float_kind": number}
    return describe(expected, limit, formatter=formatter), describe(actual, limit, formatter=formatter)


def tuple_of(*parts):
    """A checker for a function that returns a tuple: ``parts`` are (name, checker) pairs, checked in
    order; a problem is introduced by the name of the part it is about."""
    names = ", ".join(name for name, _ in parts)

    def check(expected, actual):
        if isinstance(actual, np.ndarray) or not isinstance(actual, (tuple, list)):
            return safe(f"returned a single value; return a tuple ({names})", TYPE)
        if len(actual) != len(parts):
            return safe(f"returned {len(actual)} values; return a tuple ({names})", COUNT)
        for (name, checker), exp, act in zip(parts, expected, actual):
            problem = as_problem(checker(exp, act))
            if problem:
                return problem.prefixed(f"{name}: ")
        return None

    return check


def tensor_check(*axes, rtol=RTOL, atol=ATOL):
    """A checker for one float array whose axes have names, e.g. ``tensor_check("N", "C*KH*KW", "L")``;
    a leading ``"..."`` stands for any number of batch axes. A wrong shape is said in those names, not
    in numbers, so hidden cases can show it."""
    def check(expected, actual):
        problem = float_array(expected, actual, rtol=rtol, atol=atol)
        if problem is None or problem.kind != SHAPE:
            return problem
        array = numeric_array(actual)
        if array is None:  # a bare number, or something that is no array at all: float_array said it
            return problem
        exp_shape, act_shape = np.shape(expected), array.shape
        names = list(axes)
        if names and names[0] == "...":
            names = [f"batch axis {i}" for i in range(len(exp_shape) - len(names) + 1)] + names[1:]
        wanted = f"({', '.join(axes)})"
        if len(act_shape) != len(exp_shape):
            return safe(f"returned an array with {len(act_shape)} axes, expected {len(exp_shape)}: "
                                f"{wanted}", SHAPE)
        off = [name for name, e, a in zip(names, exp_shape, act_shape) if e != a]
        return safe(f"the shape is wrong along {', '.join(off)}; expected {wanted}", SHAPE)

    return check
