"""Analysis: tables that compare articles (key words, labels, networks, timelines, scores)."""
