"""lstm_cell: One step of an LSTM cell (torch.nn.LSTMCell). The catalog entry; the hidden suite is ``suite.py`` beside it."""

from grader.catalog import Exercise

EXERCISE = Exercise(
    name="lstm_cell",
    track="layers",
    title="One step of an LSTM cell (torch.nn.LSTMCell)",
    functions=("lstm_cell",),
    difficulty="medium",
    minutes=20,
    hints=(
        "All four gates come from one product: gates = x @ w_ih.T + h @ w_hh.T plus the biases that are "
        "given, shape (N, 4*H) (or (4*H,) unbatched).",
        "Split the last axis into four consecutive blocks of H in torch's order i, f, g, o "
        "(np.split(gates, 4, axis=-1)): sigmoid on i, f and o, tanh on g.",
        "c_new = sigmoid(f) * c + sigmoid(i) * tanh(g), then h_new = sigmoid(o) * tanh(c_new) of the new "
        "cell state. A stable sigmoid uses exp(-|z|): 1 / (1 + e) for z >= 0 and e / (1 + e) below.",
    ),
)
