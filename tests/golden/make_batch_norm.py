"""Write tests/golden/batch_norm.npz: inputs, F.batch_norm outputs (with the running statistics it updates
in place) and autograd gradients in training mode, float64.

Run with a Python that has torch (the package and its tests never need it):
    python tests/golden/make_batch_norm.py
Case i stores i_x, i_gamma, i_beta, i_rm, i_rv, i_params = [training, momentum, eps], the outputs i_y,
i_rm_out, i_rv_out and, in training, i_dy, i_dx, i_dgamma, i_dbeta; `names` lists what each case covers.
"""

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

# name, shape of x, training, momentum, eps
CASES = [
    ("train_2d", (6, 3), True, 0.1, 1e-5),
    ("train_batch_of_2", (2, 4), True, 0.1, 1e-5),
    ("train_4d", (2, 3, 4, 5), True, 0.1, 1e-5),
    ("train_4d_single_image", (1, 2, 3, 3), True, 0.3, 1e-5),
    ("train_width_equals_channels", (3, 3, 2, 3), True, 0.1, 1e-5),
    ("train_momentum_1", (5, 2), True, 1.0, 1e-5),
    ("train_large_eps", (4, 3, 2, 2), True, 0.2, 0.5),
    ("train_3d", (3, 2, 5), True, 0.1, 1e-5),
    ("eval_2d", (6, 3), False, 0.1, 1e-5),
    ("eval_4d", (2, 3, 4, 4), False, 0.1, 1e-3),
]


def main():
    rng = np.random.default_rng(20251126)
    arrays = {"names": np.array([c[0] for c in CASES])}
    for i, (name, shape, training, momentum, eps) in enumerate(CASES):
        c = shape[1]
        x = rng.normal(loc=rng.normal(scale=3), scale=rng.uniform(0.5, 3), size=shape)
        gamma, beta = rng.uniform(0.5, 2, size=c) * rng.choice([-1, 1], size=c), rng.normal(size=c)
        rm, rv = rng.normal(size=c), rng.uniform(0.5, 2, size=c)
        tx, tg, tb = (torch.from_numpy(a.copy()).requires_grad_(True) for a in (x, gamma, beta))
        trm, trv = torch.from_numpy(rm.copy()), torch.from_numpy(rv.copy())
        y = F.batch_norm(tx, trm, trv, tg, tb, training=training, momentum=momentum, eps=eps)
        arrays.update({f"{i}_x": x, f"{i}_gamma": gamma, f"{i}_beta": beta, f"{i}_rm": rm, f"{i}_rv": rv,
                       f"{i}_params": np.array([float(training), momentum, eps]),
                       f"{i}_y": y.detach().numpy(), f"{i}_rm_out": trm.numpy(), f"{i}_rv_out": trv.numpy()})
        if training:
            dy = rng.normal(size=shape)
            y.backward(torch.from_numpy(dy))
            arrays.update({f"{i}_dy": dy, f"{i}_dx": tx.grad.numpy(), f"{i}_dgamma": tg.grad.numpy(),
                           f"{i}_dbeta": tb.grad.numpy()})
    path = Path(__file__).with_name("batch_norm.npz")
    np.savez_compressed(path, **arrays)
    print(f"wrote {len(CASES)} cases to {path} ({path.stat().st_size} bytes) with torch {torch.__version__}")


if __name__ == "__main__":
    main()
