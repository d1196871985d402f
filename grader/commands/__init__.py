"""Click commands beyond the core ones in grader.cli, one module per feature; cli.py registers them."""
