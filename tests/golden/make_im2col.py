"""Write tests/golden/im2col.npz: inputs and torch.nn.functional.unfold / fold outputs, float64.

Run with a Python that has torch (the package and its tests never need it):
    python tests/golden/make_im2col.py
Each case i stores i_x (the unfold input), i_cols (its unfold), i_y (a fold input of the same shape
as i_cols), i_folded (its fold back to the size of i_x) and i_params = [kh, kw, sh, sw, ph, pw, dh, dw];
`names` lists what each case covers.
"""

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

# name, (N, C, H, W), kernel, stride, padding, dilation
CASES = [
    ("plain_3x3", (1, 1, 5, 5), (3, 3), (1, 1), (0, 0), (1, 1)),
    ("channels_nonsquare_kernel", (1, 3, 4, 5), (2, 3), (1, 1), (0, 0), (1, 1)),
    ("batch_of_3", (3, 2, 4, 4), (2, 2), (1, 1), (1, 1), (1, 1)),
    ("stride_pair", (1, 2, 7, 5), (2, 2), (2, 1), (0, 0), (1, 1)),
    ("stride_past_kernel", (2, 1, 8, 7), (2, 2), (3, 3), (0, 0), (1, 1)),
    ("padding_pair", (1, 1, 3, 4), (3, 3), (1, 1), (2, 0), (1, 1)),
    ("padding_wide", (1, 2, 2, 3), (1, 1), (1, 1), (2, 2), (1, 1)),
    ("dilation_pair", (1, 2, 4, 8), (2, 2), (1, 1), (0, 0), (1, 3)),
    ("all_pairs", (2, 2, 7, 5), (3, 2), (2, 1), (1, 2), (2, 1)),
    ("stride_padding_dilation_2", (1, 3, 8, 8), (3, 3), (2, 2), (2, 2), (2, 2)),
    ("kernel_1x1", (2, 3, 3, 4), (1, 1), (1, 1), (0, 0), (1, 1)),
    ("full_size_kernel", (2, 2, 3, 4), (3, 4), (1, 1), (0, 0), (1, 1)),
]


def main():
    rng = np.random.default_rng(20240614)
    arrays = {"names": np.array([c[0] for c in CASES])}
    for i, (name, shape, kernel, stride, padding, dilation) in enumerate(CASES):
        x = rng.normal(size=shape)
        cols = F.unfold(torch.from_numpy(x), kernel, dilation=dilation, padding=padding, stride=stride)
        y = rng.normal(size=tuple(cols.shape))
        folded = F.fold(torch.from_numpy(y), shape[2:], kernel, dilation=dilation, padding=padding, stride=stride)
        arrays[f"{i}_x"], arrays[f"{i}_cols"] = x, cols.numpy()
        arrays[f"{i}_y"], arrays[f"{i}_folded"] = y, folded.numpy()
        arrays[f"{i}_params"] = np.array([*kernel, *stride, *padding, *dilation], dtype=np.int64)
    path = Path(__file__).with_name("im2col.npz")
    np.savez_compressed(path, **arrays)
    print(f"wrote {len(CASES)} cases to {path} ({path.stat().st_size} bytes) with torch {torch.__version__}")


if __name__ == "__main__":
    main()
