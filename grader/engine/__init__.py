"""The grading engine: a suite's cases, the reference's answers, the attempt in a sandboxed worker,
and the verdict, computed in the grader's own process.

suite     what a suite is made of (cases, checkers)
compare   checkers: do two values agree, and if not, a Problem saying how
outcomes  the one vocabulary of case statuses and grading outcomes
results   CaseResult and ExerciseResult: the record every report is built from
sandbox   the parent's side of the worker process (limits, OS layer, the reply channel)
worker    the child's side: the only code that imports an attempt
grading   grade_attempt(): suite + reference + sandbox + compare -> ExerciseResult
"""
