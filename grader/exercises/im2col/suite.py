"""Hidden suite for im2col / col2im: each named case aims at one mistake people make unfolding by hand.

Sizes stay small (a few thousand values per case) so that an answer looping over every output element
in Python passes well within the default time limit.
"""

import numpy as np

from grader import catalog
from grader.grading import compare
from grader.grading.suite import hidden, public
from grader.grading.generators import as_pair, int_or_pair, named_rng, small_ints
from grader.grading.compare import tensor_check
from grader.grading.suite import diagnosing
_IM2COL_SHAPE = tensor_check("N", "C*KH*KW", "L")


def _multiset(rows):
    # Rows as a sorted list of rounded tuples: equal multisets mean the same rows in another order.
    return sorted(map(tuple, np.round(rows, 6).tolist()))


def check_im2col(expected, actual):
    """The shape in words, then the two orderings people get wrong: rows and columns."""
    problem = _IM2COL_SHAPE(expected, actual)
    if problem is None or problem.kind != compare.VALUE:
        return problem
    exp = np.asarray(expected, dtype=np.float64)
    act = compare.numeric_array(actual).astype(np.float64)
    for n in range(exp.shape[0]):
        if _multiset(exp[n]) == _multiset(act[n]) and not np.allclose(exp[n], act[n]):
            return compare.safe("every row holds the right values but the rows are in the wrong order: row "
                                "c*KH*KW + a*KW + b takes channel c, kernel row a, kernel column b (channel first)")
        if _multiset(exp[n].T) == _multiset(act[n].T) and not np.allclose(exp[n], act[n]):
            return compare.safe("every column holds the right window but the columns are in the wrong order: "
                                "column i*OW + j is window row i, window column j (row by row)")
    return problem


CHECKS = {"im2col": check_im2col, "col2im": tensor_check("N", "C", "H", "W")}


def _col2im_mistakes(cols, output_size, kernel_size, stride=1, padding=0, dilation=1):
    """What the classic col2im mistakes return on this input (the reference on reordered columns, and an
    overwriting fold), with the sentence that names each."""
    col2im = catalog.get("im2col").reference().col2im
    cols = np.asarray(cols, dtype=np.float64)
    geometry = dict(stride=stride, padding=padding, dilation=dilation)
    (h, w), (kh, kw) = as_pair(output_size), as_pair(kernel_size)
    oh, ow = _positions(h, w, kernel_size, **geometry)
    n, rows, _ = cols.shape
    c = rows // (kh * kw)
    by_kernel_first = cols.reshape(n, kh, kw, c, -1).transpose(0, 3, 1, 2, 4).reshape(cols.shape)
    yield (col2im(by_kernel_first, output_size, kernel_size, **geometry),
           "the rows are read kernel position first; row c*KH*KW + a*KW + b is channel c, kernel row a, kernel "
           "column b (channel first)")
    by_columns = cols.reshape(n, rows, ow, oh).swapaxes(-1, -2).reshape(cols.shape)
    yield (col2im(by_columns, output_size, kernel_size, **geometry),
           "the columns are read column by column; column i*OW + j is window row i, window column j (row by row)")
    (sh, sw), (ph, pw), (dh, dw) = (as_pair(v) for v in (stride, padding, dilation))
    image = np.zeros((n, c, h + 2 * ph, w + 2 * pw))
    taps = cols.reshape(n, c, kh, kw, oh, ow)
    for a in range(kh):
        for b in range(kw):
            image[:, :, a * dh:a * dh + sh * (oh - 1) + 1:sh, b * dw:b * dw + sw * (ow - 1) + 1:sw] = taps[:, :, a, b]
    yield (image[:, :, ph:ph + h, pw:pw + w],
           "overlapping windows overwrite each other: ADD each value into the image (+=), a pixel covered by "
           "several windows gets their sum")


def _positions(h, w, kernel, stride=1, padding=0, dilation=1):
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = map(as_pair, (kernel, stride, padding, dilation))
    return (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1, (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1


def _cols(rng, n, c, size, kernel, **kw):
    """Random columns that fit col2im(cols, size, kernel, **kw)."""
    oh, ow = _positions(*as_pair(size), kernel, **kw)
    kh, kwidth = as_pair(kernel)
    return small_ints(rng, n, c * kh * kwidth, oh * ow)


def _random_geometry(rng):
    while True:
        n, c = int(rng.integers(1, 3)), int(rng.integers(1, 4))
        h, w = (int(v) for v in rng.integers(2, 9, size=2))
        kernel = int_or_pair(rng, 1, 3)
        stride, padding, dilation = int_or_pair(rng, 1, 3), int_or_pair(rng, 0, 2), int_or_pair(rng, 1, 2)
        oh, ow = _positions(h, w, kernel, stride, padding, dilation)
        kh, kw = as_pair(kernel)
        if oh >= 1 and ow >= 1 and n * c * kh * kw * oh * ow <= 3000:
            return n, c, (h, w), kernel, dict(stride=stride, padding=padding, dilation=dilation)


def _random_cases(rng, count):
    out = []
    for i in range(count):
        n, c, (h, w), kernel, kw = _random_geometry(rng)
        out.append(hidden(f"random_im2col_{i}", "random shapes, kernel, stride, padding and dilation", "im2col",
                          rng.normal(size=(n, c, h, w)), kernel, **kw))
    for i in range(count):
        n, c, size, kernel, kw = _random_geometry(rng)
        kh, kwidth = as_pair(kernel)
        oh, ow = _positions(*size, kernel, **kw)
        out.append(hidden(f"random_col2im_{i}", "random shapes, kernel, stride, padding and dilation", "col2im",
                          rng.normal(size=(n, c * kh * kwidth, oh * ow)), size, kernel, **kw))
    return out


def cases(rng):
    fixed = named_rng()  # the named cases are the same at every seed; only the random ones vary
    x3 = np.array([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]])
    out = [
        public("docstring_im2col", "the first im2col example in the docstring", "im2col", x3, 2),
        public("docstring_channels_first", "the second im2col example: rows take the channel first", "im2col",
               np.arange(8).reshape(1, 2, 2, 2), (1, 2)),
        public("docstring_col2im", "the col2im example: overlapping windows are summed", "col2im",
               np.ones((1, 4, 4)), (3, 3), 2),

        # im2col: the layout.
        hidden("rows_channel_first", "3 channels, a 2x3 kernel: row c*KH*KW + a*KW + b (channel first)",
               "im2col", small_ints(fixed, 1, 3, 4, 5), (2, 3)),
        hidden("columns_row_by_row", "a 2x4 grid of windows: column i*OW + j (row by row)", "im2col",
               small_ints(fixed, 1, 1, 3, 5), 2),
        hidden("nonsquare_kernel", "a 3x1 kernel: (KH, KW) is (height, width)", "im2col",
               small_ints(fixed, 1, 2, 5, 4), (3, 1)),
        hidden("batch", "a batch of N = 3 images, each unfolded on its own", "im2col",
               small_ints(fixed, 3, 2, 4, 4), 3),
        hidden("kernel_1x1", "a 1x1 kernel: each pixel is its own window", "im2col", small_ints(fixed, 2, 3, 3, 4), 1),
        hidden("full_size_kernel", "a kernel as large as the input: one window (L = 1)", "im2col",
               small_ints(fixed, 2, 2, 3, 4), (3, 4)),
        hidden("list_input", "nested lists of ints as input", "im2col",
               small_ints(fixed, 1, 2, 3, 3).astype(int).tolist(), 2),
        hidden("single_pixel", "a 1x1 image with a 1x1 kernel", "im2col", np.array([[[[2.5]], [[-1.0]]]]), 1),

        # im2col: stride, padding, dilation.
        hidden("stride_int", "stride 2 (an int): every second window position", "im2col",
               small_ints(fixed, 1, 1, 7, 7), 3, stride=2),
        hidden("stride_pair", "stride (2, 1): the pair is (height, width)", "im2col",
               small_ints(fixed, 1, 2, 7, 5), 2, stride=(2, 1)),
        hidden("stride_past_kernel", "stride 3 with a 2x2 kernel: some pixels are in no window", "im2col",
               small_ints(fixed, 1, 1, 8, 7), 2, stride=3),
        hidden("padding_int", "padding 1 (an int): border windows read zeros", "im2col",
               small_ints(fixed, 1, 2, 3, 4), 3, padding=1),
        hidden("padding_pair", "padding (2, 0): two rows of zeros above and below, no columns", "im2col",
               small_ints(fixed, 1, 1, 3, 4), 3, padding=(2, 0)),
        hidden("padding_wider_than_kernel", "padding 2 with a 1x1 kernel: whole windows of zeros", "im2col",
               small_ints(fixed, 1, 1, 2, 3), 1, padding=2),
        hidden("dilation_int", "dilation 2 (an int): kernel taps 2 pixels apart", "im2col",
               small_ints(fixed, 1, 1, 6, 6), 2, dilation=2),
        hidden("dilation_pair", "dilation (1, 3): the pair is (height, width)", "im2col",
               small_ints(fixed, 1, 2, 4, 8), 2, dilation=(1, 3)),
        hidden("all_pairs", "kernel (3, 2), stride (2, 1), padding (1, 2), dilation (2, 1) together", "im2col",
               small_ints(fixed, 2, 2, 7, 5), (3, 2), stride=(2, 1), padding=(1, 2), dilation=(2, 1)),
        hidden("output_size_zero", "a kernel one pixel too tall: OH = 0 raises ValueError (not an empty array)",
               "im2col", np.ones((1, 1, 3, 5)), (4, 2)),
        hidden("dilation_output_size_zero", "dilation makes the kernel too wide: OW = 0 raises ValueError",
               "im2col", np.ones((1, 1, 6, 4)), 3, dilation=2),

        # col2im: overlaps, layout, cropping.
        hidden("col2im_overlaps_summed", "stride 1, a 3x3 kernel: a pixel in several windows gets their sum",
               "col2im", _cols(fixed, 1, 1, (5, 5), 3), (5, 5), 3),
        hidden("col2im_no_overlap", "stride equal to the kernel: every pixel in exactly one window", "col2im",
               _cols(fixed, 1, 2, (4, 6), 2, stride=2), (4, 6), 2, stride=2),
        hidden("col2im_uncovered_pixels_zero", "stride 3 with a 2x2 kernel: pixels in no window stay 0", "col2im",
               _cols(fixed, 1, 1, (7, 8), 2, stride=3), (7, 8), 2, stride=3),
        hidden("col2im_channels", "3 channels, a 2x3 kernel: rows are split channel first", "col2im",
               _cols(fixed, 1, 3, (4, 5), (2, 3)), (4, 5), (2, 3)),
        hidden("col2im_batch", "a batch of N = 3, each folded on its own", "col2im",
               _cols(fixed, 3, 2, (4, 4), 2), (4, 4), 2),
        hidden("col2im_nonsquare_output", "output_size (3, 6): (H, W) is (height, width)", "col2im",
               _cols(fixed, 1, 1, (3, 6), 2), (3, 6), 2),
        hidden("col2im_output_size_int", "output_size 4 (an int) means 4x4", "col2im",
               _cols(fixed, 1, 1, (4, 4), 3), 4, 3),
        hidden("col2im_stride_pair", "stride (1, 2): the pair is (height, width)", "col2im",
               _cols(fixed, 1, 1, (5, 6), 2, stride=(1, 2)), (5, 6), 2, stride=(1, 2)),
        hidden("col2im_padding", "padding 1: values that land on the padding are dropped", "col2im",
               _cols(fixed, 1, 2, (3, 4), 3, padding=1), (3, 4), 3, padding=1),
        hidden("col2im_padding_pair", "padding (0, 2): only columns are padded, then cut off", "col2im",
               _cols(fixed, 1, 1, (4, 3), 2, padding=(0, 2)), (4, 3), 2, padding=(0, 2)),
        hidden("col2im_dilation", "dilation 2: kernel taps land 2 pixels apart", "col2im",
               _cols(fixed, 1, 1, (6, 6), 2, dilation=2), (6, 6), 2, dilation=2),
        hidden("col2im_all_pairs", "kernel (3, 2), stride (2, 1), padding (1, 2), dilation (2, 1) together",
               "col2im", _cols(fixed, 2, 2, (7, 5), (3, 2), stride=(2, 1), padding=(1, 2), dilation=(2, 1)),
               (7, 5), (3, 2), stride=(2, 1), padding=(1, 2), dilation=(2, 1)),
        hidden("col2im_length_mismatch", "L below the OH * OW that output_size gives raises ValueError", "col2im",
               np.ones((1, 4, 3)), (3, 3), 2),
        hidden("col2im_rows_not_divisible", "C*KH*KW rows not a multiple of KH*KW raise ValueError", "col2im",
               np.ones((1, 6, 4)), (3, 3), 2),
    ]
    out += _random_cases(rng, 4)
    return [diagnosing(case, CHECKS["col2im"], _col2im_mistakes) if case.func == "col2im" else case for case in out]
