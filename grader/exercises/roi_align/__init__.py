"""roi_align: ROIAlign and ROIPool (torchvision.ops semantics). The catalog entry; the hidden suite is ``suite.py`` beside it."""

from grader.catalog import Exercise

EXERCISE = Exercise(
    name="roi_align",
    track="detection",
    title="ROIAlign and ROIPool (torchvision.ops semantics)",
    functions=("roi_align", "roi_pool"),
    difficulty="hard",
    minutes=35,
    hints=(
        "Scale each roi by spatial_scale first. ROIPool then rounds the corners to whole pixels and takes "
        "the max over each bin; ROIAlign never rounds: it averages bilinear samples taken inside each bin.",
        "ROIAlign: with aligned=True subtract 0.5 from the scaled corners (pixel centres sit at +0.5); the "
        "roi's size is clamped to at least 1 only when aligned=False. Each bin is (roi_h / PH) x (roi_w / "
        "PW); with sampling_ratio <= 0 it takes ceil(roi_h / PH) x ceil(roi_w / PW) samples at the centres "
        "of an even grid inside the bin, not at its corners.",
        "A sample with y < -1 or y > H (x likewise) contributes 0 but still counts in the mean; otherwise "
        "clamp y to [0, H - 1] and interpolate between floor(y) and floor(y) + 1. ROIPool rounds the scaled "
        "corners half away from zero, makes the roi at least 1 x 1, and cuts bin (i, j) from "
        "floor(i * h / PH) to ceil((i + 1) * h / PH), clipped to the map; an empty bin is 0.",
    ),
)
