"""The casemigrate benchmark suite: see run.py and RESULTS.md."""
