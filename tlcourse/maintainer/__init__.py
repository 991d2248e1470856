"""Maintainer tooling, apart from what notebooks and learners import.

``runner`` executes notebooks headless (``python -m tlcourse run``), ``bench`` measures the
course against its baselines (``bench``), ``cardgen`` reruns notebooks over seeds and writes
the expected-results cards and the README's results table (``cards``).
"""
