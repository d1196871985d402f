"""Write tests/golden/attention.npz: inputs and torch.nn.functional.scaled_dot_product_attention outputs, float64.

Run with a Python that has torch (the package and its tests never need it):
    python tests/golden/make_attention.py
torch returns no weights, so they come from torch too, as the output for values v = identity (S x S):
row i of that output is query i's weights. Each case i stores i_q, i_k, i_v, i_out, i_weights,
i_causal (0 or 1) and, when the case has a mask, i_mask; `names` lists what each case covers.
"""

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

# name, leading axes, L, S, E, Ev, scale of q and k, "causal" | "mask" | "padding" | "empty_row" | None
CASES = [
    ("plain", (), 3, 4, 4, 2, 1.0, None),
    ("single_query", (), 1, 5, 3, 3, 1.0, None),
    ("single_key", (), 3, 1, 2, 2, 1.0, None),
    ("value_dim_differs", (), 2, 5, 9, 4, 1.0, None),
    ("batched_3d", (3,), 2, 4, 4, 2, 1.0, None),
    ("heads_4d", (2, 2), 3, 4, 2, 3, 1.0, None),
    ("causal_square", (), 5, 5, 3, 2, 1.0, "causal"),
    ("causal_more_keys", (), 3, 5, 2, 2, 1.0, "causal"),
    ("causal_more_queries", (), 5, 3, 2, 2, 1.0, "causal"),
    ("causal_heads", (2, 3), 4, 4, 2, 3, 1.0, "causal"),
    ("mask", (), 4, 5, 3, 2, 1.0, "mask"),
    ("mask_broadcast_over_batch", (2,), 3, 4, 2, 2, 1.0, "mask"),
    ("key_padding_mask", (2,), 3, 4, 2, 3, 1.0, "padding"),
    ("fully_masked_row", (2,), 3, 3, 2, 2, 1.0, "empty_row"),
    ("large_scores", (), 3, 4, 4, 2, 100.0, None),
    ("large_scores_masked", (), 3, 5, 4, 3, 100.0, "mask"),
]


def main():
    rng = np.random.default_rng(20240615)
    arrays = {"names": np.array([c[0] for c in CASES])}
    for i, (name, lead, length, keys, e, ev, scale, kind) in enumerate(CASES):
        q = scale * rng.normal(size=(*lead, length, e))
        k = scale * rng.normal(size=(*lead, keys, e))
        v = rng.normal(size=(*lead, keys, ev))
        mask = None
        if kind == "mask":
            mask = rng.random((length, keys)) < 0.6
            mask[~mask.any(axis=1), 0] = True
        elif kind == "padding":
            mask = np.ones((lead[0], 1, keys), dtype=bool)
            mask[0, 0, -1:] = mask[1, 0, -2:] = False
        elif kind == "empty_row":
            mask = rng.random((*lead, length, keys)) < 0.6
            mask[0, 1] = False
        kwargs = dict(attn_mask=None if mask is None else torch.from_numpy(mask), is_causal=kind == "causal")
        tq, tk = torch.from_numpy(q), torch.from_numpy(k)
        out = F.scaled_dot_product_attention(tq, tk, torch.from_numpy(v), **kwargs)
        eye = torch.eye(keys, dtype=torch.float64).expand(*lead, keys, keys)
        weights = F.scaled_dot_product_attention(tq, tk, eye, **kwargs)
        arrays.update({f"{i}_q": q, f"{i}_k": k, f"{i}_v": v, f"{i}_out": out.numpy(),
                       f"{i}_weights": weights.numpy(), f"{i}_causal": np.array(int(kind == "causal"))})
        if mask is not None:
            arrays[f"{i}_mask"] = mask
    path = Path(__file__).with_name("attention.npz")
    np.savez_compressed(path, **arrays)
    print(f"wrote {len(CASES)} cases to {path} ({path.stat().st_size} bytes) with torch {torch.__version__}")


if __name__ == "__main__":
    main()
