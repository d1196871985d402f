"""Hidden suite for conv2d: each named case aims at one mistake people make writing a convolution by hand.

Sizes stay small (at most ~55,000 multiply-adds per case, well under 0.1 s for seven nested Python
loops) so that the naive answer passes within the default time limit with a wide margin.
"""

import numpy as np

from grader.grading import generators
from grader.grading import compare
from grader.grading.suite import hidden, public

def conv_check(expected, actual):
    """float_array, plus the likely cause when whole numbers came back where fractions were expected:
    the sums were accumulated in the input's integer dtype."""
    problem = compare.float_array(expected, actual)
    act = compare.numeric_array(actual)
    if problem is None or act is None or act.shape != np.shape(expected):
        return problem
    exp = np.asarray(expected, dtype=np.float64)
    if np.all(act == np.round(act)) and not np.all(exp == np.round(exp)):
        return compare.safe("whole numbers where fractions are expected: accumulate in float64, not in the "
                            "input's integer dtype (np.zeros(..., dtype=x.dtype) truncates)")
    return problem


CHECKS = {"conv2d": conv_check}


def _ints(rng, *shape):
    # Small integers keep the sums exact, so a wrong tap shows up as a clear difference.
    return rng.integers(-4, 5, size=shape).astype(np.float64)


def _pair(rng, low, high):
    # An int or an (h, w) pair, so that both spellings get exercised.
    if rng.random() < 0.5:
        return int(rng.integers(low, high + 1))
    return (int(rng.integers(low, high + 1)), int(rng.integers(low, high + 1)))


def _as_pair(v):
    return (v, v) if isinstance(v, int) else v


def _random_case(rng, i):
    while True:
        groups = int(rng.choice([1, 1, 2, 3]))
        c = groups * int(rng.integers(1, 3))
        o = groups * int(rng.integers(1, 3))
        n = int(rng.integers(1, 3))
        h, w = (int(v) for v in rng.integers(3, 9, size=2))
        kh, kw = (int(v) for v in rng.integers(1, 4, size=2))
        stride, padding, dilation = _pair(rng, 1, 3), _pair(rng, 0, 2), _pair(rng, 1, 2)
        (sh, sw), (ph, pw), (dh, dw) = _as_pair(stride), _as_pair(padding), _as_pair(dilation)
        oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
        ow = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
        if oh >= 1 and ow >= 1 and n * o * oh * ow * (c // groups) * kh * kw <= 25_000:
            break
    x = rng.normal(size=(n, c, h, w))
    weight = rng.normal(size=(o, c // groups, kh, kw))
    bias = rng.normal(size=o) if rng.random() < 0.5 else None
    return hidden(f"random_{i}", "random shapes, stride, padding, dilation and groups", "conv2d",
                  x, weight, bias, stride=stride, padding=padding, dilation=dilation, groups=groups)


def cases(rng):
    fixed = generators.named_rng()
    x3 = np.array([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]])
    asym = np.array([[[[1.0, 2.0, 0.0], [0.0, 0.0, -1.0], [3.0, 0.0, 0.0]]]])  # no symmetry at all
    out = [
        public("docstring_no_flip", "the first example in the docstring", "conv2d",
               x3, np.array([[[[1, 2], [0, 0]]]])),
        public("docstring_stride_padding_bias", "the second example in the docstring", "conv2d",
               x3, np.ones((1, 1, 2, 2)), bias=[10], stride=2, padding=1),

        # Cross-correlation and the channel sum.
        hidden("no_flip", "an asymmetric 3x3 kernel: cross-correlation, the kernel is not flipped", "conv2d",
               _ints(fixed, 1, 1, 5, 6), asym),
        hidden("channels_summed", "several input channels summed into each output channel", "conv2d",
               _ints(fixed, 1, 3, 5, 5), _ints(fixed, 2, 3, 3, 3)),
        hidden("bias", "bias added to each output channel", "conv2d",
               _ints(fixed, 1, 2, 4, 4), _ints(fixed, 3, 2, 2, 2), bias=np.array([1.5, -2.0, 0.25])),
        hidden("batch", "a batch of N = 3 images, each convolved on its own", "conv2d",
               _ints(fixed, 3, 2, 5, 4), _ints(fixed, 2, 2, 3, 3), bias=np.array([0.5, -1.0])),
        hidden("nonsquare", "a non-square input and a non-square 2x3 kernel", "conv2d",
               _ints(fixed, 1, 2, 4, 7), _ints(fixed, 2, 2, 2, 3)),
        # Integer input, fractional weights: an output allocated like the input truncates every sum.
        hidden("int_input_float_weight", "integer input with float weights: a float result, no truncation",
               "conv2d", [[[[1, 2], [3, 4]]]], [[[[0.5]]]]),
        hidden("int_array_float_weight", "an int64 array with float weights and a float bias", "conv2d",
               np.arange(1, 17, dtype=np.int64).reshape(1, 1, 4, 4), np.full((2, 1, 2, 2), 0.3), [0.25, -0.5]),
        hidden("list_input", "nested lists of ints as input", "conv2d",
               _ints(fixed, 1, 1, 4, 4).astype(int).tolist(), _ints(fixed, 2, 1, 2, 2).astype(int).tolist(),
               [1, -1]),

        # Kernel sizes.
        hidden("kernel_1x1", "a 1x1 kernel: a per-pixel mix of channels", "conv2d",
               _ints(fixed, 2, 3, 4, 5), _ints(fixed, 2, 3, 1, 1)),
        hidden("full_size_kernel", "a kernel as large as the input: a 1x1 output", "conv2d",
               _ints(fixed, 2, 2, 4, 5), _ints(fixed, 3, 2, 4, 5)),
        hidden("full_size_kernel_padded", "a kernel as large as the padded input: a 1x1 output", "conv2d",
               _ints(fixed, 1, 1, 3, 3), _ints(fixed, 1, 1, 5, 3), padding=(1, 0)),
        hidden("larger_image", "a 2 x 3 x 16 x 16 batch, 4 output channels, 3x3 kernel, padding 1", "conv2d",
               fixed.normal(size=(2, 3, 16, 16)), fixed.normal(size=(4, 3, 3, 3)), fixed.normal(size=4), padding=1),
        hidden("single_pixel", "a 1x1 input with a 1x1 kernel", "conv2d",
               np.array([[[[2.0]], [[-3.0]]]]), np.array([[[[4.0]], [[5.0]]]]), np.array([0.5])),

        # Stride.
        hidden("stride_int", "stride 2 (an int): every second output position", "conv2d",
               _ints(fixed, 1, 1, 7, 7), _ints(fixed, 1, 1, 3, 3), stride=2),
        hidden("stride_pair", "stride (2, 1): the pair is (height, width)", "conv2d",
               _ints(fixed, 1, 2, 7, 6), _ints(fixed, 2, 2, 3, 3), stride=(2, 1)),
        hidden("stride_past_kernel", "stride 3 with a 2x2 kernel: some rows and columns are never read",
               "conv2d", _ints(fixed, 1, 1, 8, 7), _ints(fixed, 1, 1, 2, 2), stride=3),

        # Padding.
        hidden("padding_int", "padding 1 (an int) on every side", "conv2d",
               _ints(fixed, 1, 2, 4, 4), _ints(fixed, 2, 2, 3, 3), padding=1),
        hidden("padding_pair", "padding (2, 0): 2 rows above and below, no columns", "conv2d",
               _ints(fixed, 1, 1, 5, 6), _ints(fixed, 2, 1, 3, 3), padding=(2, 0)),
        hidden("padding_pair_both_sides", "padding (1, 2): zeros on both sides, (height, width) order",
               "conv2d", _ints(fixed, 1, 1, 3, 4), _ints(fixed, 1, 1, 2, 2), padding=(1, 2)),
        hidden("padding_wider_than_kernel", "padding 3 with a 2x2 kernel: border outputs see only zeros",
               "conv2d", _ints(fixed, 1, 1, 3, 3), _ints(fixed, 1, 1, 2, 2), np.array([0.75]), padding=3),

        # Dilation.
        hidden("dilation_int", "dilation 2 (an int): kernel taps 2 pixels apart", "conv2d",
               _ints(fixed, 1, 1, 7, 7), _ints(fixed, 1, 1, 3, 3), dilation=2),
        hidden("dilation_pair", "dilation (1, 3): the pair is (height, width)", "conv2d",
               _ints(fixed, 1, 2, 5, 8), _ints(fixed, 1, 2, 2, 3), dilation=(1, 3)),
        hidden("all_pairs", "stride (2, 1), padding (1, 2) and dilation (2, 1) together", "conv2d",
               _ints(fixed, 2, 2, 7, 6), _ints(fixed, 2, 2, 3, 2), np.array([1.0, -1.0]),
               stride=(2, 1), padding=(1, 2), dilation=(2, 1)),
        hidden("stride_and_dilation", "stride 2 with dilation 2 and padding 2", "conv2d",
               _ints(fixed, 1, 1, 8, 8), _ints(fixed, 1, 1, 3, 3), stride=2, padding=2, dilation=2),

        # Groups.
        hidden("groups_2", "groups = 2: output channels 0-1 see input channels 0-1, 2-3 see 2-3", "conv2d",
               _ints(fixed, 1, 4, 4, 4), _ints(fixed, 4, 2, 2, 2), groups=2),
        hidden("groups_more_outputs", "groups = 2 with 3 output channels per group", "conv2d",
               _ints(fixed, 1, 4, 4, 4), _ints(fixed, 6, 2, 2, 2), np.arange(6) / 4.0, groups=2),
        hidden("groups_3_one_output_each", "groups = 3 with 2 input channels and 1 output channel per group",
               "conv2d", _ints(fixed, 1, 6, 4, 4), _ints(fixed, 3, 2, 3, 3), groups=3),
        hidden("depthwise", "depthwise: groups = C = O, each channel filtered on its own", "conv2d",
               _ints(fixed, 2, 3, 5, 5), _ints(fixed, 3, 1, 3, 3), np.array([1.0, 2.0, 3.0]), padding=1, groups=3),
        hidden("depthwise_multiplier", "depthwise with 2 output channels per input channel (O = 2C)",
               "conv2d", _ints(fixed, 1, 2, 5, 5), _ints(fixed, 4, 1, 3, 3), groups=2),

        # Errors.
        hidden("in_channels_not_divisible", "C not divisible by groups raises ValueError", "conv2d",
               np.ones((1, 3, 4, 4)), np.ones((2, 1, 2, 2)), groups=2),
        hidden("out_channels_not_divisible", "O not divisible by groups raises ValueError", "conv2d",
               np.ones((1, 4, 4, 4)), np.ones((3, 2, 2, 2)), groups=2),
        hidden("weight_channels_mismatch", "weight.shape[1] != C // groups raises ValueError", "conv2d",
               np.ones((1, 3, 4, 4)), np.ones((2, 2, 3, 3))),
        hidden("kernel_larger_than_input", "a kernel larger than the padded input raises ValueError", "conv2d",
               np.ones((1, 1, 3, 3)), np.ones((1, 1, 5, 5))),
        hidden("output_size_zero", "a kernel one pixel too large: OH = 0 raises ValueError (not an empty array)",
               "conv2d", np.ones((1, 1, 4, 6)), np.ones((1, 1, 5, 3))),
        hidden("dilation_output_size_zero", "dilation makes the kernel too wide: OW = 0 raises ValueError",
               "conv2d", np.ones((1, 1, 8, 6)), np.ones((1, 1, 3, 3)), dilation=3),
    ]
    out += [_random_case(rng, i) for i in range(6)]
    return out
