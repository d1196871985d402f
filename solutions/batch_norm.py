"""Reference: batch normalisation forward (training and evaluation) and its training-mode backward pass,
with torch.nn.functional.batch_norm semantics, in numpy."""

import numbers

import numpy as np


def _channel_shape(x):
    # (1, C, 1, 1) for (N, C, H, W), (1, C) for (N, C): a per-channel vector broadcast against x.
    return (1, x.shape[1]) + (1,) * (x.ndim - 2)


def _reduce_axes(x):
    return (0,) + tuple(range(2, x.ndim))


def _check_x(x):
    if x.ndim < 2:
        raise ValueError(f"x must have shape (N, C) or (N, C, H, W), got {x.shape}")


def _per_channel(value, name, channels):
    value = np.asarray(value, dtype=np.float64)
    if value.shape != (channels,):
        raise ValueError(f"{name} must have shape ({channels},), got {value.shape}")
    return value


def batch_norm(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    x = np.array(x, dtype=np.float64)  # copies: nothing the caller passed is modified
    _check_x(x)
    c = x.shape[1]
    gamma, beta = _per_channel(gamma, "gamma", c), _per_channel(beta, "beta", c)
    running_mean = _per_channel(running_mean, "running_mean", c).copy()
    running_var = _per_channel(running_var, "running_var", c).copy()
    if not isinstance(momentum, numbers.Real) or not 0.0 <= momentum <= 1.0:
        raise ValueError(f"momentum must be a number in [0, 1], got {momentum!r}")
    if not isinstance(eps, numbers.Real) or eps < 0:
        raise ValueError(f"eps must be a number >= 0, got {eps!r}")

    shape, axes = _channel_shape(x), _reduce_axes(x)
    if training:
        count = x.size // c
        if count < 2:
            # torch refuses too: the unbiased variance of one value divides by zero.
            raise ValueError("training needs more than 1 value per channel (N * H * W > 1)")
        mean = x.mean(axis=axes)
        var = x.var(axis=axes)  # biased (divide by n): what the batch is normalised with
        # The running variance estimates the population variance: unbiased, divide by n - 1.
        running_mean = (1 - momentum) * running_mean + momentum * mean
        running_var = (1 - momentum) * running_var + momentum * var * count / (count - 1)
    else:
        mean, var = running_mean, running_var
    y = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps)
    return gamma.reshape(shape) * y + beta.reshape(shape), running_mean, running_var


def batch_norm_backward(dy, x, gamma, eps=1e-5):
    x = np.asarray(x, dtype=np.float64)
    dy = np.asarray(dy, dtype=np.float64)
    _check_x(x)
    if dy.shape != x.shape:
        raise ValueError(f"dy must have x's shape {x.shape}, got {dy.shape}")
    c = x.shape[1]
    gamma = _per_channel(gamma, "gamma", c)
    count = x.size // c
    if count < 2:
        raise ValueError("training needs more than 1 value per channel (N * H * W > 1)")
    shape, axes = _channel_shape(x), _reduce_axes(x)
    mean = x.mean(axis=axes, keepdims=True)
    inv_std = 1.0 / np.sqrt(x.var(axis=axes, keepdims=True) + eps)
    x_hat = (x - mean) * inv_std
    dbeta = dy.sum(axis=axes)
    dgamma = (dy * x_hat).sum(axis=axes)
    # The batch mean and variance depend on every x, which adds the two sums' terms to dy's own.
    dx = gamma.reshape(shape) * inv_std / count * (
        count * dy - dbeta.reshape(shape) - x_hat * dgamma.reshape(shape))
    return dx, dgamma, dbeta
