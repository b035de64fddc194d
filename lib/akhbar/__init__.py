"""akhbar: read, annotate and compare how Arabic news articles frame the same actors."""

from .corpus import (ArticleError, ArticleSkipped, MetadataWarning, article_stats,
                     load_articles, paragraphs)
from .text import kwic, normalize, sentences, stopwords, tokens, word_counts

__all__ = ["ArticleError", "ArticleSkipped", "MetadataWarning", "article_stats", "kwic",
           "load_articles", "normalize", "paragraphs", "sentences", "stopwords", "tokens",
           "word_counts"]
