"""Hidden suite for batch_norm: biased variance to normalise and unbiased to update, n = N*H*W, torch's
momentum convention, evaluation with the running statistics, eps inside the square root, inputs left
unchanged, and the backward pass's mean and variance terms.

When an answer is wrong, each case's checker recomputes the classic mistakes on the case's own inputs
and names the one the answer matches (without quoting data). Sizes stay at a few hundred values so a
pure-Python loop answer passes easily.
"""

from dataclasses import replace
from functools import partial

import numpy as np

from grader.grading import compare
from grader.grading.suite import hidden, public
from grader.grading.generators import named_rng
from grader.grading.compare import tuple_of
_forward = tuple_of(("y", compare.float_array), ("running_mean", compare.float_array), ("running_var", compare.float_array))
_backward = tuple_of(("dx", compare.float_array), ("dgamma", compare.float_array), ("dbeta", compare.float_array))


def _stats(x, per_position=False):
    axes = (0,) if per_position else (0,) + tuple(range(2, x.ndim))
    return axes, x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True)


def _per_channel(v, x):
    return np.asarray(v, dtype=np.float64).reshape((1, x.shape[1]) + (1,) * (x.ndim - 2))


def _forward_variant(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5, *,
                     norm_ddof=0, run_ddof=1, run_count_n=False, reversed_momentum=False, batch_in_eval=False,
                     update_in_eval=False, eps_outside=False, per_position=False):
    """batch_norm with one classic mistake switched on (for naming the mistake, never for expected values)."""
    x = np.asarray(x, dtype=np.float64)
    rm, rv = np.asarray(running_mean, dtype=np.float64), np.asarray(running_var, dtype=np.float64)
    axes, mean, var = _stats(x, per_position)
    n = x.size // x.shape[1] if not per_position else x.shape[0]
    var_norm = var * n / (n - norm_ddof)
    run_n = x.shape[0] if run_count_n else n
    var_run = (var * run_n / (run_n - run_ddof)).reshape(-1) if not per_position else var.mean(axis=tuple(
        range(2, x.ndim))).reshape(-1) * n / (n - run_ddof)
    mean_run = mean.reshape(-1) if not per_position else mean.mean(axis=tuple(range(2, x.ndim))).reshape(-1)
    keep = momentum if reversed_momentum else 1 - momentum
    new_rm, new_rv = keep * rm + (1 - keep) * mean_run, keep * rv + (1 - keep) * var_run
    if not training and not batch_in_eval:
        mean, var_norm = _per_channel(rm, x), _per_channel(rv, x)
    if not training and not update_in_eval:
        new_rm, new_rv = rm, rv
    denom = np.sqrt(var_norm) + eps if eps_outside else np.sqrt(var_norm + eps)
    y = _per_channel(gamma, x) * (x - mean) / denom + _per_channel(beta, x)
    return y, new_rm, new_rv


FORWARD_MISTAKES = {
    "normalised with the unbiased variance: normalise with the biased one (divide by n)": dict(norm_ddof=1),
    "running_var updated with the biased variance: the running update uses the unbiased one (divide by n - 1)":
        dict(run_ddof=0),
    "the unbiased correction counts N values per channel; it is n = N*H*W": dict(run_count_n=True),
    "momentum the other way round: torch keeps (1 - momentum) of the running value and adds momentum times "
    "the batch's": dict(reversed_momentum=True),
    "in evaluation normalise with running_mean and running_var, not with the batch's statistics":
        dict(batch_in_eval=True),
    "in evaluation the running statistics come back unchanged": dict(update_in_eval=True),
    "in evaluation the running statistics come back unchanged, and they (not the batch's) normalise":
        dict(update_in_eval=True, batch_in_eval=True),
    "eps belongs inside the square root: sqrt(var + eps)": dict(eps_outside=True),
    "statistics per position: each channel is averaged over N, H and W together": dict(per_position=True),
}


def _backward_variant(dy, x, gamma, eps=1e-5, *, constant_stats=False, dgamma_of_x=False, unbiased=False,
                      per_position=False, no_gamma=False):
    x, dy = np.asarray(x, dtype=np.float64), np.asarray(dy, dtype=np.float64)
    axes, mean, var = _stats(x, per_position)
    n = x.size // x.shape[1] if not per_position else x.shape[0]
    if unbiased:
        var = var * n / (n - 1)
    inv_std = 1 / np.sqrt(var + eps)
    x_hat = (x - mean) * inv_std
    g = np.ones_like(_per_channel(gamma, x)) if no_gamma else _per_channel(gamma, x)
    sums = (0,) + tuple(range(2, x.ndim))
    dbeta = dy.sum(axis=sums)
    dgamma = (dy * (x if dgamma_of_x else x_hat)).sum(axis=sums)
    if constant_stats:
        dx = dy * g * inv_std
    else:
        dx = g * inv_std / n * (n * dy - dy.sum(axis=axes, keepdims=True)
                                - x_hat * (dy * x_hat).sum(axis=axes, keepdims=True))
    return dx, dgamma, dbeta


BACKWARD_MISTAKES = {
    "dx treats the batch mean and variance as constants; they depend on every x: "
    "dx = gamma / std / n * (n*dy - dbeta - x_hat*dgamma)": dict(constant_stats=True),
    "dgamma sums dy times the normalised x_hat, not dy times x": dict(dgamma_of_x=True),
    "the forward pass normalises with the biased variance (divide by n)": dict(unbiased=True),
    "the statistics of (N, C, H, W) are per channel: sum over N, H and W": dict(per_position=True),
    "dx is missing the factor gamma": dict(no_gamma=True),
}


def _diagnose(base, variant, mistakes, args, kwargs, expected, actual):
    problem = base(expected, actual)
    if problem is None or problem.kind not in (compare.VALUE, compare.NAN):
        return problem
    for text, switches in mistakes.items():
        try:
            with np.errstate(all="ignore"):  # some mistakes divide by n - 1 = 0; they just do not match
                candidate = variant(*args, **kwargs, **switches)
        except (ValueError, ZeroDivisionError, FloatingPointError):
            continue
        if base(candidate, actual) is None and base(candidate, expected) is not None:
            return compare.safe(text)
    return problem


def check_forward(expected, actual):
    return _forward(expected, actual)


def check_backward(expected, actual):
    return _backward(expected, actual)


CHECKS = {"batch_norm": check_forward, "batch_norm_backward": check_backward}


def _diagnosed(case):
    """The case with a checker that knows its inputs, to name the mistake an answer matches."""
    if case.func == "batch_norm":
        check = partial(_diagnose, _forward, _forward_variant, FORWARD_MISTAKES, case.args, case.kwargs)
    else:
        check = partial(_diagnose, _backward, _backward_variant, BACKWARD_MISTAKES, case.args, case.kwargs)
    return replace(case, check=check)


def _params(rng, c):
    return (rng.uniform(0.5, 2.0, size=c) * rng.choice([-1, 1], size=c), rng.normal(size=c),
            rng.normal(size=c), rng.uniform(0.5, 2.0, size=c))


def _random_forward(rng, i):
    four_d = bool(rng.random() < 0.5)
    c = int(rng.integers(1, 5))
    shape = (int(rng.integers(2, 4)), c, int(rng.integers(1, 4)), int(rng.integers(1, 4))) if four_d \
        else (int(rng.integers(2, 9)), c)
    x = rng.normal(loc=rng.normal(scale=3), scale=rng.uniform(0.5, 4), size=shape)
    gamma, beta, rm, rv = _params(rng, c)
    return hidden(f"random_forward_{i}", "random shape, parameters, mode and momentum", "batch_norm",
                  x, gamma, beta, rm, rv, bool(rng.random() < 0.7), momentum=float(rng.uniform(0.05, 0.9)))


def _random_backward(rng, i):
    c = int(rng.integers(1, 4))
    shape = (int(rng.integers(1, 4)), c, int(rng.integers(2, 4)), int(rng.integers(1, 4))) if rng.random() < 0.5 \
        else (int(rng.integers(2, 9)), c)
    return hidden(f"random_backward_{i}", "random shape, input and upstream gradient", "batch_norm_backward",
                  rng.normal(size=shape), rng.normal(loc=1.0, scale=2.0, size=shape), _params(rng, c)[0])


def cases(seeded):
    rng = named_rng()  # the named cases' data is the same at every seed; random cases use `seeded`
    doc_x = np.array([[1.0, 10.0], [3.0, 20.0], [5.0, 30.0], [7.0, 40.0]])
    x2, x4 = rng.normal(loc=2.0, scale=3.0, size=(6, 3)), rng.normal(loc=-1.0, scale=2.0, size=(2, 3, 2, 2))
    g3, b3, rm3, rv3 = _params(rng, 3)
    # W == C: a per-channel vector that is not reshaped to (1, C, 1, 1) broadcasts along W silently.
    x_wc = rng.normal(size=(2, 3, 2, 3))
    tiny = 1e-3 * rng.normal(size=(5, 2))  # variance ~1e-6, below eps: where eps goes matters
    constant = np.column_stack([np.full(4, 3.5), rng.normal(size=4)])
    out = [
        public("docstring_training", "the training example in the docstring", "batch_norm",
               doc_x, np.array([1.0, 2.0]), np.array([0.0, 1.0]), np.zeros(2), np.ones(2), training=True),
        public("docstring_evaluation", "the evaluation example in the docstring", "batch_norm",
               doc_x, np.ones(2), np.zeros(2), np.array([4.0, 25.0]), np.array([4.0, 100.0]), training=False,
               eps=0.0),
        public("docstring_backward", "the backward example in the docstring", "batch_norm_backward",
               np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, -1.0]]), doc_x, np.array([1.0, 2.0])),

        # Training statistics and the running update.
        hidden("train_2d", "training on (6, 3): biased variance normalises, unbiased updates", "batch_norm",
               x2, g3, b3, rm3, rv3, True),
        hidden("train_batch_of_2", "training with N = 2: the unbiased variance is twice the biased one",
               "batch_norm", x2[:2], g3, b3, rm3, rv3, True),
        hidden("train_4d", "training on (2, 3, 2, 2): statistics over N, H and W of each channel", "batch_norm",
               x4, g3, b3, rm3, rv3, True),
        hidden("train_4d_unbiased_count", "(2, 3, 2, 2): the unbiased correction uses n = N*H*W = 8, not N = 2",
               "batch_norm", x4, np.ones(3), np.zeros(3), np.zeros(3), np.ones(3), True, momentum=0.5),
        hidden("train_single_image", "one image (1, 2, 3, 3) in training: n = H*W = 9 is enough", "batch_norm",
               rng.normal(size=(1, 2, 3, 3)), np.ones(2), np.zeros(2), np.zeros(2), np.ones(2), True),
        hidden("momentum_0_3", "momentum 0.3: new = 0.7 * running + 0.3 * batch (torch's convention)",
               "batch_norm", x2, g3, b3, rm3, rv3, True, momentum=0.3),
        hidden("momentum_1", "momentum 1: the running statistics become the batch's (unbiased variance)",
               "batch_norm", x2, g3, b3, rm3, rv3, True, momentum=1.0),
        hidden("momentum_0", "momentum 0: the running statistics stay as they were", "batch_norm",
               x2, g3, b3, rm3, rv3, True, momentum=0.0),
        hidden("gamma_beta_broadcast_4d", "(N, C, H, W) with W == C: gamma and beta act along axis 1",
               "batch_norm", x_wc, g3, b3, rm3, rv3, True),
        hidden("tiny_variance", "a variance below eps: eps goes inside the square root", "batch_norm",
               tiny, np.ones(2), np.zeros(2), np.zeros(2), np.ones(2), True),
        hidden("constant_channel", "a constant channel (variance 0): y = beta there, no division by zero",
               "batch_norm", constant, np.array([2.0, 1.0]), np.array([0.5, -0.5]), np.zeros(2), np.ones(2), True),
        hidden("large_eps", "eps = 0.5, in training", "batch_norm", x2, g3, b3, rm3, rv3, True, eps=0.5),
        hidden("list_input", "nested lists for every argument", "batch_norm",
               [[1, 2], [3, 5], [4, 4]], [1, 1], [0, 0], [0, 0], [1, 1], True),
        # Evaluation.
        hidden("eval_2d", "evaluation: running_mean and running_var normalise, not the batch", "batch_norm",
               x2, g3, b3, rm3, rv3, False),
        hidden("eval_4d", "evaluation on (2, 3, 2, 2), statistics broadcast per channel", "batch_norm",
               x4, g3, b3, rm3, rv3, False, eps=1e-3),
        hidden("eval_single_example", "evaluation of one example (1, C) is fine: no batch statistics needed",
               "batch_norm", x2[:1], g3, b3, rm3, rv3, False),
        # In place.
        replace(hidden("train_leaves_inputs_unchanged",
                       "training: x, running_mean and running_var passed in are not modified in place",
                       "batch_norm", x2.copy(), g3, b3, running_mean=rm3.copy(), running_var=rv3.copy(),
                       training=True), keeps_inputs=True),
        replace(hidden("eval_leaves_inputs_unchanged", "evaluation: x is not modified in place", "batch_norm",
                       x4.copy(), g3, b3, running_mean=rm3.copy(), running_var=rv3.copy(), training=False),
                keeps_inputs=True),
        # Errors.
        hidden("train_one_value_per_channel", "training on (1, C): one value per channel raises ValueError",
               "batch_norm", x2[:1], g3, b3, rm3, rv3, True),
        hidden("gamma_wrong_shape", "gamma of shape (C + 1,) raises ValueError", "batch_norm",
               x2, np.ones(4), b3, rm3, rv3, True),
        hidden("running_mean_wrong_shape", "running_mean of the wrong shape raises ValueError", "batch_norm",
               x2, g3, b3, np.zeros(2), rv3, False),
        hidden("x_1d", "a 1-d x raises ValueError", "batch_norm", np.ones(3), g3, b3, rm3, rv3, True),

        # Backward.
        hidden("backward_2d", "backward on (6, 3): the mean and variance terms", "batch_norm_backward",
               rng.normal(size=(6, 3)), x2, g3),
        hidden("backward_4d", "backward on (2, 3, 2, 2): sums over N, H and W", "batch_norm_backward",
               rng.normal(size=(2, 3, 2, 2)), x4, g3),
        hidden("backward_constant_dy", "dy all ones: dx is 0 (a shift of y is undone by the mean), dbeta = n",
               "batch_norm_backward", np.ones((6, 3)), x2, g3),
        hidden("backward_dy_proportional_to_x", "dy proportional to x: dx is 0 once the variance term is in",
               "batch_norm_backward", 2.0 * x2, x2, g3),
        hidden("backward_batch_of_2", "backward with N = 2", "batch_norm_backward",
               rng.normal(size=(2, 3)), x2[:2], g3),
        hidden("backward_width_equals_channels", "backward on (N, C, H, W) with W == C", "batch_norm_backward",
               rng.normal(size=x_wc.shape), x_wc, g3),
        hidden("backward_eps", "backward with eps = 0.5", "batch_norm_backward",
               rng.normal(size=(6, 3)), x2, g3, eps=0.5),
        hidden("backward_lists", "nested lists", "batch_norm_backward",
               [[1, 0], [0, 2], [1, 1]], [[1, 2], [3, 5], [4, 4]], [1, -1]),
        hidden("backward_shape_mismatch", "dy of a different shape from x raises ValueError",
               "batch_norm_backward", np.ones((5, 3)), x2, g3),
        hidden("backward_gamma_wrong_shape", "gamma of the wrong shape raises ValueError", "batch_norm_backward",
               np.ones((6, 3)), x2, np.ones(2)),
    ]
    out += [_random_forward(seeded, i) for i in range(4)]
    out += [_random_backward(seeded, i) for i in range(3)]
    return [_diagnosed(case) for case in out]
