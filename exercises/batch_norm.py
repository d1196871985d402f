"""Batch normalisation: the forward pass in training and in evaluation, and the backward pass.

Write it by hand with Python and numpy: cv2, torch, torchvision, scipy and the like are refused.
Every result is compared with rtol=1e-5, atol=1e-6 against the reference.
Check your work with `grade batch_norm`; stuck? `grade hint batch_norm`.
"""

import numpy as np


def batch_norm(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    """Batch normalisation as torch.nn.functional.batch_norm(x, running_mean, running_var, gamma, beta,
    training, momentum, eps) computes it.

    x:            shape (N, C) or (N, C, H, W) (any (N, C, ...) works alike); channel axis 1.
    gamma, beta:  shape (C,), the per-channel scale and shift.
    running_mean, running_var: shape (C,), the running statistics used in evaluation.
    training:     True or False.
    Inputs may be numpy arrays or nested lists.

    Each channel c is normalised over every other axis (N, or N, H and W: n = N*H*W values):
        y = gamma[c] * (x - mean) / sqrt(var + eps) + beta[c]
    - training=True: mean and var are the batch's own, var the BIASED variance (divide by n). The
      running statistics are updated with torch's momentum convention:
          new_running_mean = (1 - momentum) * running_mean + momentum * mean
          new_running_var  = (1 - momentum) * running_var  + momentum * var_unbiased
      where var_unbiased = var * n / (n - 1) (divide by n - 1).
    - training=False: mean and var ARE running_mean and running_var; the running statistics come
      back unchanged.
    Return (y, new_running_mean, new_running_var) as float arrays of shapes x.shape, (C,), (C,).
    Never modify the arrays passed in (running_mean *= ... changes the caller's array): return new ones.

    Raise ValueError when x has fewer than 2 axes, gamma, beta, running_mean or running_var is not
    of shape (C,), or training=True with n = 1 (one value per channel has no unbiased variance).

    Example:
        >>> x = np.array([[1.0, 10.0],
        ...               [3.0, 20.0],
        ...               [5.0, 30.0],
        ...               [7.0, 40.0]])              # N = 4, C = 2
        >>> y, rm, rv = batch_norm(x, np.array([1.0, 2.0]), np.array([0.0, 1.0]),
        ...                        np.zeros(2), np.ones(2), training=True)
        >>> y
        array([[-1.342, -1.683],
               [-0.447,  0.106],
               [ 0.447,  1.894],
               [ 1.342,  3.683]])
        >>> rm, rv
        (array([0.4, 2.5]), array([ 1.567, 17.567]))

        (shown to 3 decimals) Channel 0 has mean 4, biased variance 5 (to normalise) and unbiased
        variance 20/3 (for the update): 0.9 * 1 + 0.1 * 20/3 = 1.567.

        >>> y, rm, rv = batch_norm(x, np.ones(2), np.zeros(2), np.array([4.0, 25.0]),
        ...                        np.array([4.0, 100.0]), training=False, eps=0.0)
        >>> y
        array([[-1.5, -1.5],
               [-0.5, -0.5],
               [ 0.5,  0.5],
               [ 1.5,  1.5]])

        In evaluation the running statistics normalise: (1 - 4) / sqrt(4) = -1.5.
    """
    # TODO: your code here
    raise NotImplementedError


def batch_norm_backward(dy, x, gamma, eps=1e-5):
    """The gradient of batch_norm in training mode (batch statistics), as autograd computes it.

    dy:    d loss / d y, of x's shape.
    x:     the forward pass's input, (N, C) or (N, C, H, W).
    gamma: shape (C,).

    With n, mean, var (biased) and x_hat = (x - mean) / sqrt(var + eps) per channel as in the
    forward pass, return (dx, dgamma, dbeta):
        dbeta[c]  = sum of dy over every axis but 1
        dgamma[c] = sum of dy * x_hat over every axis but 1
        dx        = gamma / sqrt(var + eps) / n * (n * dy - dbeta - x_hat * dgamma)   (per channel)
    The batch mean and variance depend on every x: dx is NOT just dy * gamma / sqrt(var + eps).
    (beta and the running statistics play no part.) Shapes: x.shape, (C,), (C,).

    Raise ValueError when dy's shape differs from x's, gamma is not of shape (C,), x has fewer
    than 2 axes, or n = 1.

    Example:
        >>> x = np.array([[1.0, 10.0], [3.0, 20.0], [5.0, 30.0], [7.0, 40.0]])
        >>> dy = np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, -1.0]])
        >>> dx, dgamma, dbeta = batch_norm_backward(dy, x, np.array([1.0, 2.0]))
        >>> dx
        array([[ 0.134, -0.036],
               [-0.179,  0.018],
               [-0.045,  0.072],
               [ 0.089, -0.054]])
        >>> dgamma, dbeta
        (array([-1.342, -1.342]), array([ 1., -1.]))

        (shown to 3 decimals) dbeta sums dy per channel; dgamma[0] = 1 * x_hat[0, 0] = -3 / sqrt(5).
    """
    # TODO: your code here
    raise NotImplementedError
