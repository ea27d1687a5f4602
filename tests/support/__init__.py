"""Helpers shared by the tests: paths, the stack, pipelines, corpora, servers."""
