"""Articles: from text files and their metadata to an article table (loading, dates)."""
