"""Write tests/golden/softmax_ce.npz: inputs and torch.softmax / F.cross_entropy outputs and autograd
gradients, float64.

Run with a Python that has torch (the package and its tests never need it):
    python tests/golden/make_softmax_ce.py
softmax case i stores s{i}_x, s{i}_axis, s{i}_out; cross-entropy case i stores c{i}_logits, c{i}_labels,
c{i}_ignore, c{i}_loss, c{i}_grad; `softmax_names` and `ce_names` list what each case covers.
"""

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F


def softmax_cases(rng):
    return [
        ("rows", rng.normal(size=(4, 5)), -1),
        ("columns", rng.normal(size=(4, 5)) * 3, 0),
        ("huge_logits", np.array([[1e4, 1e4 - 1, 0.0], [-1e4, -1e4 + 2, -1e4 - 1], [1e4, 0.0, -1e4]]), -1),
        ("middle_axis_3d", rng.normal(size=(2, 3, 4)) * 10, 1),
        ("vector", rng.normal(size=7), 0),
        ("scale_1000", rng.normal(size=(3, 6)) * 1000, -1),
    ]


def ce_cases(rng):
    return [
        ("plain", rng.normal(size=(5, 4)), np.array([0, 3, 1, 2, 2]), -100),
        ("ignored_rows", rng.normal(size=(6, 3)) * 2, np.array([2, -100, 0, -100, 1, 1]), -100),
        ("custom_ignore_index", rng.normal(size=(4, 5)), np.array([4, -1, 0, -1]), -1),
        ("ignore_index_is_a_class", rng.normal(size=(5, 3)), np.array([1, 0, 2, 1, 2]), 1),
        ("huge_logits", np.array([[1e4, 0.0, -1e4], [0.0, 1e4, 0.0], [-1e4, -1e4 + 1, -1e4 - 2]]),
         np.array([2, 1, 0]), -100),
        ("all_ignored", rng.normal(size=(3, 4)), np.array([-100, -100, -100]), -100),
        ("single_class", rng.normal(size=(3, 1)), np.array([0, 0, 0]), -100),
        ("scale_100", rng.normal(size=(8, 6)) * 100, np.array([5, 0, 3, -100, 1, 2, 4, 0]), -100),
    ]


def main():
    rng = np.random.default_rng(20251125)
    arrays = {}
    names = []
    for i, (name, x, axis) in enumerate(softmax_cases(rng)):
        names.append(name)
        arrays[f"s{i}_x"], arrays[f"s{i}_axis"] = x, np.array(axis)
        arrays[f"s{i}_out"] = torch.softmax(torch.from_numpy(x), dim=axis).numpy()
    arrays["softmax_names"] = np.array(names)
    names = []
    for i, (name, logits, labels, ignore) in enumerate(ce_cases(rng)):
        names.append(name)
        t = torch.from_numpy(logits).requires_grad_(True)
        loss = F.cross_entropy(t, torch.from_numpy(labels), ignore_index=ignore)
        loss.backward()
        arrays[f"c{i}_logits"], arrays[f"c{i}_labels"], arrays[f"c{i}_ignore"] = logits, labels, np.array(ignore)
        arrays[f"c{i}_loss"], arrays[f"c{i}_grad"] = np.array(loss.item()), t.grad.numpy()
    arrays["ce_names"] = np.array(names)
    path = Path(__file__).with_name("softmax_ce.npz")
    np.savez_compressed(path, **arrays)
    print(f"wrote {path} ({path.stat().st_size} bytes) with torch {torch.__version__}")


if __name__ == "__main__":
    main()
