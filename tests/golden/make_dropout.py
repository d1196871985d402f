"""Write tests/golden/dropout.npz: inputs, torch.nn.functional.dropout outputs and autograd gradients,
float64.

torch draws its own mask, so these pin down the semantics rather than the draw: which elements torch
kept (y != 0, as every x is non-zero), the 1 / (1 - p) scale of the kept ones, the identity in
evaluation, zeros at p = 1. The mask draw itself is this project's contract (see exercises/dropout.py).

Run with a Python that has torch (the package and its tests never need it):
    python tests/golden/make_dropout.py
Case i stores i_x, i_dy, i_params = [p, training], i_y and i_grad; `names` lists what each case covers.
"""

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

# name, shape, p, training
CASES = [
    ("p_0_5", (6, 7), 0.5, True),
    ("p_0_2", (4, 5, 3), 0.2, True),
    ("p_0_8", (50,), 0.8, True),
    ("p_0", (3, 4), 0.0, True),
    ("p_1", (3, 4), 1.0, True),
    ("evaluation_p_0_5", (4, 4), 0.5, False),
    ("evaluation_p_1", (2, 3), 1.0, False),
]


def main():
    torch.manual_seed(20251128)
    rng = np.random.default_rng(20251128)
    arrays = {"names": np.array([c[0] for c in CASES])}
    for i, (name, shape, p, training) in enumerate(CASES):
        x = rng.uniform(0.5, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)  # never 0
        dy = rng.normal(size=shape)
        t = torch.from_numpy(x.copy()).requires_grad_(True)
        y = F.dropout(t, p=p, training=training)
        y.backward(torch.from_numpy(dy))
        arrays.update({f"{i}_x": x, f"{i}_dy": dy, f"{i}_params": np.array([p, float(training)]),
                       f"{i}_y": y.detach().numpy(), f"{i}_grad": t.grad.numpy()})
    path = Path(__file__).with_name("dropout.npz")
    np.savez_compressed(path, **arrays)
    print(f"wrote {len(CASES)} cases to {path} ({path.stat().st_size} bytes) with torch {torch.__version__}")


if __name__ == "__main__":
    main()
