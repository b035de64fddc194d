"""Views: charts, tables and pages that show the analysis tables (they draw, they do not compute)."""
