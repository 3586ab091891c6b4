"""Benchmarks behind ``make bench``: every ``bench/*_bench.py`` module's ``main()``."""
