"""Helpers shared by the tests and the benchmarks (live server, databases, browser flags)."""
