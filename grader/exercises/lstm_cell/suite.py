"""Hidden suite for lstm_cell: the gate order, the nonlinearity of each gate, what c_new and h_new are built
from, the biases, batched and unbatched input, and pre-activations large enough to break a naive sigmoid."""

import itertools

import numpy as np

from grader.grading import compare
from grader.grading.suite import hidden, public
from grader.grading.generators import named_rng
from grader.grading.compare import tensor_check, tuple_of
from grader.grading.suite import diagnosing
_H = tensor_check("...", "H")


def check_h(expected, actual):
    """h_new, and the bound it can never leave: sigmoid(o) * tanh(c_new) lies in (-1, 1)."""
    problem = _H(expected, actual)
    if problem is None or problem.kind != compare.VALUE:
        return problem
    if np.abs(compare.numeric_array(actual)).max() > 1.0:
        return compare.safe("some h_new values lie outside (-1, 1): h_new = sigmoid(o) * tanh(c_new)")
    return problem


def check_nan(check):
    """NaN where numbers are expected has one usual cause here: say it."""
    def checked(expected, actual):
        problem = check(expected, actual)
        if problem is not None and problem.kind == compare.NAN:
            return compare.safe("NaN in the result: a sigmoid written as exp(z) / (1 + exp(z)) (or exp(-z) for "
                                "z << 0) overflows; use exp(-|z|) on each side of 0", compare.NAN)
        return problem
    return checked


CHECKS = {"lstm_cell": tuple_of(("h_new", check_nan(check_h)), ("c_new", check_nan(tensor_check("...", "H"))))}


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _known_mistakes(x, h, c, w_ih, w_hh, b_ih=None, b_hh=None):
    """(h_new, c_new) as each classic mistake computes it, with the sentence that names the mistake."""
    x, h, c, w_ih, w_hh = (np.asarray(a, dtype=np.float64) for a in (x, h, c, w_ih, w_hh))
    bias = [np.asarray(b, dtype=np.float64) for b in (b_ih, b_hh) if b is not None]
    plain = x @ w_ih.T + h @ w_hh.T

    def step(gates, order=(0, 1, 2, 3), g_act=np.tanh, keep=None, out_of=None, squash=np.tanh):
        i, f, g, o = (np.split(gates, 4, axis=-1)[k] for k in order)
        c_new = _sigmoid(f) * (c if keep is None else keep) + _sigmoid(i) * g_act(g)
        return _sigmoid(o) * squash(c_new if out_of is None else out_of), c_new

    full = plain + sum(bias) if bias else plain
    yield step(full, g_act=_sigmoid), "the candidate g takes tanh, not sigmoid (i, f and o take sigmoid)"
    yield step(full, keep=h), ("c_new = sigmoid(f) * c + sigmoid(i) * tanh(g): the forget gate scales the old CELL "
                               "state c, not h")
    yield step(full, out_of=c), "h_new = sigmoid(o) * tanh(c_new) takes the NEW cell state, not the old one"
    yield step(full, squash=lambda v: v), "h_new = sigmoid(o) * tanh(c_new): the tanh of the cell state is missing"
    if bias:
        yield step(plain), "the biases are missing: add b_ih and b_hh (each one that is given) to the gates"
    if len(bias) == 2:
        yield step(plain + bias[0]), "b_hh is missing: add both biases to the gates"
        yield step(plain + bias[1]), "b_ih is missing: add both biases to the gates"
    for order in itertools.permutations(range(4)):
        if order != (0, 1, 2, 3):
            yield step(full, order=order), ("the gate blocks are read in the wrong order: torch's 4*H rows are i "
                                             "(input), f (forget), g (candidate), o (output), H rows each")


def _weights(rng, hidden_size, input_size, scale=1.0):
    return (scale * rng.normal(size=(4 * hidden_size, input_size)),
            scale * rng.normal(size=(4 * hidden_size, hidden_size)))


def _gate_biases(hidden_size, i=0.0, f=0.0, g=0.0, o=0.0):
    """A bias that sets each gate block to its own constant: gates far apart make each one's role visible."""
    return np.repeat([i, f, g, o], hidden_size).astype(np.float64)


def _step(rng, name, category, n, input_size, hidden_size, *, biases="both", unbatched=False, scale=1.0, **gate):
    shape = () if unbatched else (n,)
    w_ih, w_hh = _weights(rng, hidden_size, input_size, scale)
    x = rng.normal(size=(*shape, input_size))
    h, c = rng.normal(size=(*shape, hidden_size)), rng.normal(size=(*shape, hidden_size))
    kwargs = {}
    if biases in ("both", "ih"):
        kwargs["b_ih"] = rng.normal(size=4 * hidden_size) + _gate_biases(hidden_size, **gate)
    if biases in ("both", "hh"):
        kwargs["b_hh"] = rng.normal(size=4 * hidden_size)
    return hidden(name, category, "lstm_cell", x, h, c, w_ih, w_hh, **kwargs)


def cases(rng):
    fixed = named_rng()  # the named cases are the same at every seed; only the random ones vary
    w_ih = np.array([[1.0], [2.0], [-1.0], [0.0]])
    w_hh = np.zeros((4, 1))
    out = [
        public("docstring_batched", "the first example in the docstring", "lstm_cell",
               [[1.0]], [[0.0]], [[0.5]], w_ih, w_hh),
        public("docstring_unbatched_biases", "the second example: unbatched, with both biases", "lstm_cell",
               [1.0], [0.0], [0.5], w_ih, w_hh, b_ih=[0, 0, 0, 1.0], b_hh=[0, 0, 0, 1.0]),

        # The gates.
        _step(fixed, "gate_order", "gates far apart: the blocks of 4*H are i, f, g, o in that order", 2, 3, 2,
              i=3.0, f=-3.0, g=1.5, o=0.5),
        _step(fixed, "candidate_uses_tanh", "a negative candidate g: tanh(g) may be negative, sigmoid(g) never",
              2, 2, 3, i=4.0, f=0.0, g=-3.0, o=1.0),
        _step(fixed, "forget_gate_keeps_c", "f open, i shut: c_new is about c, built from c and not from h", 3, 2, 2,
              i=-8.0, f=8.0, g=0.0, o=0.0),
        _step(fixed, "output_gate", "o shut on one side: h_new = sigmoid(o) * tanh(c_new) of the NEW cell state",
              2, 2, 2, i=2.0, f=-2.0, g=2.0, o=4.0),
        _step(fixed, "hidden_weights", "a large hidden state: h @ w_hh^T matters as much as x @ w_ih^T", 2, 2, 3),
        _step(fixed, "input_wider_than_hidden", "I = 5 inputs, H = 2 hidden units", 3, 5, 2),
        _step(fixed, "hidden_size_1", "H = 1: each gate is a single column", 2, 3, 1),

        # Biases.
        _step(fixed, "both_biases", "b_ih and b_hh both added", 2, 2, 3, i=1.0, f=-1.0, g=0.5, o=2.0),
        _step(fixed, "only_b_hh", "b_ih None and b_hh given: the missing bias is zero", 2, 2, 2, biases="hh"),
        _step(fixed, "only_b_ih", "b_ih given and b_hh None", 2, 3, 2, biases="ih", i=-1.0, o=1.0),
        _step(fixed, "no_biases", "no bias at all", 2, 2, 2, biases="none"),

        # Batching.
        _step(fixed, "unbatched", "unbatched: x of shape (I,), h and c of shape (H,)", 1, 3, 2, unbatched=True),
        _step(fixed, "unbatched_no_biases", "unbatched without biases", 1, 2, 3, biases="none", unbatched=True),
        _step(fixed, "batch_of_4", "a batch of N = 4 (as many rows as gates): split the gates along the last axis",
              4, 2, 2),
        _step(fixed, "batch_of_1", "a batch of N = 1 stays 2-d: (1, H)", 1, 2, 2),
        hidden("list_input", "nested lists as input", "lstm_cell",
               fixed.normal(size=(2, 2)).round(2).tolist(), fixed.normal(size=(2, 1)).round(2).tolist(),
               fixed.normal(size=(2, 1)).round(2).tolist(), fixed.normal(size=(4, 2)).round(2).tolist(),
               fixed.normal(size=(4, 1)).round(2).tolist()),
        hidden("zero_state", "h = c = 0: the first step of a sequence", "lstm_cell",
               fixed.normal(size=(2, 3)), np.zeros((2, 2)), np.zeros((2, 2)), *_weights(fixed, 2, 3),
               b_ih=fixed.normal(size=8), b_hh=fixed.normal(size=8)),

        # Stability.
        _step(fixed, "large_preactivations", "pre-activations in the thousands: the sigmoid must not overflow to NaN",
              3, 4, 3, scale=300.0),

        # Errors.
        hidden("weight_rows_not_4h", "w_ih with 3*H rows raises ValueError", "lstm_cell",
               np.ones((2, 3)), np.ones((2, 2)), np.ones((2, 2)), np.ones((6, 3)), np.ones((8, 2))),
        hidden("input_size_mismatch", "x's last axis differs from w_ih's columns: ValueError", "lstm_cell",
               np.ones((2, 4)), np.ones((2, 2)), np.ones((2, 2)), np.ones((8, 3)), np.ones((8, 2))),
        hidden("state_shapes_differ", "h and c of different shapes raise ValueError", "lstm_cell",
               np.ones((2, 3)), np.ones((2, 2)), np.ones((2, 3)), np.ones((8, 3)), np.ones((8, 2))),
        hidden("unbatched_x_batched_state", "an unbatched x with a batched state raises ValueError", "lstm_cell",
               np.ones(3), np.ones((2, 2)), np.ones((2, 2)), np.ones((8, 3)), np.ones((8, 2))),
    ]
    for i in range(5):
        n, input_size, hidden_size = (int(v) for v in rng.integers(1, 5, size=3))
        out.append(_step(rng, f"random_{i}", "random sizes, weights and biases", n, input_size, hidden_size,
                         biases=str(rng.choice(["both", "none", "ih", "hh"])), unbatched=bool(rng.random() < 0.3)))
    return [diagnosing(case, CHECKS["lstm_cell"], _known_mistakes) for case in out]
