"""Reference: one step of an LSTM cell with torch.nn.LSTMCell semantics, in numpy."""

import numpy as np


def _sigmoid(z):
    # exp of -|z| only: 1 / (1 + exp(-z)) overflows for z << 0 and exp(z) / (1 + exp(z)) for z >> 0.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def lstm_cell(x, h, c, w_ih, w_hh, b_ih=None, b_hh=None):
    x, h, c = (np.asarray(a, dtype=np.float64) for a in (x, h, c))
    w_ih, w_hh = np.asarray(w_ih, dtype=np.float64), np.asarray(w_hh, dtype=np.float64)
    if w_ih.ndim != 2 or w_ih.shape[0] % 4 or w_ih.shape[0] == 0:
        raise ValueError(f"w_ih must have shape (4*H, I), got {w_ih.shape}")
    hidden = w_ih.shape[0] // 4
    if w_hh.shape != (4 * hidden, hidden):
        raise ValueError(f"w_hh must have shape (4*H, H) = {(4 * hidden, hidden)}, got {w_hh.shape}")
    if x.ndim not in (1, 2) or x.shape[-1] != w_ih.shape[1]:
        raise ValueError(f"x must have shape (N, I) or (I,) with I = {w_ih.shape[1]}, got {x.shape}")
    # Unbatched input means unbatched state, as torch requires: no broadcasting one state over a batch.
    state = x.shape[:-1] + (hidden,)
    if h.shape != state or c.shape != state:
        raise ValueError(f"h and c must have shape {state} for x of shape {x.shape}, got {h.shape} and {c.shape}")

    gates = x @ w_ih.T + h @ w_hh.T
    for name, bias in (("b_ih", b_ih), ("b_hh", b_hh)):
        if bias is not None:
            bias = np.asarray(bias, dtype=np.float64)
            if bias.shape != (4 * hidden,):
                raise ValueError(f"{name} must have shape ({4 * hidden},), got {bias.shape}")
            gates = gates + bias
    # torch's row blocks of the weights, in order: input, forget, cell (candidate), output.
    i, f, g, o = np.split(gates, 4, axis=-1)
    c_new = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
    h_new = _sigmoid(o) * np.tanh(c_new)
    return h_new, c_new
