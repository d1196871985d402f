"""Write tests/golden/conv_transpose2d.npz: inputs and torch.nn.functional.conv_transpose2d outputs, float64.

Run with a Python that has torch (the package and its tests never need it):
    python tests/golden/make_conv_transpose2d.py
Each case i stores i_x, i_weight, i_out, i_params = [sh, sw, ph, pw, oph, opw, dh, dw, groups] and,
when the case has a bias, i_bias; `names` lists what each case covers.
"""

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

# name, (N, C_in, H, W), (C_out per group, KH, KW), stride, padding, output_padding, dilation, groups, bias
CASES = [
    ("plain_3x3", (1, 1, 3, 3), (1, 3, 3), (1, 1), (0, 0), (0, 0), (1, 1), 1, False),
    ("channels_bias", (1, 2, 3, 4), (3, 2, 3), (1, 1), (0, 0), (0, 0), (1, 1), 1, True),
    ("batch_of_3", (3, 2, 3, 3), (2, 2, 2), (1, 1), (1, 1), (0, 0), (1, 1), 1, True),
    ("stride_2", (1, 1, 3, 3), (2, 3, 3), (2, 2), (0, 0), (0, 0), (1, 1), 1, False),
    ("stride_pair", (1, 2, 3, 3), (1, 2, 2), (2, 1), (0, 0), (0, 0), (1, 1), 1, True),
    ("stride_past_kernel", (2, 1, 3, 2), (1, 2, 2), (3, 3), (0, 0), (0, 0), (1, 1), 1, True),
    ("padding_pair", (1, 1, 3, 3), (2, 2, 3), (1, 1), (0, 2), (0, 0), (1, 1), 1, False),
    ("output_padding", (1, 1, 3, 3), (1, 3, 3), (2, 2), (0, 0), (1, 1), (1, 1), 1, True),
    ("output_padding_pair", (1, 1, 2, 3), (1, 2, 2), (2, 3), (0, 0), (1, 2), (1, 1), 1, False),
    ("output_padding_doubles_size", (1, 2, 3, 4), (2, 3, 3), (2, 2), (1, 1), (1, 1), (1, 1), 1, True),
    ("output_padding_below_dilation", (1, 1, 3, 3), (1, 2, 2), (1, 1), (0, 0), (1, 1), (2, 2), 1, False),
    ("dilation_pair", (1, 2, 2, 3), (1, 2, 2), (1, 1), (0, 0), (0, 0), (1, 3), 1, True),
    ("all_pairs", (2, 2, 3, 3), (2, 3, 2), (2, 1), (1, 0), (1, 0), (1, 2), 1, True),
    ("groups_2", (1, 4, 3, 3), (1, 2, 2), (1, 1), (0, 0), (0, 0), (1, 1), 2, False),
    ("groups_2_three_out_each", (1, 4, 2, 2), (3, 2, 2), (2, 1), (0, 1), (1, 0), (1, 1), 2, True),
    ("depthwise", (2, 3, 3, 3), (1, 3, 3), (2, 2), (0, 0), (0, 0), (1, 1), 3, True),
    ("kernel_1x1", (2, 3, 3, 4), (2, 1, 1), (1, 1), (0, 0), (0, 0), (1, 1), 1, False),
    ("single_pixel", (1, 1, 1, 1), (2, 3, 2), (1, 1), (0, 0), (0, 0), (1, 1), 1, True),
]


def main():
    rng = np.random.default_rng(20240617)
    arrays = {"names": np.array([c[0] for c in CASES])}
    for i, case in enumerate(CASES):
        name, (n, c, h, w), (cog, kh, kw), stride, padding, out_pad, dilation, groups, has_bias = case
        x = rng.normal(size=(n, c, h, w))
        weight = rng.normal(size=(c, cog, kh, kw))
        bias = rng.normal(size=cog * groups) if has_bias else None
        out = F.conv_transpose2d(torch.from_numpy(x), torch.from_numpy(weight),
                                 None if bias is None else torch.from_numpy(bias), stride=stride, padding=padding,
                                 output_padding=out_pad, groups=groups, dilation=dilation)
        arrays[f"{i}_x"], arrays[f"{i}_weight"], arrays[f"{i}_out"] = x, weight, out.numpy()
        if bias is not None:
            arrays[f"{i}_bias"] = bias
        arrays[f"{i}_params"] = np.array([*stride, *padding, *out_pad, *dilation, groups], dtype=np.int64)
    path = Path(__file__).with_name("conv_transpose2d.npz")
    np.savez_compressed(path, **arrays)
    print(f"wrote {len(CASES)} cases to {path} ({path.stat().st_size} bytes) with torch {torch.__version__}")


if __name__ == "__main__":
    main()
