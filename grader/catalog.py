"""The one list of exercises. Every path is derived from an exercise's name, never stored.

Adding an exercise means one ``Exercise`` entry here plus three files named after it:
``exercises/<name>.py`` (the stub), ``solutions/<name>.py`` (the reference) and
``grader/suites/<name>.py`` (the hidden suite). ``tests/test_catalog.py`` fails when one is missing
or they disagree.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

_PACKAGE = Path(__file__).resolve().parent


def _content_root() -> Path:
    """Where ``exercises/`` (the pristine stubs) and ``solutions/`` are: the top of the repository
    in a clone (they are edited there), ``grader/_bundled`` in an installed wheel (setup.py maps
    them there)."""
    checkout = _PACKAGE.parent
    if (checkout / "solutions").is_dir() and (checkout / "pyproject.toml").is_file():
        return checkout
    return _PACKAGE / "_bundled"


#: The folder holding ``exercises/`` and ``solutions/`` as shipped; a learner's own files live in a
#: workspace (``grader.workspace``), which in a clone is this same folder.
ROOT = _content_root()

#: Running from a clone (an editable install): the shipped stubs are also the learner's files.
IN_CHECKOUT = ROOT == _PACKAGE.parent

#: Libraries that would solve the exercises for the learner. The worker refuses them however they
#: are imported; an exercise can add to this list.
FORBIDDEN = ("cv2", "torch", "torchvision", "scipy", "skimage", "tensorflow", "mmcv", "sklearn",
             "jax", "numba", "pycocotools", "PIL", "keras")


#: Batch grading loads references from several threads: one loads, the others wait for a whole module.
_REFERENCE_LOCK = threading.Lock()


#: The groups ``grade list`` shows, in this order; ``grade practice --random --track T`` draws from one.
TRACKS = ("detection", "image processing", "layers", "machine learning", "algorithms")


class UnknownExercise(LookupError):
    pass


@dataclass(frozen=True)
class Exercise:
    name: str
    title: str
    functions: tuple[str, ...]
    difficulty: str
    minutes: int
    hints: tuple[str, ...]
    track: str = "algorithms"
    """One of TRACKS."""
    points: int = 10
    extra_forbidden: tuple[str, ...] = ()

    @property
    def forbidden(self) -> tuple[str, ...]:
        return FORBIDDEN + self.extra_forbidden

    @property
    def stub_path(self) -> Path:
        """The stub as shipped; the learner's own copy is in a workspace (``grader.workspace``)."""
        return ROOT / "exercises" / f"{self.name}.py"

    @property
    def solution_path(self) -> Path:
        return ROOT / "solutions" / f"{self.name}.py"

    @property
    def suite_module_name(self) -> str:
        return f"grader.suites.{self.name}"

    def suite(self) -> ModuleType:
        return importlib.import_module(self.suite_module_name)

    def reference(self) -> ModuleType:
        """The reference implementation, imported in the grader's own (trusted) process."""
        module_name = f"_grade_reference_{self.name}"
        with _REFERENCE_LOCK:
            if module_name in sys.modules:
                return sys.modules[module_name]
            spec = importlib.util.spec_from_file_location(module_name, self.solution_path)
            if spec is None or not self.solution_path.is_file():
                raise FileNotFoundError(f"no reference solution at {self.solution_path}")
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            sys.modules[module_name] = module  # only once it is whole
            return module


EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        name="iou",
        track="detection",
        title="Intersection over union of boxes",
        functions=("iou", "pairwise_iou"),
        difficulty="easy",
        minutes=10,
        hints=(
            "The intersection is itself a box: its corners are the max of the top-left corners and the min of "
            "the bottom-right ones. When that box is empty its width or height comes out negative.",
            "Clamp the intersection's width and height at 0 before multiplying, and use (x2 - x1) * (y2 - y1) "
            "for areas: these are continuous coordinates, so no '+1 pixel'.",
            "Union = area_a + area_b - intersection. When the union is 0 (two degenerate boxes) return 0.0 "
            "instead of dividing. For pairwise_iou, broadcast boxes_a[:, None, :] against boxes_b[None, :, :] "
            "and make sure empty inputs give shape (0, M) or (N, 0).",
        ),
    ),
    Exercise(
        name="nms",
        track="detection",
        title="Non-maximum suppression",
        functions=("nms",),
        difficulty="medium",
        minutes=20,
        hints=(
            "Greedy: visit boxes from the highest score down. The first box you visit is always kept.",
            "Sort with a stable sort on the negated scores (np.argsort(-scores, kind='stable')) so that equal "
            "scores keep the lower index first. Return indices into the original input, in the order kept.",
            "A box is suppressed only if its IoU with an already *kept* box is strictly greater than the "
            "threshold (> not >=). A suppressed box suppresses nothing, so a chain A-B-C can keep A and C.",
        ),
    ),
    Exercise(
        name="max_subarray",
        track="algorithms",
        title="Maximum subarray sum (LeetCode 53)",
        functions=("max_subarray",),
        difficulty="easy",
        minutes=10,
        hints=(
            "Trying every (start, end) pair is O(n^2): with n = 100,000 that is far too slow. One pass is enough.",
            "Keep the best sum of a subarray that ends at the current element: either extend the previous one or "
            "start fresh here, whichever is larger.",
            "Kadane: cur = max(x, cur + x); best = max(best, cur), both initialised to nums[0], so an "
            "all-negative input returns its largest element. Raise ValueError on an empty input.",
        ),
    ),
    Exercise(
        name="soft_nms",
        track="detection",
        title="Soft-NMS (Bodla et al. 2017)",
        functions=("soft_nms",),
        difficulty="hard",
        minutes=30,
        hints=(
            "Unlike hard NMS, scores change as you go, so the order is not fixed up front: after each selection "
            "pick the remaining box with the highest *current* score.",
            "After selecting a box, decay every remaining box: gaussian multiplies by exp(-iou**2 / sigma); "
            "linear multiplies by (1 - iou) only when iou > iou_threshold.",
            "Drop boxes below score_threshold before starting and after each decay (a score equal to the "
            "threshold stays). Return the selected indices and their scores at the moment they were selected.",
        ),
    ),
    Exercise(
        name="gaussian",
        track="image processing",
        title="Gaussian kernel and blur",
        functions=("gaussian_kernel", "gaussian_blur"),
        difficulty="medium",
        minutes=20,
        hints=(
            "Offsets run from -(ksize // 2) to ksize // 2. Build the 1-d kernel first: the 2-d one is its outer "
            "product with itself, and normalising makes it sum to 1.",
            "When sigma <= 0 use OpenCV's rule sigma = 0.3 * ((ksize - 1) * 0.5 - 1) + 0.8. Reject a ksize that "
            "is not a positive odd integer with ValueError.",
            "Pad with reflect-101 (np.pad(mode='reflect'), which mirrors without repeating the edge pixel), then "
            "filter each channel; the result is float64 with the input's shape.",
        ),
    ),
    Exercise(
        name="bilinear",
        track="image processing",
        title="Bilinear resize with and without align_corners",
        functions=("bilinear_resize",),
        difficulty="medium",
        minutes=25,
        hints=(
            "For every output pixel compute a source coordinate per axis, then mix the four neighbouring input "
            "pixels by the fractional parts.",
            "align_corners=False uses half-pixel centres: src = (dst + 0.5) * in / out - 0.5, clamped at 0 "
            "below. align_corners=True maps corner to corner: src = dst * (in - 1) / (out - 1).",
            "Clamp the lower neighbour to in - 1 and the upper one to min(lower + 1, in - 1). size is "
            "(out_h, out_w), not OpenCV's (w, h), and the result is float64.",
        ),
    ),
    Exercise(
        name="conv2d",
        track="layers",
        title="Naive 2-d convolution (PyTorch conv2d semantics)",
        functions=("conv2d",),
        difficulty="hard",
        minutes=30,
        hints=(
            "Deep-learning 'convolution' is cross-correlation: do not flip the kernel.",
            "Normalise stride, padding and dilation to (h, w) pairs, zero-pad the input, and compute "
            "OH = (H + 2*ph - dh*(KH-1) - 1) // sh + 1 (likewise OW); raise ValueError when it is below 1.",
            "With groups g, output channel o reads input channels [(o // (O // g)) * (C // g), ...) of size "
            "C // g; C and O must both be divisible by g. Add bias[o] at the end.",
        ),
    ),
    Exercise(
        name="rearrange_string",
        track="algorithms",
        title="Rearrange a string k distance apart (LeetCode 358)",
        functions=("rearrange_string",),
        difficulty="hard",
        minutes=25,
        hints=(
            "Greedy: at each position place the most frequent character that is allowed there.",
            "A max-heap of (-count, char) gives the most frequent character; a queue holds the characters used "
            "in the last k - 1 positions until they may be used again.",
            "If the heap is empty while positions remain, no arrangement exists: return \"\". k <= 1 means any "
            "permutation works. This runs in O(n log A) for an alphabet of A characters.",
        ),
    ),
    Exercise(
        name="mean_ap",
        track="detection",
        title="Average precision and mAP",
        functions=("average_precision", "mean_average_precision"),
        difficulty="hard",
        minutes=35,
        hints=(
            "Per class: sort detections by score, mark each as a true or false positive, and take cumulative "
            "sums to get recall = cumTP / n_gt and precision = cumTP / (cumTP + cumFP).",
            "Each ground truth may be matched once: a second detection of the same object is a false positive. "
            "Match within the same image and class, to the unmatched ground truth with the highest IoU, and "
            "count it when IoU >= threshold.",
            "For 'voc', make precision non-increasing from the right (the envelope) and sum (r[i+1]-r[i])*p[i+1] "
            "where recall changes; 'voc07' and 'coco' average the best precision at recall >= t over 11 and 101 "
            "thresholds.",
        ),
    ),
    Exercise(
        name="softmax_ce",
        track="layers",
        title="Stable softmax and cross-entropy with its gradient",
        functions=("softmax", "cross_entropy"),
        difficulty="medium",
        minutes=20,
        hints=(
            "exp(1e4) is inf in float64. softmax(x) = softmax(x - c) for any constant c per slice, so pick c "
            "to make every exponent <= 0.",
            "Subtract x.max(axis=axis, keepdims=True) (each slice's own max, with keepdims so it broadcasts "
            "along the right axis). For the loss never take np.log of a softmax: a probability that underflows "
            "to 0 gives -inf; use log p = (x - max) - log(sum(exp(x - max))).",
            "Keep only the rows whose label != ignore_index; the loss is the mean of -log p[label] over those V "
            "rows (nan when V = 0), and dlogits = (softmax - onehot) / V on those rows, 0 on the others. "
            "Check labels first: outside [0, C) and not ignore_index is a ValueError.",
        ),
    ),
    Exercise(
        name="batch_norm",
        track="layers",
        title="Batch normalisation: training, evaluation and the backward pass",
        functions=("batch_norm", "batch_norm_backward"),
        difficulty="hard",
        minutes=30,
        hints=(
            "Each channel (axis 1) is normalised over every other axis: for (N, C, H, W) that is n = N*H*W "
            "values. Reshape per-channel vectors to (1, C, 1, 1) so they broadcast along the channel axis.",
            "Training normalises with the batch's biased variance (np.var, divide by n) but updates the running "
            "variance with the unbiased one (times n / (n - 1)); torch's momentum keeps (1 - momentum) of the "
            "old value. Evaluation uses the running statistics and returns them unchanged. Build new arrays: "
            "running_mean *= ... would change the caller's.",
            "Backward: with x_hat = (x - mean) / sqrt(var + eps), dbeta = sum(dy), dgamma = sum(dy * x_hat) "
            "per channel, and dx = gamma / sqrt(var + eps) / n * (n*dy - dbeta - x_hat*dgamma): the last two "
            "terms come from the mean and the variance depending on x.",
        ),
    ),
    Exercise(
        name="pooling",
        track="layers",
        title="Max and average pooling, forward and backward",
        functions=("max_pool2d", "avg_pool2d", "max_pool2d_backward", "avg_pool2d_backward"),
        difficulty="medium",
        minutes=30,
        hints=(
            "Normalise kernel_size, stride (None means the kernel) and padding to (h, w) pairs; the output size "
            "is (H + 2*ph - kh) // sh + 1. Window (i, j) starts at row i*sh - ph, column j*sw - pw.",
            "Pad max pooling with -inf (padding must never win), average pooling with 0, and divide every "
            "window by kh * kw (count_include_pad=True). Padding above half the kernel is a ValueError.",
            "Backward: route each dy to its window's argmax, the FIRST maximum in row-major order on ties (use > "
            "when scanning, not >=), and spread dy / (kh * kw) for the average; use += since windows overlap, "
            "work on a padded gradient and crop the padding off at the end.",
        ),
    ),
    Exercise(
        name="dropout",
        track="layers",
        title="Inverted dropout, forward and backward",
        functions=("dropout", "dropout_backward"),
        difficulty="easy",
        minutes=15,
        hints=(
            "Inverted dropout scales at training time so that evaluation can be the plain identity: the "
            "expected value of y must equal x.",
            "Draw exactly as the docstring says: rng = np.random.default_rng(seed); mask = rng.random(x.shape) "
            ">= p (one call). In training y = x * mask / (1 - p); in evaluation y = x and the mask is all True.",
            "p = 1 drops everything: return zeros rather than dividing by 1 - p = 0. Check 0 <= p <= 1 first, in "
            "evaluation too. The backward pass applies the same mask and the same 1 / (1 - p).",
        ),
    ),
    Exercise(
        name="im2col",
        track="layers",
        title="im2col and col2im (PyTorch unfold / fold)",
        functions=("im2col", "col2im"),
        difficulty="medium",
        minutes=25,
        hints=(
            "Zero-pad the input once, then loop over the kernel taps (a, b): each tap reads one strided slice "
            "of the padded input, an (OH, OW) grid of pixels, one per window.",
            "Collect the slices in an array of shape (N, C, KH, KW, OH, OW) and reshape it to "
            "(N, C*KH*KW, OH*OW): C-order flattening gives row c*KH*KW + a*KW + b and column i*OW + j.",
            "col2im undoes the layout: reshape to (N, C, KH, KW, OH, OW) and ADD each tap's slice into a "
            "zero padded image (+=, not =, since windows overlap), then cut the padding off. Check that "
            "L == OH * OW and raise ValueError otherwise.",
        ),
    ),
    Exercise(
        name="attention",
        track="layers",
        title="Scaled dot-product attention with masks",
        functions=("scaled_dot_product_attention",),
        difficulty="medium",
        minutes=20,
        hints=(
            "scores = q @ swapaxes(k, -1, -2) / sqrt(E), with E = q.shape[-1]; k.T would reverse every axis "
            "and break batched input. out = weights @ v.",
            "Turn the mask (or causal: np.tril(np.ones((L, S), bool)), the diagonal included) into 'allowed', "
            "set the scores of keys that are not allowed to -inf, and take the softmax over the last axis.",
            "Stable softmax: subtract each row's maximum before exp. A row whose every key is masked has "
            "maximum -inf: subtract 0 there instead, and give it zero weights (divide only where the row "
            "sum is positive). Both mask and causal=True is a ValueError.",
        ),
    ),
    Exercise(
        name="lstm_cell",
        track="layers",
        title="One step of an LSTM cell (torch.nn.LSTMCell)",
        functions=("lstm_cell",),
        difficulty="medium",
        minutes=20,
        hints=(
            "All four gates come from one product: gates = x @ w_ih.T + h @ w_hh.T plus the biases that are "
            "given, shape (N, 4*H) (or (4*H,) unbatched).",
            "Split the last axis into four consecutive blocks of H in torch's order i, f, g, o "
            "(np.split(gates, 4, axis=-1)): sigmoid on i, f and o, tanh on g.",
            "c_new = sigmoid(f) * c + sigmoid(i) * tanh(g), then h_new = sigmoid(o) * tanh(c_new) of the new "
            "cell state. A stable sigmoid uses exp(-|z|): 1 / (1 + e) for z >= 0 and e / (1 + e) below.",
        ),
    ),
    Exercise(
        name="conv_transpose2d",
        track="layers",
        title="Transposed 2-d convolution (PyTorch conv_transpose2d semantics)",
        functions=("conv_transpose2d",),
        difficulty="hard",
        minutes=35,
        hints=(
            "Think scatter, not gather: every input pixel (i, j) adds x[n, c, i, j] * weight[c, o] (input "
            "channel first in this weight) into the output at (i*sh + a*dh, j*sw + b*dw) for each tap (a, b); "
            "the kernel is not flipped.",
            "Scatter into a 'full' array of (H-1)*sh + dh*(KH-1) + 1 rows (W likewise) plus output_padding, "
            "then crop padding from both sides: OH = (H-1)*sh - 2*ph + dh*(KH-1) + oph + 1. The extra "
            "output_padding rows sit at the bottom (columns at the right).",
            "Raise ValueError unless oph < max(sh, dh) and opw < max(sw, dw), and when OH or OW is below 1. "
            "With groups g, input channel c feeds output channels (c // (C_in // g)) * Cg_out + o for "
            "o < weight.shape[1]. Add bias[o] once per output pixel at the end.",
        ),
    ),
    Exercise(
        name="roi_align",
        track="detection",
        title="ROIAlign and ROIPool (torchvision.ops semantics)",
        functions=("roi_align", "roi_pool"),
        difficulty="hard",
        minutes=35,
        hints=(
            "Scale each roi by spatial_scale first. ROIPool then rounds the corners to whole pixels and takes "
            "the max over each bin; ROIAlign never rounds: it averages bilinear samples taken inside each bin.",
            "ROIAlign: with aligned=True subtract 0.5 from the scaled corners (pixel centres sit at +0.5); the "
            "roi's size is clamped to at least 1 only when aligned=False. Each bin is (roi_h / PH) x (roi_w / "
            "PW); with sampling_ratio <= 0 it takes ceil(roi_h / PH) x ceil(roi_w / PW) samples at the centres "
            "of an even grid inside the bin, not at its corners.",
            "A sample with y < -1 or y > H (x likewise) contributes 0 but still counts in the mean; otherwise "
            "clamp y to [0, H - 1] and interpolate between floor(y) and floor(y) + 1. ROIPool rounds the scaled "
            "corners half away from zero, makes the roi at least 1 x 1, and cuts bin (i, j) from "
            "floor(i * h / PH) to ceil((i + 1) * h / PH), clipped to the map; an empty bin is 0.",
        ),
    ),
    Exercise(
        name="kmeans",
        track="machine learning",
        title="k-means (Lloyd's algorithm) from given centres",
        functions=("kmeans",),
        difficulty="medium",
        minutes=20,
        hints=(
            "Alternate two steps from the centres you are given: assign every point to its nearest centre, then "
            "move every centre to the mean of its points. Stop as soon as no label changes.",
            "Squared Euclidean distances of all points to all centres in one (N, K) array; np.argmin takes the "
            "lowest index on ties, which is the contract. max_iter counts centre updates: after the last one, "
            "assign the points once more, so the labels you return belong to the centres you return.",
            "A centre that gets no point keeps its position: never drop it, never reseed it, never divide by a "
            "count of 0. Do not modify init_centers in place; return float centres and integer labels.",
        ),
    ),
    Exercise(
        name="knn",
        track="machine learning",
        title="k-nearest-neighbour classification",
        functions=("knn_predict",),
        difficulty="easy",
        minutes=15,
        hints=(
            "For each test point, compute its distance to every training point, keep the k closest, and "
            "vote with their labels.",
            "Order by distance with a stable sort (np.argsort(d, kind='stable')) so that among equal distances "
            "the lower training index comes first; the k nearest are the first k of that order.",
            "Count votes per label (np.unique(..., return_counts=True)) and take the smallest label among those "
            "with the most votes; 'first seen' or 'nearest wins' is not the rule. k larger than the training "
            "set, or below 1, is a ValueError.",
        ),
    ),
    Exercise(
        name="roc_auc",
        track="machine learning",
        title="ROC curve and the area under it",
        functions=("roc_curve", "roc_auc"),
        difficulty="medium",
        minutes=20,
        hints=(
            "Sort by score, highest first, and lower the threshold one distinct score at a time: each step "
            "lets through every sample with that score, raising TP for positives and FP for negatives.",
            "Tied scores are one step, not several: emit a point only where the score changes (and at the end), "
            "and start the curve at (0, 0) with threshold inf. fpr = FP / negatives, tpr = TP / positives.",
            "AUC is the trapezoid area under that curve, np.trapezoid(tpr, fpr) (y first, then x): a tie between "
            "a positive and a negative counts one half. O(n log n) from the sort; counting all pairs is O(n^2) "
            "and too slow. One class only is a ValueError.",
        ),
    ),
    Exercise(
        name="morphology",
        track="image processing",
        title="Erosion, dilation, opening and closing (OpenCV semantics)",
        functions=("erode", "dilate", "opening", "closing"),
        difficulty="medium",
        minutes=25,
        hints=(
            "Erosion is the minimum, dilation the maximum, over the pixels under the kernel's 1 entries, the "
            "kernel's anchor (kh // 2, kw // 2) on the output pixel.",
            "Pixels outside the image never win: read them as the dtype's largest value for erosion (255 for uint8, "
            "np.finfo(dtype).max for floats) and its smallest for dilation (0, -np.finfo(dtype).max), never as 0, "
            "and not as +-inf: where every 1 of the kernel falls outside the image, that extreme is the result. "
            "Like OpenCV, do not flip the kernel for dilation.",
            "iterations=n applies the operation n times. Opening is erosion then dilation, closing dilation then "
            "erosion, each with the same iterations (erode n times, then dilate n times). Keep the input's dtype.",
        ),
    ),
    Exercise(
        name="equalize_hist",
        track="image processing",
        title="Histogram equalisation and CLAHE (cv2.equalizeHist, cv2.createCLAHE)",
        functions=("equalize_hist", "clahe"),
        difficulty="medium",
        minutes=45,
        hints=(
            "Both map each grey level through a lookup table built from a cumulative histogram "
            "(np.bincount(image.ravel(), minlength=256), then np.cumsum). equalize_hist uses one table for the "
            "image; clahe one per tile of tile_grid_size = (tiles_x, tiles_y), each from a histogram clipped at a "
            "limit, and blends the tables of the four nearest tiles at every pixel.",
            "equalize_hist: lut = np.rint(np.float32(cdf - cdf_min) * (np.float32(255) / np.float32(N - cdf_min))), "
            "cdf_min the count of the lowest level present; a constant image comes back unchanged. clahe tables: "
            "pad (only if a side does not divide, then BOTH sides) at the bottom and right with np.pad(..., "
            "mode='reflect') by tiles_y - H % tiles_y rows and tiles_x - W % tiles_x columns. Per tile, unless "
            "clip_limit <= 0, limit = max(int(clip_limit * th * tw / 256), 1): cut every bin to it, give clipped // "
            "256 back to every bin and the residual r one each to bins 0, s, 2s, ... with s = max(256 // r, 1); "
            "then lut = np.rint(np.float32(cumsum) * (np.float32(255) / np.float32(th * tw))).",
            "clahe blend, all in float32: fx = np.float32(x) * (np.float32(1) / np.float32(tw)) - np.float32(0.5), "
            "i = floor(fx), a = fx - i, columns max(i, 0) and min(i + 1, tiles_x - 1), the same down the rows (b); "
            "out = np.rint((L11 * (1 - a) + L12 * a) * (1 - b) + (L21 * (1 - a) + L22 * a) * b) as uint8, read at "
            "each pixel's own level, for the original pixels only.",
        ),
    ),
)

_BY_NAME = {exercise.name: exercise for exercise in EXERCISES}


def names() -> list[str]:
    return [exercise.name for exercise in EXERCISES]


def available() -> list[Exercise]:
    """Exercises whose stub, reference and suite are all present in this checkout."""
    return [e for e in EXERCISES if e.stub_path.is_file() and e.solution_path.is_file()
            and importlib.util.find_spec(e.suite_module_name) is not None]


def title_of(name: str) -> str:
    """An exercise's title for reports, or the name itself for one this checkout does not know
    (a results file from another version)."""
    return _BY_NAME[name].title if name in _BY_NAME else name


def get(name: str) -> Exercise:
    try:
        return _BY_NAME[name.strip().lower().replace("-", "_")]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(name, names(), n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise UnknownExercise(f"unknown exercise '{name}'.{hint} Run 'grade list' to see them all.") from None
