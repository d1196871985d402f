"""Write tests/golden/conv2d.npz: inputs and torch.nn.functional.conv2d outputs, float64.

Run with a Python that has torch (the package and its tests never need it):
    /tmp/torchvenv/bin/python tests/golden/make_conv2d.py
Each case i stores i_x, i_weight, i_out, i_params = [sh, sw, ph, pw, dh, dw, groups] and, when the
case has a bias, i_bias; `names` lists what each case covers.
"""

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

# name, (N, C, H, W), (O, KH, KW), stride, padding, dilation, groups, bias
CASES = [
    ("plain_3x3", (1, 1, 5, 5), (1, 3, 3), (1, 1), (0, 0), (1, 1), 1, False),
    ("asymmetric_kernel_bias", (1, 2, 6, 5), (3, 2, 3), (1, 1), (0, 0), (1, 1), 1, True),
    ("batch_of_3", (3, 2, 6, 6), (2, 3, 3), (1, 1), (1, 1), (1, 1), 1, True),
    ("stride_pair", (1, 2, 9, 8), (2, 3, 3), (2, 1), (0, 0), (1, 1), 1, False),
    ("stride_3", (2, 1, 10, 9), (2, 2, 2), (3, 3), (0, 0), (1, 1), 1, True),
    ("padding_pair", (1, 1, 5, 6), (2, 3, 3), (1, 1), (2, 0), (1, 1), 1, False),
    ("padding_wide", (1, 2, 4, 4), (1, 2, 2), (1, 1), (3, 3), (1, 1), 1, True),
    ("dilation_pair", (1, 2, 7, 9), (2, 2, 3), (1, 1), (0, 0), (1, 3), 1, False),
    ("all_pairs", (2, 2, 9, 8), (4, 3, 2), (2, 1), (1, 2), (2, 1), 1, True),
    ("stride_padding_dilation_2", (1, 3, 10, 10), (2, 3, 3), (2, 2), (2, 2), (2, 2), 1, True),
    ("groups_2", (2, 4, 6, 6), (4, 3, 3), (1, 1), (1, 1), (1, 1), 2, True),
    ("groups_2_three_out_each", (1, 4, 5, 7), (6, 2, 3), (1, 2), (0, 1), (1, 1), 2, False),
    ("groups_3", (1, 6, 6, 6), (3, 3, 3), (1, 1), (0, 0), (1, 1), 3, True),
    ("depthwise", (2, 3, 7, 7), (3, 3, 3), (1, 1), (1, 1), (1, 1), 3, True),
    ("depthwise_multiplier_dilated", (1, 2, 8, 8), (4, 3, 3), (2, 2), (2, 2), (2, 2), 2, False),
    ("kernel_1x1", (2, 3, 4, 5), (4, 1, 1), (1, 1), (0, 0), (1, 1), 1, True),
    ("full_size_kernel", (2, 2, 4, 5), (3, 4, 5), (1, 1), (0, 0), (1, 1), 1, True),
    ("full_size_kernel_padded", (1, 1, 3, 3), (2, 5, 3), (1, 1), (1, 0), (1, 1), 1, False),
]


def main():
    rng = np.random.default_rng(20240601)
    arrays = {"names": np.array([c[0] for c in CASES])}
    for i, (name, (n, c, h, w), (o, kh, kw), stride, padding, dilation, groups, has_bias) in enumerate(CASES):
        x = rng.normal(size=(n, c, h, w))
        weight = rng.normal(size=(o, c // groups, kh, kw))
        bias = rng.normal(size=o) if has_bias else None
        out = F.conv2d(torch.from_numpy(x), torch.from_numpy(weight),
                       None if bias is None else torch.from_numpy(bias),
                       stride=stride, padding=padding, dilation=dilation, groups=groups)
        arrays[f"{i}_x"] = x
        arrays[f"{i}_weight"] = weight
        if bias is not None:
            arrays[f"{i}_bias"] = bias
        arrays[f"{i}_params"] = np.array([*stride, *padding, *dilation, groups], dtype=np.int64)
        arrays[f"{i}_out"] = out.numpy().astype(np.float64)
    path = Path(__file__).with_name("conv2d.npz")
    np.savez_compressed(path, **arrays)
    print(f"wrote {len(CASES)} cases to {path} ({path.stat().st_size} bytes) with torch {torch.__version__}")


if __name__ == "__main__":
    main()
