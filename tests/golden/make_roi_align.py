"""Write tests/golden/roi_align.npz: inputs and ROIAlign outputs of an oracle built on
torch.nn.functional.grid_sample, float64 (torchvision itself has no working build here).

Run with a Python that has torch (the package and its tests never need it):
    python tests/golden/make_roi_align.py
Case i stores i_features, i_rois, i_params = [PH, PW, sampling_ratio, aligned], i_scale (spatial_scale)
and i_out; `names` lists what each case covers. tests/test_roi_align.py also imports `oracle` from
here for its live check.

The oracle is written from the definition, not from the kernel's loops: ROIAlign is the mean over
each bin of bilinear samples taken at the centres of a regular (PH * gh) x (PW * gw) grid laid over
the roi. grid_sample with align_corners=True maps pixel index p to p / (size - 1) * 2 - 1, and
padding_mode="border" clamps a sample to the map, which is the kernel's rule inside [-1, size]; the
samples beyond that band are masked to 0 explicitly, and still count in the mean.
"""

import math
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F


def _normalised(pixels, size):
    # align_corners=True: -1 and 1 are the centres of the first and last pixel. A map of size 1 has
    # a single pixel, which any normalised coordinate reads.
    return pixels / max(size - 1, 1) * 2 - 1


def oracle(features, rois, output_size, spatial_scale=1.0, sampling_ratio=-1, aligned=False):
    x = torch.as_tensor(np.asarray(features, dtype=np.float64))
    boxes = np.asarray(rois, dtype=np.float64).reshape(-1, 5)
    ph, pw = (output_size, output_size) if isinstance(output_size, int) else output_size
    _, channels, height, width = x.shape
    out = torch.zeros(len(boxes), channels, ph, pw, dtype=torch.float64)
    for k, (b, *corners) in enumerate(boxes.tolist()):
        offset = 0.5 if aligned else 0.0
        x1, y1, x2, y2 = (v * spatial_scale - offset for v in corners)
        roi_w, roi_h = x2 - x1, y2 - y1
        if not aligned:
            roi_w, roi_h = max(roi_w, 1.0), max(roi_h, 1.0)
        gh = sampling_ratio if sampling_ratio > 0 else math.ceil(roi_h / ph)
        gw = sampling_ratio if sampling_ratio > 0 else math.ceil(roi_w / pw)
        if gh < 1 or gw < 1:
            continue
        # The gh samples of each of the ph bins are the centres of ph * gh equal cells of the roi.
        ys = y1 + (torch.arange(ph * gh, dtype=torch.float64) + 0.5) * (roi_h / (ph * gh))
        xs = x1 + (torch.arange(pw * gw, dtype=torch.float64) + 0.5) * (roi_w / (pw * gw))
        gy, gx = torch.meshgrid(_normalised(ys, height), _normalised(xs, width), indexing="ij")
        grid = torch.stack([gx, gy], dim=-1)[None]  # grid_sample wants (x, y) pairs
        samples = F.grid_sample(x[int(b)][None], grid, mode="bilinear", padding_mode="border",
                                align_corners=True)[0]
        keep = ((ys >= -1) & (ys <= height))[:, None] & ((xs >= -1) & (xs <= width))[None, :]
        samples = samples * keep
        out[k] = samples.reshape(channels, ph, gh, pw, gw).mean(dim=(2, 4))
    return out.numpy()


def _random_rois(rng, n, batch, height, width, scale, spill=2.0):
    """Rois in image coordinates whose scaled corners range a little past the map."""
    xy = rng.uniform(-spill, [width - 1, height - 1], size=(n, 2))
    wh = rng.uniform(0.2, [width + spill - 1, height + spill - 1], size=(n, 2))
    return np.hstack([rng.integers(0, batch, size=(n, 1)), xy / scale, (xy + wh) / scale])


TORCHVISION_ROIS = [[0, 0, 0, 9, 9], [0, 0, 5, 4, 9], [0, 5, 5, 9, 9], [1, 0, 0, 9, 9]]

# name, features shape, rois (or None: random), output size, spatial_scale, sampling_ratio, aligned
CASES = [
    ("torchvision_rois", (2, 3, 10, 10), TORCHVISION_ROIS, (5, 5), 1.0, -1, False),
    ("torchvision_rois_aligned", (2, 3, 10, 10), TORCHVISION_ROIS, (5, 5), 1.0, -1, True),
    ("torchvision_rois_ratio_1", (2, 2, 10, 10), TORCHVISION_ROIS, (2, 2), 1.0, 1, False),
    ("detectron2_box", (1, 1, 5, 5), [[0, 1, 1, 3, 3]], (4, 4), 1.0, 0, False),
    ("detectron2_box_aligned", (1, 1, 5, 5), [[0, 1, 1, 3, 3]], (4, 4), 1.0, 0, True),
    ("detectron2_empty_box_aligned", (1, 1, 5, 5), [[0, 3, 4, 5, 4]], (7, 7), 1.0, 0, True),
    ("tiny_roi_clamped", (1, 2, 6, 6), [[0, 2.2, 1.1, 2.5, 1.3], [0, 3, 3, 3, 3]], (2, 2), 1.0, -1, False),
    ("tiny_roi_aligned", (1, 2, 6, 6), [[0, 2.2, 1.1, 2.7, 1.6], [0, 3, 3, 3.25, 3.75]], (2, 2), 1.0, -1, True),
    ("spill_outside", (1, 2, 5, 6), [[0, -4, -3, 3, 2], [0, 3, 2, 9, 8], [0, -6, -6, -2, -2]], (3, 2), 1.0, -1,
     False),
    ("band_edges", (1, 1, 4, 4), [[0, -1.5, -1.5, 0.5, 0.5], [0, 3.5, 3.5, 5.5, 5.5]], (1, 1), 1.0, 2, False),
    ("scale_quarter_aligned", (1, 2, 6, 8), [[0, 3, 5, 21, 17], [0, -3, 0, 9, 30]], (3, 4), 0.25, -1, True),
    ("scale_half_ratio_3", (2, 1, 7, 5), [[1, 1, 2, 7, 11], [0, 0, 0, 9, 13]], (2, 3), 0.5, 3, False),
    ("non_square", (1, 3, 5, 9), [[0, 0.5, 1.0, 8.0, 3.5]], (2, 4), 1.0, -1, False),
    ("reversed_roi_aligned_ratio_2", (1, 1, 6, 6), [[0, 4, 4, 1, 2]], (2, 2), 1.0, 2, True),
    ("random_plain", (2, 3, 8, 9), None, (3, 3), 1.0, -1, False),
    ("random_aligned", (2, 3, 9, 7), None, (2, 4), 1.0, -1, True),
    ("random_scale_ratio", (3, 2, 8, 8), None, (4, 2), 0.5, 2, True),
    ("random_scale_adaptive", (1, 4, 6, 10), None, (3, 3), 0.25, 0, False),
]


def main():
    rng = np.random.default_rng(20251201)
    arrays = {"names": np.array([c[0] for c in CASES])}
    for i, (name, shape, rois, size, scale, ratio, aligned) in enumerate(CASES):
        features = rng.normal(size=shape)
        if rois is None:
            rois = _random_rois(rng, 6, shape[0], shape[2], shape[3], scale)
        rois = np.asarray(rois, dtype=np.float64)
        arrays[f"{i}_features"] = features
        arrays[f"{i}_rois"] = rois
        arrays[f"{i}_params"] = np.array([size[0], size[1], ratio, int(aligned)], dtype=np.int64)
        arrays[f"{i}_scale"] = np.array(scale)
        arrays[f"{i}_out"] = oracle(features, rois, size, scale, ratio, aligned)
    path = Path(__file__).with_name("roi_align.npz")
    np.savez_compressed(path, **arrays)
    print(f"wrote {len(CASES)} cases to {path} ({path.stat().st_size} bytes) with torch {torch.__version__}")


if __name__ == "__main__":
    main()
