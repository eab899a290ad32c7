"""Benchmarks for ``make bench``: each figure is printed beside a baseline measured
in the same run, since these machines are shared and their speed varies."""
