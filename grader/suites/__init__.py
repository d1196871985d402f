"""One hidden suite per exercise, named after it (see grader.suite for what a suite defines)."""
