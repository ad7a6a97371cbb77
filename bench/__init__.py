"""Benchmarks for the targets of DESIGN.md ("Performance"). Run them with `make bench`."""
