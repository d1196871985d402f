"""Hidden suite for bilinear: each named case aims at one mistake people make when resizing by hand."""

import numpy as np

from grader.grading import generators
from grader.grading import compare
from grader.grading.suite import hidden, public


def resize_check(expected, actual):
    """float_array, plus the likely cause: a swapped shape, an integer result, or extrapolation at the top-left."""
    problem = compare.float_array(expected, actual, dtype=np.float64)
    act = compare.numeric_array(actual)
    if problem is None or act is None or act.ndim != np.ndim(expected):
        return problem
    if problem.kind == compare.DTYPE and act.dtype.kind == "f":
        return problem  # float32 where the contract names float64
    exp_shape = np.shape(expected)
    if act.shape != exp_shape and act.shape[:2] == exp_shape[1::-1]:
        return (f"shape differs: expected {exp_shape}, got {act.shape}: size is (out_h, out_w), height "
                f"first, not OpenCV's (width, height)")
    if act.shape == exp_shape and act.dtype.kind in "biu":
        return compare.safe(f"returned integers (dtype {act.dtype}) where fractions are expected: compute "
                            "and return float64, never cast back to the input's dtype", compare.DTYPE)
    if act.shape == exp_shape:
        exp = np.asarray(expected, dtype=np.float64)
        act = act.astype(np.float64)
        bad = ~(np.abs(act - exp) <= compare.ATOL + compare.RTOL * np.abs(exp))
        ys, xs = np.nonzero(bad if bad.ndim == 2 else bad.any(axis=2))
        span = 1e-9 * max(1.0, float(np.abs(exp).max()))
        if not bad.any():
            return problem
        overshoot = act[bad].min() < exp.min() - span or act[bad].max() > exp.max() + span
        # Weights in [0, 1] keep every output within the input's range, and with align_corners=False
        # the output's corners are the input's corners. A wrong value near the top-left beyond the
        # expected range was most likely extrapolated from a negative source coordinate.
        if overshoot and ((ys == 0) | (xs == 0)).any() and (np.minimum(ys, xs) < max(exp.shape[:2]) / 2).all():
            return (f"{problem}: values near the top-left lie outside the range of the expected output, as if "
                    f"extrapolated; with align_corners=False, clamp a negative source coordinate to 0")
    return problem


CHECKS = {"bilinear_resize": resize_check}


def cases(rng):
    fixed = generators.named_rng()
    square = [[0, 10], [20, 30]]
    out = [
        public("docstring_half_pixel", "the first example in the docstring (align_corners=False)",
               "bilinear_resize", square, (3, 4)),
        public("docstring_align_corners", "the second example in the docstring (align_corners=True)",
               "bilinear_resize", square, (3, 4), align_corners=True),
    ]
    for ac in (False, True):
        mode = "align_corners=True" if ac else "align_corners=False"
        tag = "corners" if ac else "half_pixel"
        out += [
            hidden(f"upscale_{tag}", f"upscaling both axes, {mode}", "bilinear_resize",
                   fixed.uniform(0, 1, (5, 4)), (11, 9), align_corners=ac),
            hidden(f"downscale_{tag}", f"downscaling both axes, {mode}", "bilinear_resize",
                   fixed.uniform(0, 1, (12, 10)), (5, 3), align_corners=ac),
            hidden(f"mixed_{tag}", f"upscaling one axis and downscaling the other, {mode}", "bilinear_resize",
                   fixed.uniform(0, 1, (6, 9)), (10, 4), align_corners=ac),
            hidden(f"out_1_{tag}", f"a 1 x 1 output, {mode}", "bilinear_resize",
                   fixed.uniform(0, 1, (4, 5)), (1, 1), align_corners=ac),
            hidden(f"out_1_row_{tag}", f"a single output row (out_h = 1), {mode}", "bilinear_resize",
                   fixed.uniform(0, 1, (5, 3)), (1, 6), align_corners=ac),
            hidden(f"in_1_row_{tag}", f"a single input row (in_h = 1), {mode}", "bilinear_resize",
                   fixed.uniform(0, 1, (1, 4)), (3, 7), align_corners=ac),
            hidden(f"in_1x1_{tag}", f"a 1 x 1 input blown up, {mode}", "bilinear_resize",
                   np.array([[7.5]]), (4, 3), align_corners=ac),
            hidden(f"identity_{tag}", f"output size equal to the input size returns the image, {mode}",
                   "bilinear_resize", fixed.uniform(0, 1, (6, 7)), (6, 7), align_corners=ac),
            hidden(f"colour_{tag}", f"a colour (H, W, 3) image, each channel resized on its own, {mode}",
                   "bilinear_resize", fixed.uniform(0, 1, (5, 6, 3)), (8, 4), align_corners=ac),
            hidden(f"uint8_{tag}", f"a uint8 image: float64 results, no truncation or overflow, {mode}",
                   "bilinear_resize", fixed.integers(0, 256, (4, 5)).astype(np.uint8), (7, 9), align_corners=ac),
        ]
    out += [
        hidden("default_is_half_pixel", "align_corners defaults to False (half-pixel centres)",
               "bilinear_resize", fixed.uniform(0, 1, (4, 6)), (9, 5)),
        hidden("negative_source_clamped", "upscaling 4x: negative source coordinates at the top-left are "
               "clamped to 0, not extrapolated", "bilinear_resize",
               np.array([[0.0, 100.0, 0.0], [100.0, 0.0, 0.0], [0.0, 0.0, 50.0]]), (12, 12)),
        hidden("size_is_h_w", "size is (out_h, out_w), not OpenCV's (w, h)", "bilinear_resize",
               fixed.uniform(0, 1, (4, 6)), (8, 3)),
        hidden("size_is_h_w_corners", "size is (out_h, out_w) with align_corners=True too", "bilinear_resize",
               fixed.uniform(0, 1, (6, 4)), (3, 10), align_corners=True),
        hidden("size_as_list", "size given as a list [out_h, out_w]", "bilinear_resize",
               fixed.uniform(0, 1, (3, 5)), [6, 2]),
        hidden("integer_list", "a nested list of Python ints: float64 results", "bilinear_resize",
               [[1, 2, 3], [4, 5, 6]], (3, 5)),
        hidden("exact_half", "downscaling by exactly 2: each output is the mean of a 2 x 2 block",
               "bilinear_resize", fixed.uniform(0, 1, (8, 6)), (4, 3)),
        hidden("one_channel", "an (H, W, 1) image keeps its channel axis", "bilinear_resize",
               fixed.uniform(0, 1, (3, 4, 1)), (5, 5), align_corners=True),
        hidden("colour_uint8", "a uint8 colour image with four channels", "bilinear_resize",
               fixed.integers(0, 256, (6, 5, 4)).astype(np.uint8), (4, 11)),
    ]
    for i in range(8):
        in_h, in_w, out_h, out_w = (int(v) for v in rng.integers(1, 24, 4))
        shape = (in_h, in_w) if i % 2 == 0 else (in_h, in_w, 3)
        out.append(hidden(f"random_{i}", "random sizes, grey or colour, either align_corners (values in [0, 1), so float32 arithmetic stays within the tolerance)",
                          "bilinear_resize", rng.uniform(0, 1, shape), (out_h, out_w),
                          align_corners=bool(i % 4 >= 2)))
    out.append(hidden("largest", "a 40 x 30 colour image resized to 64 x 48", "bilinear_resize",
                      rng.uniform(0, 1, (40, 30, 3)), (64, 48)))
    return out
