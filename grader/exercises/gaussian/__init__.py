"""gaussian: Gaussian kernel and blur. The catalog entry; the hidden suite is ``suite.py`` beside it."""

from grader.catalog import Exercise

EXERCISE = Exercise(
    name="gaussian",
    track="image processing",
    title="Gaussian kernel and blur",
    functions=("gaussian_kernel", "gaussian_blur"),
    difficulty="medium",
    minutes=20,
    hints=(
        "Offsets run from -(ksize // 2) to ksize // 2. Build the 1-d kernel first: the 2-d one is its outer "
        "product with itself, and normalising makes it sum to 1.",
        "When sigma <= 0 use OpenCV's rule sigma = 0.3 * ((ksize - 1) * 0.5 - 1) + 0.8. Reject a ksize that "
        "is not a positive odd integer with ValueError.",
        "Pad with reflect-101 (np.pad(mode='reflect'), which mirrors without repeating the edge pixel), then "
        "filter each channel; the result is float64 with the input's shape.",
    ),
)
