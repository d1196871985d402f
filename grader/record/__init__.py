"""The vocabulary and the records: how a case, a grading, a class grading and a practice session ended,
and the result every report is built from. Imports nothing of grader but itself: everything sits on it."""
