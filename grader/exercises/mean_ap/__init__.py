"""mean_ap: Average precision and mAP. The catalog entry; the hidden suite is ``suite.py`` beside it."""

from grader.catalog import Exercise

EXERCISE = Exercise(
    name="mean_ap",
    track="detection",
    title="Average precision and mAP",
    functions=("average_precision", "mean_average_precision"),
    difficulty="hard",
    minutes=35,
    hints=(
        "Per class: sort detections by score, mark each as a true or false positive, and take cumulative "
        "sums to get recall = cumTP / n_gt and precision = cumTP / (cumTP + cumFP).",
        "Each ground truth may be matched once: a second detection of the same object is a false positive. "
        "Match within the same image and class, to the unmatched ground truth with the highest IoU, and "
        "count it when IoU >= threshold.",
        "For 'voc', make precision non-increasing from the right (the envelope) and sum (r[i+1]-r[i])*p[i+1] "
        "where recall changes; 'voc07' and 'coco' average the best precision at recall >= t over 11 and 101 "
        "thresholds.",
    ),
)
