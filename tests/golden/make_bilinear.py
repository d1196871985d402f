"""Write tests/golden/bilinear.npz: inputs and torch.nn.functional.interpolate(mode="bilinear") outputs.

Run with a Python that has torch (the project itself never needs it):
    /tmp/torchvenv/bin/python tests/golden/make_bilinear.py
Each case i stores ``{i}_input`` ((H, W) or (H, W, C); float64, or uint8 for the integer cases),
``{i}_size`` ([out_h, out_w]), ``{i}_align_corners`` (a 0-d bool) and ``{i}_output`` (float64).
"""

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

OUT = Path(__file__).with_name("bilinear.npz")

# (input shape, (out_h, out_w), integer input): each is run with both align_corners modes.
SHAPES = [
    ((5, 4), (11, 9), False),      # upscale
    ((12, 10), (5, 3), False),     # downscale
    ((6, 9), (10, 4), False),      # up one axis, down the other
    ((8, 6), (4, 3), False),       # exactly half
    ((3, 3), (12, 12), False),     # 4x up: negative source coordinates at the top-left
    ((4, 5), (1, 1), False),       # out = 1
    ((5, 3), (1, 6), False),       # out_h = 1
    ((1, 4), (3, 7), False),       # in_h = 1
    ((1, 1), (4, 3), False),       # 1 x 1 input
    ((6, 7), (6, 7), False),       # identity size
    ((4, 6), (8, 3), False),       # non-square both ways (size is (h, w))
    ((5, 6, 3), (8, 4), False),    # colour
    ((4, 5), (7, 9), True),        # uint8
    ((6, 5, 4), (4, 11), True),    # uint8, four channels
    ((7, 3), (20, 2), False),
    ((16, 16), (7, 23), False),
]


def torch_bilinear(image, size, align_corners):
    """image (H, W) or (H, W, C) -> torch's NCHW, interpolate in float64, and back."""
    x = torch.from_numpy(np.asarray(image, dtype=np.float64))
    grey = x.ndim == 2
    x = x[None, None] if grey else x.permute(2, 0, 1)[None]
    y = F.interpolate(x, size=tuple(size), mode="bilinear", align_corners=align_corners, antialias=False)
    y = y[0, 0] if grey else y[0].permute(1, 2, 0)
    return y.numpy().astype(np.float64)


def main():
    rng = np.random.default_rng(20240603)
    arrays = {}
    i = 0
    for shape, size, integer in SHAPES:
        image = (rng.integers(0, 256, shape).astype(np.uint8) if integer
                 else rng.uniform(-10.0, 10.0, shape))
        for align_corners in (False, True):
            arrays[f"{i}_input"] = image
            arrays[f"{i}_size"] = np.array(size, dtype=np.int64)
            arrays[f"{i}_align_corners"] = np.array(align_corners)
            arrays[f"{i}_output"] = torch_bilinear(image, size, align_corners)
            i += 1
    np.savez_compressed(OUT, **arrays)
    print(f"wrote {i} cases to {OUT} ({OUT.stat().st_size} bytes) with torch {torch.__version__}")


if __name__ == "__main__":
    main()
