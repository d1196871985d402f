"""A class's reports, written from its records: the gradebook, each student's feedback, the class
report (with near-identical submissions and every choice discovery made) and the LMS export."""

from __future__ import annotations

from pathlib import Path

from grader.classroom import similarity
from grader.classroom.discovery import Decision
from grader.classroom.roster import Join
from grader.classroom.run import BatchRun, read_source
from grader.report import feedback, gradebook, html, lms as lms_export

#: The assignment column of an LMS export.
DEFAULT_ASSIGNMENT = "Autograded exercises"


def find_similar(run: BatchRun, *, threshold: float = 0.8) -> dict[str, list[similarity.Pair]]:
    """exercise -> pairs of students whose files are near-identical once names and layout are
    normalised; the stub everyone started from does not count."""
    found = {}
    for exercise in run.exercises:
        sources = {}
        for submission in run.submissions:
            path = submission.attempt(exercise.name)
            if path is not None:
                sources[submission.student] = read_source(path)
        try:
            base = exercise.stub_path.read_text(encoding="utf-8")
        except OSError:
            base = None
        pairs = similarity.similar_pairs(sources, base=base, threshold=threshold)
        if pairs:
            found[exercise.name] = pairs
    return found


def decisions(run: BatchRun) -> list[Decision]:
    """Every choice discovery made, for the summary and the report: one per student x note, then the
    entries that were not submissions at all."""
    found = [Decision(s.student, n.kind, n.text) for s in run.submissions for n in s.notes]
    found += [Decision(name, "skipped", "skipped: neither a folder nor a .zip") for name in run.skipped]
    return found


def write_reports(run: BatchRun, out: Path, *, title: str = "Class report", similar_at: float = 0.8,
                  roster: Join | None = None, lms: str | None = None,
                  assignment: str = DEFAULT_ASSIGNMENT) -> dict[str, Path]:
    """Gradebook, per-student feedback, the class report and (with ``lms``) the LMS import file, all
    from the results file's records. ``roster`` is the join of the run's students to a roster."""
    out = Path(out)
    students = [s.student for s in run.submissions]
    # Students graded earlier but absent now still have their records: keep them in the reports.
    students += sorted({r.student for r in run.records} - set(students))
    exercises = [e.name for e in run.exercises]
    exercises += sorted({r.exercise for r in run.records} - set(exercises))
    keys = {s: roster.key_of(s) for s in students} if roster else None
    written = {"grades": gradebook.write_csv(out / "grades.csv", run.records, students=students,
                                             exercises=exercises, roster_keys=keys)}
    feedback.write_all(out / "feedback", run.records, students=students, exercises=exercises)
    written["feedback"] = out / "feedback"
    written["report"] = html.write_report(out / "report.html", run.records, students=students,
                                          exercises=exercises, similar=find_similar(run, threshold=similar_at),
                                          title=title, decisions=decisions(run), roster=roster)
    if lms:
        written["lms"] = lms_export.write(out / f"{lms}.csv", lms, roster, run.records, students=students,
                                          exercises=exercises, assignment=assignment)
    return written
