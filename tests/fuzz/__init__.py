"""Fuzzing support: hypothesis strategies for hostile input (``strategies``) and atheris
harnesses runnable by hand (``atheris_harness``). Property tests live in tests/test_fuzz_*.py."""
