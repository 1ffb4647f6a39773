"""Inputs: readers of article tables, saved pages, feeds and link lists, sharing rows.py, the
fetcher and outlet names; ingest() merges them into the store. Imports only the base (errors,
settings, store, tomlfiles) and inputs."""
