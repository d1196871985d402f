"""Hidden suite for morphology: each named case aims at one mistake people make with erosion, dilation,
opening and closing: the border (pixels outside never win, as the dtype's own extreme), the kernel laid
on the image unflipped with its anchor at (kh // 2, kw // 2), only its 1 entries taking part, iterations
(and their order inside opening and closing), and the dtype kept.

A wrong value is checked against the classic mistakes recomputed on the case's own inputs, and the one
it matches is named without quoting data. Images stay at most 64 x 64 with kernels at most 7 x 7 so a
pure-Python loop answer passes well inside the time limit.
"""

from dataclasses import replace

import numpy as np

from grader.grading import compare
from grader.grading.suite import hidden, public
from grader.grading.generators import named_rng
from grader.grading.suite import diagnosing
_DTYPES = (np.uint8, np.float32, np.float64)


def check_image(expected, actual):
    """Exact equality, dtype included; a wrong shape or dtype is said without data."""
    exp = np.asarray(expected)
    if isinstance(actual, np.ndarray) and actual.dtype.kind in "biuf" and actual.dtype != exp.dtype:
        return compare.safe(f"returned an array of dtype {actual.dtype} for a {exp.dtype} image: keep the "
                            "image's dtype (uint8 in, uint8 out; float32 in, float32 out)", compare.DTYPE)
    with np.errstate(all="ignore"):  # values near +-finfo.max overflow when subtracted: still a difference
        problem = compare.float_array(expected, actual, rtol=0.0, atol=0.0)
    if problem is not None and problem.kind == compare.SHAPE:
        return compare.safe("the result must have the image's shape (H, W), whatever the kernel's size; an even "
                            "kernel has its anchor at (kh // 2, kw // 2), so kh // 2 rows are read above a pixel "
                            "and kh - 1 - kh // 2 below", compare.SHAPE)
    return problem


CHECKS = {func: check_image for func in ("erode", "dilate", "opening", "closing")}


# --- the classic mistakes, recomputed on a case's inputs (never the expected values) -----------------

def _one_pass(image, on, erode, *, fill=None, flip=False, anchor_floor=False, box=False, weights=False):
    """One erosion or dilation as the contract says, with one mistake switched on; ``fill`` is what the
    pixels outside are read as (a learner padding with inf works in float64 and casts back)."""
    kh, kw = on.shape
    if box:
        on = np.ones_like(on)
    if flip:
        on = on[::-1, ::-1]
    ay, ax = ((kh - 1) // 2, (kw - 1) // 2) if anchor_floor else (kh // 2, kw // 2)
    info = np.iinfo(image.dtype) if image.dtype.kind == "u" else np.finfo(image.dtype)
    neutral = info.max if erode else info.min
    work = np.dtype(np.float64) if fill is not None and np.isinf(fill) else image.dtype
    h, w = image.shape
    padded = np.full((h + kh - 1, w + kw - 1), neutral if fill is None else fill, dtype=work)
    padded[ay:ay + h, ax:ax + w] = image
    reduce = np.minimum if erode else np.maximum
    if weights:  # window * kernel over the whole box: a 0 entry takes part with the value 0
        windows = [padded[i:i + h, j:j + w] * work.type(on[i, j]) for i in range(kh) for j in range(kw)]
    else:
        windows = [padded[i:i + h, j:j + w] for i, j in zip(*np.nonzero(on))]
    return reduce.reduce(windows).astype(image.dtype)


def _mistakes(func):
    def known(image, kernel, iterations=1):
        image = np.asarray(image)
        on = np.asarray(kernel) != 0
        if image.ndim != 2 or image.dtype not in _DTYPES or on.ndim != 2 or not on.any():
            return
        floats = image.dtype.kind == "f"
        steps = {"erode": (True,), "dilate": (False,)}.get(func, (True, False))
        variants = []
        if True in steps:
            variants.append(("the erosion read the pixels outside the image as 0: they count as the dtype's largest "
                             "value (255 for uint8, np.finfo(dtype).max for floats), so they never win the min",
                             dict(fill_erode=0)))
        if False in steps and floats:
            variants.append(("the dilation read the pixels outside the image as 0: for floats they count as "
                             "-np.finfo(dtype).max, so a negative pixel near the border still wins the max",
                             dict(fill_dilate=0)))
        if len(steps) == 2 and floats:
            variants.append(("pixels outside the image were read as 0: erosion counts them as the dtype's largest "
                             "value and dilation as its smallest (+-np.finfo(dtype).max for floats), so they never win",
                             dict(fill_erode=0, fill_dilate=0)))
        variants.append(("pixels outside the image were read as +-inf: where every 1 of the kernel falls outside "
                         "the image the result is the dtype's own extreme (255 or 0 for uint8, +-np.finfo(dtype).max "
                         "for floats), as in OpenCV", dict(fill_erode=np.inf, fill_dilate=-np.inf)))
        if False in steps:  # for dilate alone, flipping for dilation and flipping for both are the same
            variants.append(("the kernel was flipped for dilation: OpenCV lays it on the image as given, out[y, x] "
                             "reads image[y + i - kh // 2, x + j - kw // 2] for erosion and dilation alike",
                             dict(flip_dilate=True)))
        if True in steps:
            variants.append(("the kernel was flipped (as in a convolution): OpenCV lays it on the image as given, "
                             "out[y, x] reads image[y + i - kh // 2, x + j - kw // 2]",
                             dict(flip_dilate=True, flip_erode=True)))
        variants += [
            ("the anchor is off by one for an even kernel: it is (kh // 2, kw // 2), e.g. (1, 1) for a 2 x 2 kernel",
             dict(anchor_floor=True)),
            ("the kernel's axes are swapped: kernel[i, j] is row offset i - kh // 2 and column offset j - kw // 2 "
             "(kh rows, kw columns)", dict(transpose=True)),
            ("every entry of the kernel's box took part: only its 1 entries do, its 0 entries are not part of the "
             "shape", dict(box=True)),
            ("the kernel was used as weights (window * kernel): a 0 entry then takes part with the value 0; leave "
             "the 0 entries out instead", dict(weights=True)),
        ]
        if func in ("erode", "dilate"):
            variants.append(("iterations was ignored: iterations=n applies the operation n times in a row",
                             dict(once=True)))
        else:
            # (erode, dilate) repeated is an opening again (opening is idempotent): both mistakes give one.
            single = (f"the result is a single {func}: with iterations=n it "
                      f"{'erodes n times, then dilates' if func == 'opening' else 'dilates n times, then erodes'} "
                      f"n times (not (erode, dilate) repeated n times, which is one {func} again)")
            variants += [
                (single, dict(once=True)),
                (single, dict(interleave=True)),
                ("opening and closing are swapped: opening is erosion then dilation, closing dilation then erosion",
                 dict(swap=True)),
            ]
        if floats:
            variants.append(("the values were clipped to 0..255 (or cast to uint8): a float image keeps its values "
                             "and its dtype", dict(clip=True)))
        for sentence, switches in variants:
            try:
                yield _variant(func, image, on, iterations, **switches), sentence
            except (ValueError, TypeError, IndexError, OverflowError):  # not defined on this input
                continue
    return known


def _variant(func, image, on, iterations, *, fill_erode=None, fill_dilate=None, flip_erode=False,
             flip_dilate=False, transpose=False, once=False, interleave=False, swap=False, clip=False,
             **switches):
    if clip:
        image = np.clip(image, 0, 255).astype(image.dtype)
    if transpose:
        on = on.T
    order = {"erode": [True], "dilate": [False], "opening": [True, False], "closing": [False, True]}[func]
    if swap:
        order = [not e for e in order]
    n = 1 if once else iterations
    steps = order * n if interleave else [e for e in order for _ in range(n)]
    out = image.copy()
    with np.errstate(all="ignore"):
        for erode in steps:
            out = _one_pass(out, on, erode, fill=fill_erode if erode else fill_dilate,
                            flip=flip_erode if erode else flip_dilate, **switches)
    return out


# --- the cases --------------------------------------------------------------------------------------

_L = [[1, 1, 0], [1, 0, 0], [0, 0, 0]]  # off-centre and not symmetric: a flip or a transpose shows
_CROSS = [[0, 1, 0], [1, 1, 1], [0, 1, 0]]


def _uint8(rng, h, w, low=0):
    return rng.integers(low, 256, (h, w)).astype(np.uint8)


def _kernel(rng, kh, kw):
    on = (rng.random((kh, kw)) < 0.5).astype(np.uint8)
    on[rng.integers(kh), rng.integers(kw)] = 1
    return on


def _random_case(rng, func, i):
    h, w = (int(v) for v in rng.integers(1, 25, 2))
    kh, kw = (int(v) for v in rng.integers(1, 7, 2))
    dtype = _DTYPES[int(rng.integers(3))]
    image = (_uint8(rng, h, w) if dtype == np.uint8 else (rng.normal(size=(h, w)) * 100).astype(dtype))
    return hidden(f"random_{func}_{i}", "a random image, dtype, kernel (any size, odd or even, 0s and 1s) and "
                  "iterations", func, image, _kernel(rng, kh, kw), iterations=int(rng.integers(0, 4)))


def cases(seeded):
    rng = named_rng()  # the named cases' data is the same at every seed; random cases use `seeded`
    seven = np.array([[7, 7, 7, 7, 7], [7, 7, 2, 7, 7], [7, 7, 7, 7, 7]], dtype=np.uint8)
    specks = np.zeros((5, 6), np.uint8)
    specks[0, 0], specks[4, 0], specks[2:5, 2:5] = 9, 5, 8
    holes = np.full((5, 6), 8, np.uint8)
    holes[2, 1], holes[1:4, 3:6] = 0, 0
    negative = -rng.uniform(1, 100, (6, 7))
    out = [
        public("docstring_erode", "the first erode example in the docstring: the border counts as 255",
               "erode", seven, np.ones((3, 3))),
        public("docstring_erode_even", "the second erode example: a 2 x 2 kernel, anchor (1, 1)",
               "erode", seven, np.ones((2, 2))),
        public("docstring_erode_iterations", "the third erode example: iterations=2", "erode", seven,
               [[1, 1, 1]], iterations=2),
        public("docstring_dilate", "the dilate example: an unflipped off-centre kernel on negative floats",
               "dilate", np.array([[-1.0, -5.0, -3.0, -4.0]]), [[1, 1, 0]]),
        public("docstring_opening", "the opening example in the docstring", "opening", specks, np.ones((3, 3))),
        public("docstring_closing", "the closing example in the docstring", "closing", holes, np.ones((3, 3))),
    ]
    for func in ("erode", "dilate", "opening", "closing"):
        out += [
            hidden(f"{func}_border_uint8", "a bright uint8 image: what lies outside the image never wins",
                   func, _uint8(rng, 6, 7, low=100), np.ones((3, 3))),
            hidden(f"{func}_negative_float", "an all-negative float64 image: the border is not 0 for floats",
                   func, negative, np.ones((3, 3))),
            hidden(f"{func}_asymmetric", "an L-shaped kernel off its centre: laid on the image unflipped",
                   func, _uint8(rng, 7, 8), _L),
            hidden(f"{func}_even_kernel", "a 4 x 4 kernel: the anchor is (2, 2)", func,
                   (rng.normal(size=(8, 9)) * 10), _kernel(rng, 4, 4)),
            hidden(f"{func}_non_square", "a 2 x 5 kernel on a 9 x 6 image: rows and columns of the kernel not "
                   "swapped", func, _uint8(rng, 9, 6), [[1, 1, 0, 1, 1], [0, 1, 1, 1, 0]]),
            hidden(f"{func}_cross", "a cross-shaped kernel: its 0 entries take no part", func,
                   _uint8(rng, 7, 7), _CROSS),
            hidden(f"{func}_iterations_2", "iterations=2 with a 3 x 3 kernel", func, _uint8(rng, 10, 11),
                   np.ones((3, 3)), iterations=2),
            hidden(f"{func}_iterations_3_cross", "iterations=3 with a cross on float32", func,
                   rng.normal(size=(9, 10)).astype(np.float32), _CROSS, iterations=3),
            hidden(f"{func}_iterations_0", "iterations=0 returns the image unchanged", func, _uint8(rng, 4, 5),
                   np.ones((3, 3)), iterations=0),
            hidden(f"{func}_kernel_larger", "a 7 x 7 kernel on a 3 x 4 image", func,
                   rng.normal(size=(3, 4)), _kernel(rng, 7, 7)),
            hidden(f"{func}_outside_only_float32", "an off-centre kernel whose 1s all fall outside for some pixels: "
                   "the result there is the dtype's own extreme (+-np.finfo(float32).max), not inf", func,
                   rng.normal(size=(4, 5)).astype(np.float32), [[1, 0, 0, 0, 0]]),
            hidden(f"{func}_outside_only_uint8", "the same on uint8: 255 for erosion, 0 for dilation", func,
                   _uint8(rng, 5, 3, low=1), [[0, 0, 0], [0, 0, 0], [0, 0, 1]]),
            hidden(f"{func}_large_floats", "float64 values far outside 0..255, positive and negative: no clipping",
                   func, rng.uniform(-1000, 1000, (6, 6)), np.ones((2, 3))),
            hidden(f"{func}_float32_dtype", "a float32 image comes back float32", func,
                   rng.uniform(0, 1, (5, 6)).astype(np.float32), np.ones((3, 3))),
            hidden(f"{func}_bool_kernel", "the kernel given as a bool array", func, _uint8(rng, 6, 6),
                   np.array(_CROSS, dtype=bool)),
            hidden(f"{func}_1x1_kernel", "a 1 x 1 kernel of 1 leaves the image as it is", func,
                   rng.normal(size=(3, 4)), [[1]]),
            hidden(f"{func}_single_pixel", "a 1 x 1 image with a 3 x 3 kernel", func,
                   np.array([[42]], dtype=np.uint8), np.ones((3, 3), dtype=np.uint8)),
            hidden(f"{func}_zero_kernel", "a kernel with no 1 raises ValueError", func, _uint8(rng, 4, 4),
                   np.zeros((3, 3))),
            hidden(f"{func}_colour", "an (H, W, 3) image raises ValueError", func,
                   np.zeros((4, 4, 3), np.uint8), np.ones((3, 3))),
            hidden(f"{func}_int64", "an int64 image (a list of Python ints) raises ValueError", func,
                   [[1, 2], [3, 4]], np.ones((3, 3))),
            hidden(f"{func}_negative_iterations", "iterations=-1 raises ValueError", func, _uint8(rng, 4, 4),
                   np.ones((3, 3)), iterations=-1),
        ]
    out.append(replace(hidden("erode_keeps_input", "the caller's image is left as it was", "erode",
                              _uint8(rng, 5, 5), np.ones((3, 3))), keeps_inputs=True))
    for func in ("opening", "closing"):
        out += [
            hidden(f"{func}_iterations_2_uint8", f"{func} with iterations=2: all the first operation's passes, then "
                   "all the second's", func, _uint8(rng, 12, 12), np.ones((3, 3)), iterations=2),
            hidden(f"{func}_even_2x2", f"{func} with a 2 x 2 kernel: the unflipped anchor (1, 1) shifts the result, "
                   "as in OpenCV", func, _uint8(rng, 6, 7), np.ones((2, 2))),
        ]
    for func in ("erode", "dilate", "opening", "closing"):
        out += [_random_case(seeded, func, i) for i in range(3)]
    out += [
        hidden("largest_erode", "a 64 x 64 image with a 7 x 7 kernel", "erode",
               _uint8(seeded, 64, 64), _kernel(seeded, 7, 7)),
        hidden("largest_opening", "a 48 x 48 float32 image, a 5 x 5 kernel, opening", "opening",
               seeded.normal(size=(48, 48)).astype(np.float32), _kernel(seeded, 5, 5)),
    ]
    return [diagnosing(case, check_image, _mistakes(case.func), kinds=(compare.VALUE, compare.NAN))
            for case in out]
