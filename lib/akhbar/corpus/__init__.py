"""The archive path: large archives read in batches, stored and annotated (DuckDB, Dask)."""
