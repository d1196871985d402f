"""One step of an LSTM cell, as torch.nn.LSTMCell computes it.

Write it by hand with Python and numpy: cv2, torch, torchvision, scipy and the like are refused.
Results are float arrays compared with rtol=1e-5, atol=1e-6.
Check your work with `grade lstm_cell`; stuck? `grade hint lstm_cell`.
"""

import numpy as np


def lstm_cell(x, h, c, w_ih, w_hh, b_ih=None, b_hh=None):
    """The new hidden state and cell state of an LSTM cell after one input.

    x:    input, shape (N, I) for a batch of N, or (I,) for a single unbatched input.
    h, c: hidden and cell state, shape (N, H), or (H,) when x is unbatched.
    w_ih: (4*H, I) input weights;  w_hh: (4*H, H) hidden weights.
    b_ih, b_hh: None (no bias, i.e. zeros) or shape (4*H,) each; when both are given both are added.
    Inputs may be numpy arrays or nested lists.

    The 4*H rows of the weights and biases are four blocks of H, in torch's order
    i (input gate), f (forget gate), g (candidate cell), o (output gate):

        gates = x @ w_ih^T + b_ih + h @ w_hh^T + b_hh          (N, 4*H), or (4*H,)
        i, f, g, o = the four consecutive blocks of H along the last axis
        c_new = sigmoid(f) * c + sigmoid(i) * tanh(g)
        h_new = sigmoid(o) * tanh(c_new)

    with sigmoid(z) = 1 / (1 + exp(-z)). Pre-activations may reach a few thousand in magnitude: the
    results must stay finite (no NaN). Return the pair (h_new, c_new), float arrays of the state's shape.

    Raise ValueError when the shapes do not fit together: w_ih's rows are not a multiple of 4, w_hh is
    not (4*H, H), x's last axis is not I, h or c is not the state shape above (an unbatched x needs
    an unbatched state), or a bias is not (4*H,).

    Example:
        >>> w_ih = np.array([[1.0], [2.0], [-1.0], [0.0]])   # H = 1, I = 1: one row per gate i, f, g, o
        >>> w_hh = np.zeros((4, 1))
        >>> h_new, c_new = lstm_cell([[1.0]], [[0.0]], [[0.5]], w_ih, w_hh)
        >>> c_new.round(4)           # sigmoid(2) * 0.5 + sigmoid(1) * tanh(-1)
        array([[-0.1164]])
        >>> h_new.round(4)           # sigmoid(0) * tanh(c_new)
        array([[-0.0579]])

        The same step unbatched, now with biases (b_ih + b_hh shifts the o gate to 2):
        >>> h_new, c_new = lstm_cell([1.0], [0.0], [0.5], w_ih, w_hh, b_ih=[0, 0, 0, 1.0], b_hh=[0, 0, 0, 1.0])
        >>> h_new.round(4), c_new.round(4)
        (array([-0.102]), array([-0.1164]))
    """
    # TODO: your code here
    raise NotImplementedError
