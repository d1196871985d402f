"""Write tests/golden/pooling.npz: inputs, F.max_pool2d / F.avg_pool2d outputs (count_include_pad=True)
and their autograd gradients on the CPU, float64.

Run with a Python that has torch (the package and its tests never need it):
    python tests/golden/make_pooling.py
Case i stores i_x, i_dy, i_params = [kh, kw, sh, sw, ph, pw] and i_max, i_avg, i_dmax, i_davg;
`names` lists what each case covers. Inputs of small integers make tied maxima common, so the
gradients pin down torch's rule for ties.
"""

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

# name, (N, C, H, W), kernel, stride, padding, tied (small integers) or not
CASES = [
    ("non_overlapping", (2, 2, 4, 6), (2, 2), (2, 2), (0, 0), False),
    ("overlapping_3x3", (1, 2, 6, 5), (3, 3), (1, 1), (0, 0), False),
    ("padding_1", (1, 1, 5, 5), (3, 3), (2, 2), (1, 1), False),
    ("padding_pair", (2, 1, 5, 6), (2, 3), (1, 2), (1, 0), False),
    ("ties_overlapping", (2, 2, 5, 5), (2, 2), (1, 1), (0, 0), True),
    ("ties_padded", (1, 2, 4, 5), (3, 3), (1, 2), (1, 1), True),
    ("constant_plane_padded", (1, 1, 3, 3), (2, 2), (1, 1), (1, 1), "constant"),
    ("negative_padded", (1, 2, 4, 4), (3, 3), (2, 2), (1, 1), "negative"),
    ("stride_gap", (1, 1, 7, 7), (2, 2), (3, 3), (0, 0), False),
    ("floor_output", (1, 1, 5, 7), (2, 3), (2, 3), (0, 0), False),
]


def main():
    rng = np.random.default_rng(20251127)
    arrays = {"names": np.array([c[0] for c in CASES])}
    for i, (name, shape, kernel, stride, padding, kind) in enumerate(CASES):
        if kind is True:
            x = rng.integers(0, 3, size=shape).astype(np.float64)
        elif kind == "constant":
            x = np.ones(shape)
        elif kind == "negative":
            x = -1.0 - rng.uniform(0, 5, size=shape)
        else:
            x = rng.normal(size=shape)
        results = {}
        for pool in ("max", "avg"):
            t = torch.from_numpy(x.copy()).requires_grad_(True)
            if pool == "max":
                y = F.max_pool2d(t, kernel, stride, padding)
            else:
                y = F.avg_pool2d(t, kernel, stride, padding, count_include_pad=True)
            if "dy" not in results:
                results["dy"] = rng.normal(size=tuple(y.shape))
            y.backward(torch.from_numpy(results["dy"]))
            results[pool], results[f"d{pool}"] = y.detach().numpy(), t.grad.numpy()
        arrays[f"{i}_x"] = x
        arrays[f"{i}_params"] = np.array([*kernel, *stride, *padding], dtype=np.int64)
        for key, value in results.items():
            arrays[f"{i}_{key}"] = value
    path = Path(__file__).with_name("pooling.npz")
    np.savez_compressed(path, **arrays)
    print(f"wrote {len(CASES)} cases to {path} ({path.stat().st_size} bytes) with torch {torch.__version__}")


if __name__ == "__main__":
    main()
