"""Benchmarks of clearance's name screening against nomenklatura's LogicV2 and LogicV1 scorers.

Run ``python -m bench`` (after ``pip install -e '.[bench]'``); results go to stdout and to
``bench/results/latest.md``. Not part of the test suite: the targets are measured here, not
asserted in timed tests.
"""
