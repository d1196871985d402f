"""Hidden suite for pooling: the output size with padding and a default stride, padding that must never
win a max, count_include_pad, and the backward passes: ties in a max window (torch's CPU kernel takes
the first in row-major order), overlapping windows adding up, shares that fall on padding.

When an answer is wrong, each case's checker recomputes the classic mistakes on the case's own inputs
and names the one the answer matches (without quoting data). Sizes stay at a few thousand
multiply-adds so that a pure-Python loop answer passes easily.
"""

from dataclasses import replace
from functools import partial

import numpy as np

from grader.grading import compare
from grader.grading.suite import hidden, public
from grader.grading.generators import named_rng
def _pair(v):
    return (int(v), int(v)) if np.ndim(v) == 0 else (int(v[0]), int(v[1]))


def _cells(shape, kernel_size, stride, padding):
    """For each output position (i, j): the in-bounds (row, col) cells of its window, in row-major order."""
    (kh, kw), (ph, pw) = _pair(kernel_size), _pair(padding)
    sh, sw = (kh, kw) if stride is None else _pair(stride)
    h, w = shape[2], shape[3]
    oh, ow = (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1
    for i in range(oh):
        for j in range(ow):
            yield i, j, [(r, c) for r in range(i * sh - ph, i * sh - ph + kh)
                         for c in range(j * sw - pw, j * sw - pw + kw) if 0 <= r < h and 0 <= c < w]


def _out_shape(shape, kernel_size, stride, padding):
    (kh, kw), (ph, pw) = _pair(kernel_size), _pair(padding)
    sh, sw = (kh, kw) if stride is None else _pair(stride)
    return tuple(shape[:2]) + ((shape[2] + 2 * ph - kh) // sh + 1, (shape[3] + 2 * pw - kw) // sw + 1)


def _forward_variant(func, x, kernel_size, stride=None, padding=0, *, pad_is_zero=False, exclude_pad=False):
    """The forward pass with one classic mistake switched on (for naming it, never for expected values)."""
    x = np.asarray(x, dtype=np.float64)
    kh, kw = _pair(kernel_size)
    out = np.zeros(_out_shape(x.shape, kernel_size, stride, padding))
    for i, j, cells in _cells(x.shape, kernel_size, stride, padding):
        values = np.stack([x[:, :, r, c] for r, c in cells], axis=-1)
        if func == "max_pool2d":
            best = values.max(axis=-1)
            out[:, :, i, j] = np.maximum(best, 0.0) if pad_is_zero and len(cells) < kh * kw else best
        else:
            out[:, :, i, j] = values.sum(axis=-1) / (len(cells) if exclude_pad else kh * kw)
    return out


def _max_backward_variant(dy, x, kernel_size, stride=None, padding=0, *, ties="first", overwrite=False):
    x, dy = np.asarray(x, dtype=np.float64), np.asarray(dy, dtype=np.float64)
    dx = np.zeros_like(x)
    for i, j, cells in _cells(x.shape, kernel_size, stride, padding):
        for n in range(x.shape[0]):
            for ch in range(x.shape[1]):
                values = [x[n, ch, r, c] for r, c in cells]
                top = max(values)
                tied = [cell for cell, v in zip(cells, values) if v == top]
                chosen = {"first": tied[:1], "last": tied[-1:], "all": tied}[ties]
                for r, c in chosen:
                    dx[n, ch, r, c] = dy[n, ch, i, j] if overwrite else dx[n, ch, r, c] + dy[n, ch, i, j]
    return dx


def _avg_backward_variant(dy, x_shape, kernel_size, stride=None, padding=0, *, divisor="window"):
    dy = np.asarray(dy, dtype=np.float64)
    kh, kw = _pair(kernel_size)
    dx = np.zeros(tuple(int(v) for v in x_shape))
    for i, j, cells in _cells(dx.shape, kernel_size, stride, padding):
        share = dy[:, :, i, j] / {"window": kh * kw, "none": 1, "cells": len(cells)}[divisor]
        for r, c in cells:
            dx[:, :, r, c] += share
    return dx


VARIANTS = {
    "max_pool2d": (partial(_forward_variant, "max_pool2d"), {
        "padding won a max: padded cells count as -inf, never as 0": dict(pad_is_zero=True)}),
    "avg_pool2d": (partial(_forward_variant, "avg_pool2d"), {
        "divided by the number of real cells: with count_include_pad=True every window counts kh * kw cells, "
        "padding included": dict(exclude_pad=True)}),
    "max_pool2d_backward": (_max_backward_variant, {
        "the gradient went to every tied maximum: it goes to the first one only, in row-major order within "
        "the window": dict(ties="all"),
        "ties: the gradient went to the last tied maximum; it goes to the first in row-major order (a later "
        "equal value does not replace it)": dict(ties="last"),
        "overlapping windows overwrite each other's gradient; they add up (+=)": dict(overwrite=True)}),
    "avg_pool2d_backward": (_avg_backward_variant, {
        "each cell got dy itself: spread dy / (kh * kw) over the window": dict(divisor="none"),
        "divided by the number of real cells: with count_include_pad=True each share is dy / (kh * kw), and "
        "the shares on padding are dropped": dict(divisor="cells")}),
}


def check_pool(func, args, kwargs, expected, actual):
    problem = compare.float_array(expected, actual)
    if problem is None:
        return None
    if problem.kind == compare.SHAPE:
        return compare.safe("the output has the wrong shape: (N, C, OH, OW) with OH = (H + 2*ph - kh) // sh + 1, "
                            "stride = kernel_size when None, and a pair is (height, width)"
                            if func in ("max_pool2d", "avg_pool2d") else "dx must have x's shape", compare.SHAPE)
    if problem.kind not in (compare.VALUE, compare.NAN):
        return problem
    variant, mistakes = VARIANTS[func]
    for text, switches in mistakes.items():
        try:
            candidate = variant(*args, **kwargs, **switches)
        except (ValueError, IndexError, TypeError):
            continue
        if compare.float_array(candidate, actual) is None and compare.float_array(candidate, expected) is not None:
            return compare.safe(text)
    return problem


CHECKS = {func: compare.float_array for func in VARIANTS}


def _diagnosed(case):
    return replace(case, check=partial(check_pool, case.func, case.args, case.kwargs))


def _ties(rng, *shape):
    # Few distinct small integers: windows often hold tied maxima.
    return rng.integers(0, 3, size=shape).astype(np.float64)


def _random_case(rng, func, i):
    while True:
        kh, kw = (int(v) for v in rng.integers(1, 4, size=2))
        stride = None if rng.random() < 0.3 else (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
        padding = (int(rng.integers(0, kh // 2 + 1)), int(rng.integers(0, kw // 2 + 1)))
        shape = (int(rng.integers(1, 3)), int(rng.integers(1, 3)), int(rng.integers(2, 8)), int(rng.integers(2, 8)))
        out = _out_shape(shape, (kh, kw), stride, padding)
        if min(out[2:]) >= 1:
            break
    x = _ties(rng, *shape) - 1.0 if rng.random() < 0.5 else rng.normal(size=shape)
    kwargs = dict(stride=stride, padding=padding)
    category = "random shape, kernel, stride and padding"
    if func in ("max_pool2d", "avg_pool2d"):
        return hidden(f"random_{func}_{i}", category, func, x, (kh, kw), **kwargs)
    dy = rng.normal(size=out)
    first = x if func == "max_pool2d_backward" else shape
    return hidden(f"random_{func}_{i}", category, func, dy, first, (kh, kw), **kwargs)


def cases(seeded):
    rng = named_rng()  # the named cases' data is the same at every seed; random cases use `seeded`
    doc_x = np.arange(16.0).reshape(1, 1, 4, 4)
    neg = np.array([[[[-1.0, -2.0], [-3.0, -4.0]]]])
    tie_x = np.array([[[[1.0, 5.0, 5.0], [5.0, 2.0, 5.0], [0.0, 5.0, 1.0]]]])
    all_negative = -1.0 - rng.integers(0, 5, size=(1, 2, 4, 5)).astype(np.float64)
    out = [
        public("docstring_max", "the first max_pool2d example in the docstring", "max_pool2d", doc_x, 2),
        public("docstring_max_padding", "the second max_pool2d example: padding never wins", "max_pool2d",
               neg, 2, stride=1, padding=1),
        public("docstring_avg", "the first avg_pool2d example in the docstring", "avg_pool2d", doc_x, 2),
        public("docstring_avg_padding", "the second avg_pool2d example: count_include_pad", "avg_pool2d",
               neg, 2, stride=1, padding=1),
        public("docstring_max_backward", "the max_pool2d_backward example: tied maxima", "max_pool2d_backward",
               np.ones((1, 1, 2, 2)), tie_x, 2, stride=1),
        public("docstring_avg_backward", "the avg_pool2d_backward example", "avg_pool2d_backward",
               np.ones((1, 1, 2, 2)), (1, 1, 3, 3), 2, stride=1),

        # max_pool2d.
        hidden("max_default_stride", "stride=None: non-overlapping windows (stride = kernel)", "max_pool2d",
               rng.normal(size=(2, 2, 6, 4)), 2),
        hidden("max_overlapping", "kernel 3, stride 1: overlapping windows", "max_pool2d",
               rng.normal(size=(1, 2, 5, 5)), 3, stride=1),
        hidden("max_kernel_pair", "kernel (2, 3): the pair is (height, width)", "max_pool2d",
               rng.normal(size=(1, 1, 6, 6)), (2, 3)),
        hidden("max_stride_pair", "stride (1, 2) with kernel 2", "max_pool2d", rng.normal(size=(1, 2, 4, 6)), 2,
               stride=(1, 2)),
        hidden("max_padding_negative", "all-negative input with padding 1: padding (-inf) never wins the max",
               "max_pool2d", all_negative, 3, stride=2, padding=1),
        hidden("max_padding_pair", "padding (1, 0) on negative values: rows padded, columns not", "max_pool2d",
               all_negative, (2, 3), stride=1, padding=(1, 0)),
        hidden("max_output_floor", "H = 5, kernel 2, stride 2: the last row fits no window (floor, not ceil)",
               "max_pool2d", rng.normal(size=(1, 1, 5, 7)), 2),
        hidden("max_output_floor_padded", "padding 1, kernel 3, stride 2 on 6x6: OH = (6 + 2 - 3) // 2 + 1 = 3",
               "max_pool2d", rng.normal(size=(1, 1, 6, 6)), 3, stride=2, padding=1),
        hidden("max_global", "a kernel as large as the input: one output per plane", "max_pool2d",
               rng.normal(size=(2, 3, 3, 4)), (3, 4)),
        hidden("max_lists", "nested lists of ints", "max_pool2d", [[[[1, 2, 3, 4], [5, 6, 7, 8]]]], (2, 2)),
        hidden("max_padding_too_large", "padding more than half the kernel raises ValueError", "max_pool2d",
               np.ones((1, 1, 4, 4)), 2, padding=2),
        hidden("max_output_size_zero", "a kernel larger than the padded input raises ValueError", "max_pool2d",
               np.ones((1, 1, 2, 5)), 3),
        hidden("max_not_4d", "a 3-d x raises ValueError", "max_pool2d", np.ones((1, 4, 4)), 2),
        hidden("max_stride_zero", "stride 0 raises ValueError", "max_pool2d", np.ones((1, 1, 4, 4)), 2, stride=0),

        # avg_pool2d.
        hidden("avg_default_stride", "stride=None: non-overlapping windows", "avg_pool2d",
               rng.normal(size=(2, 2, 4, 6)), 2),
        hidden("avg_overlapping", "kernel 3, stride 1", "avg_pool2d", rng.normal(size=(1, 1, 5, 4)), 3, stride=1),
        hidden("avg_padding_counts_pad", "padding 1: every window divides by kh * kw, padded cells included",
               "avg_pool2d", rng.normal(size=(1, 2, 4, 4)) + 3, 3, stride=1, padding=1),
        hidden("avg_padding_pair", "padding (0, 1) with kernel (2, 2), stride 2", "avg_pool2d",
               rng.normal(size=(1, 1, 4, 5)) + 2, 2, padding=(0, 1)),
        hidden("avg_kernel_pair", "kernel (3, 1): a vertical window", "avg_pool2d",
               rng.normal(size=(1, 1, 6, 3)), (3, 1)),
        hidden("avg_output_floor", "W = 7, kernel 3, stride 3: the last column fits no window", "avg_pool2d",
               rng.normal(size=(1, 1, 3, 7)), 3),
        hidden("avg_padding_too_large", "padding (0, 2) with kernel 3 raises ValueError", "avg_pool2d",
               np.ones((1, 1, 4, 4)), 3, padding=(0, 2)),
        hidden("avg_output_size_zero", "kernel (1, 6) on a width of 5 raises ValueError", "avg_pool2d",
               np.ones((1, 1, 4, 5)), (1, 6)),

        # max_pool2d_backward.
        hidden("max_backward_constant_plane", "every element equal: each window's gradient goes to its first cell",
               "max_pool2d_backward", rng.normal(size=(1, 2, 2, 2)), np.full((1, 2, 4, 4), 3.0), 2),
        hidden("max_backward_plateau_padded", "a plateau with padding 1, stride 1: ties go to the first real cell",
               "max_pool2d_backward", rng.normal(size=(1, 1, 4, 4)), np.ones((1, 1, 3, 3)), 2, stride=1,
               padding=1),
        hidden("max_backward_ties", "small integers, many tied maxima, stride 1", "max_pool2d_backward",
               rng.normal(size=(2, 1, 4, 4)), _ties(rng, 2, 1, 5, 5), 2, stride=1),
        hidden("max_backward_overlap_sum", "one element is the max of several overlapping windows: gradients add",
               "max_pool2d_backward", rng.normal(size=(1, 1, 3, 3)),
               np.pad([[[[9.0]]]], ((0, 0), (0, 0), (2, 2), (2, 2))) + rng.uniform(0, 1, size=(1, 1, 5, 5)),
               3, stride=1),
        hidden("max_backward_no_overlap", "non-overlapping windows, distinct values", "max_pool2d_backward",
               rng.normal(size=(1, 2, 2, 3)), rng.normal(size=(1, 2, 4, 6)), 2),
        hidden("max_backward_padding_negative", "negative input with padding: the gradient goes to real cells",
               "max_pool2d_backward", rng.normal(size=(1, 2, 2, 3)), all_negative, 3, stride=2, padding=1),
        hidden("max_backward_stride_gap", "stride 3 with kernel 2: cells in no window get 0", "max_pool2d_backward",
               rng.normal(size=(1, 1, 2, 2)), rng.normal(size=(1, 1, 6, 6)), 2, stride=3),
        hidden("max_backward_dy_shape", "dy not of the output's shape raises ValueError", "max_pool2d_backward",
               np.ones((1, 1, 3, 3)), np.ones((1, 1, 4, 4)), 2),

        # avg_pool2d_backward.
        hidden("avg_backward_no_overlap", "non-overlapping windows: each cell gets dy / (kh * kw)",
               "avg_pool2d_backward", rng.normal(size=(2, 1, 2, 3)), (2, 1, 4, 6), 2),
        hidden("avg_backward_overlap", "kernel 3, stride 1: shares from overlapping windows add up",
               "avg_pool2d_backward", rng.normal(size=(1, 2, 3, 3)), (1, 2, 5, 5), 3, stride=1),
        hidden("avg_backward_padding", "padding 1: shares that fall on padding are dropped", "avg_pool2d_backward",
               rng.normal(size=(1, 1, 4, 4)), (1, 1, 4, 4), 3, stride=1, padding=1),
        hidden("avg_backward_padding_pair", "padding (1, 0), kernel (2, 3), stride (2, 1)", "avg_pool2d_backward",
               rng.normal(size=(1, 1, 3, 3)), (1, 1, 4, 5), (2, 3), stride=(2, 1), padding=(1, 0)),
        hidden("avg_backward_stride_gap", "stride 3 with kernel 2: cells in no window get 0", "avg_pool2d_backward",
               rng.normal(size=(1, 1, 2, 2)), (1, 1, 5, 6), 2, stride=3),
        hidden("avg_backward_list_shape", "x_shape given as a list", "avg_pool2d_backward",
               rng.normal(size=(1, 1, 2, 2)), [1, 1, 4, 4], 2),
        hidden("avg_backward_dy_shape", "dy not of the output's shape raises ValueError", "avg_pool2d_backward",
               np.ones((1, 1, 2, 3)), (1, 1, 4, 4), 2),
    ]
    for func in VARIANTS:
        out += [_random_case(seeded, func, i) for i in range(2)]
    return [_diagnosed(case) for case in out]
