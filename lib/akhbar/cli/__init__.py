"""The command line (``akhbar ...`` / ``python -m akhbar``) and the workbook runner."""
