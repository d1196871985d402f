"""One hidden suite per exercise, named after it (see grader.engine.suite for what a suite defines)."""
