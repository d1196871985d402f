"""Who a submission is: the one place for the student-name rule.

A student is known by the name their submission was handed in under (``José Núñez``, ``李华``,
``Anne_Lee.zip`` -> ``Anne_Lee``), kept exactly (Unicode, NFC) in every record, gradebook and report:
that is what an instructor matches against a roster. Files need a name that is safe everywhere
(ASCII, no separators, not a dot file), so feedback files get a *file name* derived from it: the
name folded to ASCII (spaces become '_'), with a short digest of the original appended whenever
folding lost anything else (accents, other scripts, punctuation) or two names would clash on a
case-insensitive disk (``Anne Lee`` and ``Anne_Lee``, ``ann`` and ``Ann``). It depends only on the names themselves, so it is
the same on every run of the same class, and grades.csv records which file is whose.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

#: A name that is nothing but dots, spaces or invisible characters becomes this.
UNNAMED = "unnamed"


def display_name(raw: str) -> str:
    """A folder or zip stem as people should see it: NFC (macOS writes names decomposed), control
    characters shown as '?', outer blanks removed."""
    name = unicodedata.normalize("NFC", raw)
    name = "".join("?" if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in name).strip()
    return name or UNNAMED


def unique_names(entries: list[tuple[str, str]]) -> list[str]:
    """(stem, entry name) pairs -> one distinct student name each: the stem, or the whole entry name
    (``alice.zip``) when a folder already took that stem, then a counter as a last resort."""
    taken: set[str] = set()
    names = []
    for stem, entry in entries:
        for candidate in (display_name(stem), display_name(entry)):
            if candidate not in taken:
                break
        else:
            n = 2
            while f"{candidate} ({n})" in taken:
                n += 1
            candidate = f"{candidate} ({n})"
        taken.add(candidate)
        names.append(candidate)
    return names


def _fold(name: str) -> str:
    """ASCII letters, digits, '.', '_', '-'; accents dropped (José -> Jose), anything else '_'."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_only)
    return re.sub(r"^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "", slug)[:60]


def digest(name: str, length: int = 6) -> str:
    """A short hex digest of a name: distinct names give distinct digests (in practice)."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:length]


def file_names(names: list[str]) -> dict[str, str]:
    """Student name -> a file stem safe on any disk, distinct even where case does not count."""
    folded = {name: _fold(name) for name in names}
    clashes: dict[str, int] = {}
    for slug in folded.values():
        clashes[slug.lower()] = clashes.get(slug.lower(), 0) + 1
    stems = {}
    for name, slug in folded.items():
        # Spaces becoming '_' loses nothing a person would miss; a clash is caught just the same.
        if slug and slug == name.replace(" ", "_") and clashes[slug.lower()] == 1:
            stems[name] = slug
        else:
            stems[name] = f"{slug or 'student'}-{digest(name)}"
    # Six hex digits can still meet (or meet a real name such as "x-1a2b3c"): lengthen until none do.
    for length in (12, 24, 64):
        seen: dict[str, int] = {}
        for stem in stems.values():
            seen[stem.lower()] = seen.get(stem.lower(), 0) + 1
        if all(n == 1 for n in seen.values()):
            break
        stems = {name: (f"{folded[name] or 'student'}-{digest(name, length)}" if seen[stem.lower()] > 1 else stem)
                 for name, stem in stems.items()}
    return stems


def match_key(text: str) -> str:
    """How a submission name and a roster entry are compared: case, accents' composition, spaces
    and underscores do not count (``Anne_Lee`` matches ``anne lee``)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s_]+", " ", text).strip()
