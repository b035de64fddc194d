"""The annotation pipeline: the engine, the span table, the researcher's corrections, batches."""
