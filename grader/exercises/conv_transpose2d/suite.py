"""Hidden suite for conv_transpose2d: each named case aims at one mistake people make scattering by hand.

Sizes stay small (at most a few thousand multiply-adds per case) so that an answer with eight nested
Python loops passes well within the default time limit.
"""

import numpy as np

from grader import catalog
from grader.grading.suite import hidden, public
from grader.grading.generators import as_pair, int_or_pair, named_rng, small_ints
from grader.grading.compare import tensor_check
from grader.grading.suite import diagnosing
FUNC = "conv_transpose2d"
CHECKS = {FUNC: tensor_check("N", "C_out", "OH", "OW")}


def _known_mistakes(x, weight, bias=None, stride=1, padding=0, output_padding=0, dilation=1, groups=1):
    """What the classic mistakes return on this input, computed with the reference on altered arguments."""
    reference = catalog.get(FUNC).reference().conv_transpose2d
    x, weight = np.asarray(x, dtype=np.float64), np.asarray(weight, dtype=np.float64)
    geometry = dict(stride=stride, dilation=dilation)
    kwargs = dict(geometry, padding=padding, output_padding=output_padding, groups=groups)
    shift = 0.0 if bias is None else np.asarray(bias, dtype=np.float64)[None, :, None, None]
    yield (reference(x, weight[:, :, ::-1, ::-1], bias, **kwargs),
           "the kernel comes out rotated by 180 degrees: each input pixel scatters weight[c, o, a, b] to "
           "(i*sh + a*dh, j*sw + b*dw) as it is (zero insertion followed by a cross-correlation needs the flip)")
    if groups == 1 and weight.shape[0] == weight.shape[1]:
        yield (reference(x, weight.swapaxes(0, 1), bias, **kwargs),
               "weight is read as conv2d's (C_out, C_in, KH, KW); here it is (C_in, C_out // groups, KH, KW): "
               "weight[c, o] links input channel c to output channel o")
    if bias is not None:
        copies = reference(np.ones_like(x), np.ones_like(weight), **kwargs)
        yield (reference(x, weight, **kwargs) + shift * copies,
               "the bias is added with every scattered copy; add bias[o] once to each output pixel, at the end")
    if groups > 1:
        plain = reference(x, weight, **kwargs)
        first = sum(np.split(plain, groups, axis=1))
        yield (np.concatenate([first] + [np.zeros_like(first)] * (groups - 1), axis=1) + shift,
               "with groups, input block g feeds its own output block g (channels g*C_out/groups onwards), "
               "not the first block")
    (oph, opw), (ph, pw) = as_pair(output_padding), as_pair(padding)
    if oph or opw:
        full = reference(x, weight, groups=groups, **geometry)
        moved = np.pad(full, ((0, 0), (0, 0), (oph, 0), (opw, 0)))
        yield (moved[:, :, ph:moved.shape[2] - ph, pw:moved.shape[3] - pw] + shift,
               "output_padding adds rows at the bottom and columns at the right only, not at the top or left")


def _random_case(rng, i):
    while True:
        groups = int(rng.choice([1, 1, 2, 3]))
        c_in, cog = groups * int(rng.integers(1, 3)), int(rng.integers(1, 3))
        n, (h, w) = int(rng.integers(1, 3)), (int(v) for v in rng.integers(1, 6, size=2))
        kh, kw = (int(v) for v in rng.integers(1, 4, size=2))
        stride, padding, dilation = int_or_pair(rng, 1, 3), int_or_pair(rng, 0, 2), int_or_pair(rng, 1, 2)
        (sh, sw), (ph, pw), (dh, dw) = as_pair(stride), as_pair(padding), as_pair(dilation)
        output_padding = (int(rng.integers(0, max(sh, dh))), int(rng.integers(0, max(sw, dw))))
        oh = (h - 1) * sh - 2 * ph + dh * (kh - 1) + output_padding[0] + 1
        ow = (w - 1) * sw - 2 * pw + dw * (kw - 1) + output_padding[1] + 1
        if oh >= 1 and ow >= 1 and n * c_in * h * w * cog * kh * kw <= 3000:
            break
    bias = rng.normal(size=cog * groups) if rng.random() < 0.5 else None
    return hidden(f"random_{i}", "random shapes, stride, padding, output_padding, dilation and groups", FUNC,
                  rng.normal(size=(n, c_in, h, w)), rng.normal(size=(c_in, cog, kh, kw)), bias, stride=stride,
                  padding=padding, output_padding=output_padding, dilation=dilation, groups=groups)


def cases(rng):
    fixed = named_rng()  # the named cases are the same at every seed; only the random ones vary
    x2 = np.array([[[[1, 2], [3, 4]]]])
    asym = np.array([[[[1.0, 2.0, 0.0], [0.0, 0.0, -1.0], [3.0, 0.0, 0.0]]]])
    out = [
        public("docstring_no_flip", "the first example in the docstring: scattered copies add up, no flip", FUNC,
               x2, np.array([[[[1, 2], [0, 0]]]])),
        public("docstring_stride_output_padding", "the second example: stride 2, output_padding 1", FUNC,
               x2, np.ones((1, 1, 1, 1)), stride=2, output_padding=1),
        public("docstring_channels", "the third example: weight is (C_in, C_out, KH, KW)", FUNC,
               [[[[1]], [[10]]]], np.arange(6).reshape(2, 3, 1, 1)),

        # The scatter and the weight layout.
        hidden("no_flip", "an asymmetric 3x3 kernel: it is scattered as it is, not flipped", FUNC,
               small_ints(fixed, 1, 1, 3, 4), asym),
        hidden("single_pixel", "a 1x1 input: the output is the kernel times the pixel", FUNC,
               np.array([[[[2.0]]]]), small_ints(fixed, 1, 2, 3, 2)),
        hidden("overlaps_summed", "stride 1, a 3x3 kernel: overlapping copies add up", FUNC,
               small_ints(fixed, 1, 1, 3, 3), small_ints(fixed, 1, 1, 3, 3)),
        hidden("weight_in_channels_first", "C_in = 2, C_out = 3: weight is (C_in, C_out, KH, KW)", FUNC,
               small_ints(fixed, 1, 2, 3, 3), small_ints(fixed, 2, 3, 2, 2)),
        hidden("weight_layout_square", "C_in = C_out = 2: weight[c, o] links input c to output o, not the reverse",
               FUNC, small_ints(fixed, 1, 2, 3, 3), small_ints(fixed, 2, 2, 2, 2)),
        hidden("bias_once_per_pixel", "bias added once to each output pixel, however many copies land there", FUNC,
               small_ints(fixed, 1, 2, 3, 3), small_ints(fixed, 2, 2, 3, 3), np.array([1.5, -2.0])),
        hidden("bias_on_uncovered_pixels", "stride 3, a 1x1 kernel: pixels no copy reaches still get the bias", FUNC,
               small_ints(fixed, 1, 1, 3, 3), small_ints(fixed, 1, 2, 1, 1), np.array([0.5, -1.0]), stride=3),
        hidden("batch", "a batch of N = 3 images, each on its own", FUNC,
               small_ints(fixed, 3, 2, 3, 2), small_ints(fixed, 2, 1, 2, 2), np.array([1.0])),
        hidden("kernel_1x1", "a 1x1 kernel: a per-pixel mix of channels", FUNC,
               small_ints(fixed, 2, 3, 3, 4), small_ints(fixed, 3, 2, 1, 1)),
        hidden("list_input", "nested lists of ints as input", FUNC,
               small_ints(fixed, 1, 1, 2, 3).astype(int).tolist(), small_ints(fixed, 1, 2, 2, 2).astype(int).tolist(),
               [1, -1]),

        # Stride.
        hidden("stride_int", "stride 2 (an int) with a 3x3 kernel: copies 2 apart, overlapping by one", FUNC,
               small_ints(fixed, 1, 1, 3, 3), small_ints(fixed, 1, 1, 3, 3), stride=2),
        hidden("stride_pair", "stride (2, 1): the pair is (height, width)", FUNC,
               small_ints(fixed, 1, 2, 3, 3), small_ints(fixed, 2, 1, 2, 2), stride=(2, 1)),
        hidden("stride_past_kernel", "stride 3 with a 2x2 kernel: rows and columns between copies stay 0", FUNC,
               small_ints(fixed, 1, 1, 3, 2), small_ints(fixed, 1, 1, 2, 2), stride=3),

        # Padding and output padding.
        hidden("padding_int", "padding 1 crops one row and column from every side", FUNC,
               small_ints(fixed, 1, 1, 3, 3), small_ints(fixed, 1, 2, 3, 3), padding=1),
        hidden("padding_pair", "padding (0, 2): only columns are cropped, 2 on each side", FUNC,
               small_ints(fixed, 1, 1, 3, 3), small_ints(fixed, 1, 1, 2, 3), padding=(0, 2)),
        hidden("padding_with_stride", "stride 2 and padding 1 with a 3x3 kernel", FUNC,
               small_ints(fixed, 1, 2, 3, 3), small_ints(fixed, 2, 1, 3, 3), stride=2, padding=1),
        hidden("output_padding_int", "stride 2, output_padding 1: one more row at the bottom and column at the right",
               FUNC, small_ints(fixed, 1, 1, 3, 3), small_ints(fixed, 1, 1, 3, 3), stride=2, output_padding=1),
        hidden("output_padding_pair", "stride (2, 3), output_padding (1, 2): the pair is (height, width)", FUNC,
               small_ints(fixed, 1, 1, 2, 3), small_ints(fixed, 1, 1, 2, 2), stride=(2, 3), output_padding=(1, 2)),
        hidden("output_padding_doubles_size", "kernel 3, stride 2, padding 1, output_padding 1: exactly twice the size",
               FUNC, small_ints(fixed, 1, 2, 3, 4), small_ints(fixed, 2, 2, 3, 3), np.array([0.25, -0.5]),
               stride=2, padding=1, output_padding=1),
        hidden("output_padding_below_dilation", "stride 1, dilation 2: output_padding 1 is allowed (below dilation)",
               FUNC, small_ints(fixed, 1, 1, 3, 3), small_ints(fixed, 1, 1, 2, 2), output_padding=1, dilation=2),
        hidden("output_padding_with_bias", "the output padding rows hold the bias", FUNC,
               small_ints(fixed, 1, 1, 2, 2), small_ints(fixed, 1, 1, 2, 2), np.array([3.0]),
               stride=2, output_padding=1),

        # Dilation.
        hidden("dilation_int", "dilation 2 (an int): kernel taps land 2 pixels apart", FUNC,
               small_ints(fixed, 1, 1, 3, 3), small_ints(fixed, 1, 1, 2, 2), dilation=2),
        hidden("dilation_pair", "dilation (1, 3): the pair is (height, width)", FUNC,
               small_ints(fixed, 1, 2, 2, 3), small_ints(fixed, 2, 1, 2, 2), dilation=(1, 3)),
        hidden("all_pairs", "stride (2, 1), padding (1, 0), output_padding (1, 0), dilation (1, 2) together", FUNC,
               small_ints(fixed, 2, 2, 3, 3), small_ints(fixed, 2, 2, 3, 2), np.array([1.0, -1.0]),
               stride=(2, 1), padding=(1, 0), output_padding=(1, 0), dilation=(1, 2)),

        # Groups.
        hidden("groups_2", "groups = 2: input channels 0-1 feed output channel 0, 2-3 feed output 1", FUNC,
               small_ints(fixed, 1, 4, 3, 3), small_ints(fixed, 4, 1, 2, 2), groups=2),
        hidden("groups_more_outputs", "groups = 2 with 3 output channels per group (C_out = 6)", FUNC,
               small_ints(fixed, 1, 4, 2, 2), small_ints(fixed, 4, 3, 2, 2), np.arange(6) / 4.0, groups=2),
        hidden("depthwise", "depthwise: groups = C_in = C_out, each channel on its own", FUNC,
               small_ints(fixed, 2, 3, 3, 3), small_ints(fixed, 3, 1, 3, 3), np.array([1.0, 2.0, 3.0]),
               stride=2, groups=3),

        # Errors.
        hidden("output_padding_equals_stride", "output_padding = stride = 2 raises ValueError", FUNC,
               np.ones((1, 1, 2, 2)), np.ones((1, 1, 3, 3)), stride=2, output_padding=2),
        hidden("output_padding_without_stride", "output_padding 1 with stride 1 and dilation 1 raises ValueError",
               FUNC, np.ones((1, 1, 2, 2)), np.ones((1, 1, 2, 2)), output_padding=1),
        hidden("output_padding_checked_per_axis", "stride (2, 1), output_padding (0, 1): the width's is too "
               "large, ValueError", FUNC, np.ones((1, 1, 2, 2)), np.ones((1, 1, 2, 2)), stride=(2, 1),
               output_padding=(0, 1)),
        hidden("weight_channels_mismatch", "weight.shape[0] != C_in raises ValueError", FUNC,
               np.ones((1, 3, 2, 2)), np.ones((2, 3, 2, 2))),
        hidden("in_channels_not_divisible", "C_in not divisible by groups raises ValueError", FUNC,
               np.ones((1, 3, 2, 2)), np.ones((3, 1, 2, 2)), groups=2),
        hidden("output_size_zero", "padding crops the whole output: OH = 0 raises ValueError (not an empty array)",
               FUNC, np.ones((1, 1, 1, 3)), np.ones((1, 1, 2, 2)), padding=1),
    ]
    out += [_random_case(rng, i) for i in range(6)]
    return [diagnosing(case, CHECKS[FUNC], _known_mistakes) for case in out]
