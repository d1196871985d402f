"""Grading: a suite's cases, the reference's answers, the attempt's answers from the sandbox, and the
verdict, all computed in the grader's own process.

suite       what a suite is made of (Case, public, hidden, diagnosing)
compare     checkers: do two values agree, and if not, a Problem saying how
generators  the data generators suites share
limits      the seed and the worker's limits
attempt     grade_attempt(): suite + reference + sandbox + compare -> ExerciseResult
classify    a class grading's outcome from a result
"""
