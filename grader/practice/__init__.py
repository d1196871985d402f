"""The learner's own loop: timed practice sessions, their history, hints, and the file watcher.

session   the practice loop (clock, watcher, keys and grading injected)
terminal  its keys and screens
watch     the polling file watcher
history   the record of sessions and gradings
hints     progressive hints, remembered per exercise
"""
