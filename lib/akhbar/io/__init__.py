"""Formats in and out: span files, Excel, brat, INCEpTION, edits, GEXF, corpus CSV."""
