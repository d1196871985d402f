"""Hidden suite for gaussian: each named case aims at one mistake people make with Gaussian kernels and blur."""

import numpy as np

from grader.grading import generators
from grader.grading import compare
from grader.grading.suite import hidden, public


def kernel_check(expected, actual):
    """float_array, but a wrong sum, NaNs or asymmetry are named first: each is a distinct mistake."""
    problem = compare.float_array(expected, actual)
    act = compare.numeric_array(actual)
    if problem is None or act is None or act.shape != np.shape(expected):
        return problem
    act = act.astype(np.float64)
    if not np.all(np.isfinite(act)):
        return compare.safe("the kernel holds NaN or infinity: replace a sigma <= 0 by OpenCV's rule "
                            "0.3 * ((ksize - 1) * 0.5 - 1) + 0.8 before dividing by it", compare.NAN)
    total = float(act.sum())
    if not np.isclose(total, 1.0, rtol=0, atol=1e-9):
        return f"the kernel sums to {total:.6g}, not 1: divide it by the sum of its entries ({problem})"
    if not (np.allclose(act, act[::-1, :], rtol=1e-9, atol=1e-12)
            and np.allclose(act, act[:, ::-1], rtol=1e-9, atol=1e-12)):
        return compare.safe("the kernel is not symmetric: offsets run from -(ksize // 2) to ksize // 2 around "
                            "the centre")
    return problem


def blur_check(expected, actual):
    """float_array, plus the likely cause: integer output, or wrong pixels only near the edge (the border rule)."""
    problem = compare.float_array(expected, actual, dtype=np.float64)
    act = compare.numeric_array(actual)
    if problem is None or act is None or act.shape != np.shape(expected):
        return problem
    exp = np.asarray(expected, dtype=np.float64)
    if problem.kind == compare.DTYPE and act.dtype.kind == "f":
        return problem  # right values maybe, but float32 where the contract names float64
    if act.dtype.kind in "biu":
        return compare.safe(f"returned integers (dtype {act.dtype}) where fractions are expected: compute "
                            "and return float64, never cast back to the input's dtype", compare.DTYPE)
    act = act.astype(np.float64)
    if np.all(np.isfinite(act)) and exp.any():
        factor = float(np.sum(act * exp) / np.sum(exp * exp))  # least-squares scale from exp to act
        if not np.isclose(factor, 1.0) and np.allclose(act, factor * exp, rtol=1e-6, atol=1e-9):
            return (f"every value is {factor:.6g} times the expected one: the kernel must sum to 1 "
                    f"({problem})")
    diff = np.abs(act - exp)
    bad = ~(diff <= compare.ATOL + compare.RTOL * np.abs(exp))  # NaN counts as wrong
    if bad.ndim == 3:
        bad = bad.any(axis=2)
    h, w = bad.shape
    ys, xs = np.nonzero(bad)
    if ys.size == 0:
        return problem
    # How far in from the nearest edge the wrong pixels reach.
    band = int(np.minimum.reduce([ys, xs, h - 1 - ys, w - 1 - xs]).max()) + 1
    if 2 * band < min(h, w):
        return (f"only pixels within {band} of the edge differ ({problem}): check how pixels past the border "
                f"are read (reflect-101: d c b | a b c d | c b a)")
    return problem


CHECKS = {"gaussian_kernel": kernel_check, "gaussian_blur": blur_check}


def _sigma_rule(ksize):
    return 0.3 * ((ksize - 1) * 0.5 - 1) + 0.8


def cases(rng):
    fixed = generators.named_rng()
    out = [
        public("docstring_kernel", "the kernel example in the docstring (sigma chosen from ksize)",
               "gaussian_kernel", 3),
        public("docstring_blur", "the blur example in the docstring: reflect-101 at the borders",
               "gaussian_blur", [[4, 2, 0, 0, 0]] * 3, 3),
        hidden("sums_to_one", "the kernel sums to 1 (normalised by its own sum)", "gaussian_kernel", 7, 1.5),
        hidden("symmetric", "the kernel is symmetric about its centre", "gaussian_kernel", 9, 2.0),
        hidden("ksize_1", "ksize 1 with the default sigma: the 1 x 1 kernel [[1.0]]", "gaussian_kernel", 1),
        hidden("ksize_1_sigma", "ksize 1 with an explicit sigma: still [[1.0]]", "gaussian_kernel", 1, 3.0),
        hidden("small_sigma", "a very small sigma: almost all the weight at the centre", "gaussian_kernel", 5, 0.25),
        hidden("large_sigma", "a very large sigma: almost uniform", "gaussian_kernel", 5, 1000.0),
        hidden("sigma_is_float", "a fractional sigma with a large ksize", "gaussian_kernel", 15, 2.7),
    ]
    # OpenCV's rule for sigma <= 0, on every size where a tabulated or mistyped rule would show.
    for k in (3, 5, 7, 9, 11):
        out.append(hidden(f"sigma_0_ksize_{k}", f"sigma = 0 takes 0.3 * ((ksize - 1) * 0.5 - 1) + 0.8 "
                          f"(= {_sigma_rule(k):.1f} for ksize {k})", "gaussian_kernel", k, 0.0))
    for k in (3, 5, 7, 9, 11):
        # -1.0 never equals the rule's sigma here, so |sigma| or sigma**2 used as is gets caught.
        out.append(hidden(f"sigma_negative_ksize_{k}", "a negative sigma means 'not given', like 0: use the "
                          "ksize rule, not |sigma|", "gaussian_kernel", k, -1.0))
    for name, k in (("even_ksize", 4), ("zero_ksize", 0), ("negative_ksize", -3)):
        out.append(hidden(name, f"ksize {k} is not a positive odd integer: raise ValueError",
                          "gaussian_kernel", k))
    out.append(hidden("blur_even_ksize", "gaussian_blur with ksize 6 raises ValueError too",
                      "gaussian_blur", fixed.uniform(0, 1, (8, 8)), 6))

    grey = fixed.uniform(0, 255, (9, 12))
    out += [
        hidden("border_reflect_101", "a grey image whose borders are read by reflect-101, not zero or "
               "symmetric padding", "gaussian_blur", grey, 5, 1.2),
        hidden("constant_image", "a constant image stays constant (no zero padding, a kernel summing to 1)",
               "gaussian_blur", np.full((7, 10), 50.0), 5),
        hidden("edge_heavy", "bright pixels on the edges, where the border rule decides", "gaussian_blur",
               np.pad(np.zeros((6, 8)), 1, mode="constant", constant_values=100.0), 3),
        hidden("non_square", "a tall image (H != W): rows and columns not swapped", "gaussian_blur",
               fixed.uniform(0, 1, (13, 6)), 5, 0.9),
        hidden("blur_ksize_1", "ksize 1 leaves the image unchanged (as float64)", "gaussian_blur",
               fixed.integers(0, 256, (5, 7)), 1),
        hidden("blur_sigma_0", "blur with the default sigma, taken from ksize", "gaussian_blur",
               fixed.uniform(-1, 1, (10, 11)), 7),
        hidden("blur_sigma_negative", "blur with a negative sigma, treated like 0", "gaussian_blur",
               fixed.uniform(-1, 1, (10, 11)), 7, -2.0),
        hidden("large_kernel", "ksize 11 on a 12 x 14 image: the border reaches 5 pixels in",
               "gaussian_blur", fixed.uniform(0, 1, (12, 14)), 11, 3.0),
        hidden("uint8_grey", "a uint8 image: compute in float64, no overflow, no rounding", "gaussian_blur",
               fixed.integers(0, 256, (8, 9)).astype(np.uint8), 3, 1.0),
        hidden("colour", "a colour (H, W, 3) image: each channel blurred on its own", "gaussian_blur",
               fixed.uniform(0, 1, (8, 10, 3)), 5),
        hidden("colour_uint8", "a uint8 colour image", "gaussian_blur",
               fixed.integers(0, 256, (9, 7, 3)).astype(np.uint8), 3, 0.7),
        hidden("one_channel", "an (H, W, 1) image keeps its channel axis", "gaussian_blur",
               fixed.uniform(0, 1, (6, 9, 1)), 3),
        hidden("four_channels", "four very different channels must not mix", "gaussian_blur",
               fixed.uniform(0, 1, (7, 8, 4)) * np.array([1.0, 10.0, 100.0, 1000.0]), 5, 1.5),
        # Images smaller than the kernel's radius: reflect-101 reflects more than once (numpy's
        # np.pad(mode="reflect") does; indexing 2 * n - 2 - i by hand reflects once and runs off).
        hidden("tiny_image", "a 2 x 2 image with ksize 5: smaller than the kernel radius, reflect-101 "
               "reflects more than once", "gaussian_blur", [[1, 2], [3, 4]], 5),
        hidden("single_pixel", "a 1 x 1 image: every neighbour is the pixel itself", "gaussian_blur", [[7.0]], 3),
        hidden("single_row", "a 1 x 6 image with ksize 5", "gaussian_blur", [[1.0, 5.0, 2.0, 8.0, 3.0, 9.0]], 5),
        hidden("narrow_colour", "a 3 x 2 colour image with ksize 7", "gaussian_blur",
               fixed.uniform(0, 1, (3, 2, 3)), 7, 1.3),
        hidden("ksize_numpy_int", "ksize given as a numpy integer", "gaussian_blur",
               fixed.uniform(0, 1, (6, 7)), np.int64(5)),
        hidden("kernel_ksize_numpy_int", "gaussian_kernel with ksize given as a numpy integer", "gaussian_kernel",
               np.int32(7), 1.1),
    ]
    for i in range(6):
        k = int(rng.choice([3, 5, 7]))
        h, w = (int(v) for v in rng.integers(k // 2 + 1, 32, 2))
        shape = (h, w) if i % 2 == 0 else (h, w, int(rng.integers(2, 4)))
        sigma = float(rng.choice([0.0, rng.uniform(0.3, 3.0)]))
        out.append(hidden(f"random_{i}", "a random grey or colour image, ksize and sigma", "gaussian_blur",
                          rng.uniform(0, 255, shape), k, sigma))
    out.append(hidden("largest", "a 48 x 48 colour image with ksize 5", "gaussian_blur",
                      rng.uniform(0, 1, (48, 48, 3)), 5, 1.0))
    return out
