"""Write tests/golden/lstm_cell.npz: inputs and torch.nn.LSTMCell outputs, float64.

Run with a Python that has torch (the package and its tests never need it):
    python tests/golden/make_lstm_cell.py
Each case i stores i_x, i_h, i_c, i_w_ih, i_w_hh, i_h_new, i_c_new and, when the case has them,
i_b_ih and i_b_hh (a case with one bias hands torch a zero one in its place); `names` lists what each
case covers.
"""

from pathlib import Path

import numpy as np
import torch

# name, N (None: unbatched), I, H, biases ("both", "ih", "hh", "none"), scale of the weights
CASES = [
    ("batch_of_2", 2, 3, 2, "both", 1.0),
    ("batch_of_4", 4, 2, 2, "both", 1.0),
    ("batch_of_1", 1, 2, 3, "both", 1.0),
    ("input_wider_than_hidden", 3, 5, 2, "both", 1.0),
    ("hidden_size_1", 2, 3, 1, "both", 1.0),
    ("hidden_wider_than_input", 2, 1, 4, "both", 1.0),
    ("no_biases", 2, 2, 3, "none", 1.0),
    ("only_b_ih", 2, 3, 2, "ih", 1.0),
    ("only_b_hh", 2, 2, 2, "hh", 1.0),
    ("unbatched", None, 3, 2, "both", 1.0),
    ("unbatched_no_biases", None, 2, 3, "none", 1.0),
    ("large_preactivations", 3, 4, 3, "both", 300.0),
]


def main():
    rng = np.random.default_rng(20240616)
    arrays = {"names": np.array([c[0] for c in CASES])}
    for i, (name, n, input_size, hidden_size, biases, scale) in enumerate(CASES):
        shape = () if n is None else (n,)
        x = rng.normal(size=(*shape, input_size))
        h, c = rng.normal(size=(*shape, hidden_size)), rng.normal(size=(*shape, hidden_size))
        w_ih = scale * rng.normal(size=(4 * hidden_size, input_size))
        w_hh = scale * rng.normal(size=(4 * hidden_size, hidden_size))
        b_ih = rng.normal(size=4 * hidden_size) if biases in ("both", "ih") else None
        b_hh = rng.normal(size=4 * hidden_size) if biases in ("both", "hh") else None
        cell = torch.nn.LSTMCell(input_size, hidden_size, bias=biases != "none", dtype=torch.float64)
        with torch.no_grad():
            cell.weight_ih.copy_(torch.from_numpy(w_ih))
            cell.weight_hh.copy_(torch.from_numpy(w_hh))
            if biases != "none":
                cell.bias_ih.copy_(torch.from_numpy(b_ih if b_ih is not None else np.zeros(4 * hidden_size)))
                cell.bias_hh.copy_(torch.from_numpy(b_hh if b_hh is not None else np.zeros(4 * hidden_size)))
            h_new, c_new = cell(torch.from_numpy(x), (torch.from_numpy(h), torch.from_numpy(c)))
        arrays.update({f"{i}_x": x, f"{i}_h": h, f"{i}_c": c, f"{i}_w_ih": w_ih, f"{i}_w_hh": w_hh,
                       f"{i}_h_new": h_new.numpy(), f"{i}_c_new": c_new.numpy()})
        if b_ih is not None:
            arrays[f"{i}_b_ih"] = b_ih
        if b_hh is not None:
            arrays[f"{i}_b_hh"] = b_hh
    path = Path(__file__).with_name("lstm_cell.npz")
    np.savez_compressed(path, **arrays)
    print(f"wrote {len(CASES)} cases to {path} ({path.stat().st_size} bytes) with torch {torch.__version__}")


if __name__ == "__main__":
    main()
