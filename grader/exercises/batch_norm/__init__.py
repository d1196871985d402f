"""batch_norm: Batch normalisation: training, evaluation and the backward pass. The catalog entry; the hidden suite is ``suite.py`` beside it."""

from grader.catalog import Exercise

EXERCISE = Exercise(
    name="batch_norm",
    track="layers",
    title="Batch normalisation: training, evaluation and the backward pass",
    functions=("batch_norm", "batch_norm_backward"),
    difficulty="hard",
    minutes=30,
    hints=(
        "Each channel (axis 1) is normalised over every other axis: for (N, C, H, W) that is n = N*H*W "
        "values. Reshape per-channel vectors to (1, C, 1, 1) so they broadcast along the channel axis.",
        "Training normalises with the batch's biased variance (np.var, divide by n) but updates the running "
        "variance with the unbiased one (times n / (n - 1)); torch's momentum keeps (1 - momentum) of the "
        "old value. Evaluation uses the running statistics and returns them unchanged. Build new arrays: "
        "running_mean *= ... would change the caller's.",
        "Backward: with x_hat = (x - mean) / sqrt(var + eps), dbeta = sum(dy), dgamma = sum(dy * x_hat) "
        "per channel, and dx = gamma / sqrt(var + eps) / n * (n*dy - dbeta - x_hat*dgamma): the last two "
        "terms come from the mean and the variance depending on x.",
    ),
)
