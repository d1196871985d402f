"""Grading a class: find each student's files, grade every student x exercise in its own sandbox,
keep the results on disk, and look for near-identical submissions.

identity     who a submission is: the original name, and the safe file name derived from it
submissions  discovering students (folders, zips) and, by a stated rule, the file of each exercise
notebooks    a Jupyter notebook's code cells as a gradable Python file
batch        the parallel grading run, results.jsonl, --resume and the extraction folders
roster       joining the students to the instructor's roster
single       one student's folder on its own (Gradescope)
similarity   winnowed token fingerprints across submissions
"""
