"""Near-identical code is found whatever the names, layout and comments; different code is not."""

from grader.classroom import similarity

ORIGINAL = '''
import numpy as np


def nms(boxes, scores, iou_threshold):
    """Greedy NMS."""
    order = np.argsort(-np.asarray(scores), kind="stable")
    keep = []
    suppressed = set()
    for i in order:
        if i in suppressed:
            continue
        keep.append(int(i))
        for j in order:
            if j != i and j not in suppressed and iou(boxes[i], boxes[j]) > iou_threshold:
                suppressed.add(j)
    return keep


def iou(a, b):
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0
'''

# The same code, renamed, reformatted, recommented, with another docstring and other constants.
DISGUISED = '''
import numpy as np

def nms(bxs, scr, thr):
    # my own solution!!
    idx = np.argsort(-np.asarray(scr), kind='stable')
    kept = [ ]
    gone = set()
    for a in idx:
        if a in gone: continue
        kept.append(int(a))
        for b in idx:
            if b != a and b not in gone and overlap(bxs[a], bxs[b]) > thr:
                gone.add(b)
    return kept

def overlap(p, q):
    """Intersection over union."""
    ww = max(0, min(p[2], q[2]) - max(p[0], q[0]))
    hh = max(0, min(p[3], q[3]) - max(p[1], q[1]))
    i = ww * hh
    u = (p[2] - p[0]) * (p[3] - p[1]) + (q[2] - q[0]) * (q[3] - q[1]) - i
    return i / u if u > 0 else 0
'''

# A different way to write NMS: vectorised, with a mask.
DIFFERENT = '''
import numpy as np


def nms(boxes, scores, iou_threshold):
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    scores = np.asarray(scores, dtype=float)
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    alive = np.ones(len(scores), dtype=bool)
    result = []
    for i in np.argsort(-scores, kind="stable"):
        if not alive[i]:
            continue
        result.append(int(i))
        xx1 = np.maximum(boxes[i, 0], boxes[:, 0])
        yy1 = np.maximum(boxes[i, 1], boxes[:, 1])
        xx2 = np.minimum(boxes[i, 2], boxes[:, 2])
        yy2 = np.minimum(boxes[i, 3], boxes[:, 3])
        inter = np.clip(xx2 - xx1, 0, None) * np.clip(yy2 - yy1, 0, None)
        union = areas[i] + areas - inter
        ious = np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)
        alive &= ~(ious > iou_threshold)
    return np.array(result, dtype=np.int64)
'''

STUB = '''
def nms(boxes, scores, iou_threshold):
    """Non-maximum suppression: a long contract that every student received.

    Example:
        >>> nms([[0, 0, 10, 10]], [0.9], 0.5)
        [0]
    """
    # TODO: your code here
    raise NotImplementedError
'''


def _similarity(a: str, b: str) -> float:
    """How alike two files are, as the class report measures it (0 when they share nothing)."""
    pairs = similarity.similar_pairs({"a": a, "b": b}, threshold=0.0, min_fingerprints=1)
    return pairs[0].similarity if pairs else 0.0


def test_renaming_reformatting_and_comments_change_nothing():
    assert similarity.normalise(ORIGINAL) == similarity.normalise(DISGUISED)
    assert _similarity(ORIGINAL, DISGUISED) == 1.0


def test_different_code_is_not_similar():
    assert _similarity(ORIGINAL, DIFFERENT) < 0.2


def test_normalise_keeps_structure_and_apis_but_not_names_or_prose():
    tokens = similarity.normalise('def f(x):\n    """doc"""\n    # note\n    return np.argsort(x) + 1\n')
    assert tokens == ["def", "V", "(", "V", ")", ":", "return", "V", ".", "argsort", "(", "V", ")", "+", "N"]


def test_similar_pairs_ranks_copies_and_ignores_the_stub():
    sources = {"alice": ORIGINAL, "bob": DISGUISED, "carol": DIFFERENT, "dave": STUB, "erin": STUB}
    pairs = similarity.similar_pairs(sources, base=STUB, threshold=0.8)
    assert [(p.a, p.b) for p in pairs] == [("alice", "bob")]
    assert pairs[0].similarity == 1.0 and pairs[0].shared > 0
    # Two untouched stubs are alike only in what everyone was given: not a pair.
    everyone = similarity.similar_pairs(sources, base=STUB, threshold=0.0)
    assert all("dave" not in (p.a, p.b) and "erin" not in (p.a, p.b) for p in everyone)


OTHER_IOU = '''
def iou(a, b):
    ax, bx = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    wh = np.clip(np.minimum(ax[2:], bx[2:]) - np.maximum(ax[:2], bx[:2]), 0, None)
    inter = wh.prod()
    union = np.prod(ax[2:] - ax[:2]) + np.prod(bx[2:] - bx[:2]) - inter
    return float(inter / union) if union > 0 else 0.0
'''


def test_a_partial_copy_scores_between():
    half = ORIGINAL.split("def iou")[0] + OTHER_IOU
    assert 0.2 < _similarity(ORIGINAL, half) < 0.9


def test_code_that_does_not_parse_still_has_fingerprints():
    broken = ORIGINAL.replace("def iou(a, b):", "def iou(a, b)\n  )")
    assert similarity.fingerprints(broken)
    assert similarity.fingerprints("") == frozenset()


def test_pairs_are_joined_into_groups():
    pairs = [similarity.Pair("a", "b", 1.0, 9), similarity.Pair("b", "c", 0.9, 8),
             similarity.Pair("d", "e", 0.95, 7)]
    found = similarity.groups(pairs)
    assert [(g.students, g.highest, g.lowest, g.pairs) for g in found] == [
        (("a", "b", "c"), 1.0, 0.9, 2), (("d", "e"), 0.95, 0.95, 1)]
