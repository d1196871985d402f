"""Grading a class: find each student's files, grade every student x exercise in its own sandbox,
keep the results on disk, and look for near-identical submissions.

submissions  discovering students (folders, zips) and their files
batch        the parallel grading run, results.jsonl and --resume
similarity   winnowed token fingerprints across submissions
"""
