"""akhbar: read, annotate and compare how Arabic news articles frame the same actors."""

from .annotate import SPAN_COLUMNS, AnnotationDrift, annotate, annotate_text
from .corpus import (ArticleError, ArticleSkipped, MetadataWarning, article_stats,
                     load_articles, paragraphs)
from .display import rtl_html, show
from .entities import actor_counts, actor_names, load_actors
from .plot import label, save_fig
from .text import kwic, normalize, sentences, stopwords, tokens, word_counts
from .workbook import setup_workbook

__all__ = ["SPAN_COLUMNS", "AnnotationDrift", "ArticleError", "ArticleSkipped", "MetadataWarning",
           "actor_counts", "actor_names", "annotate", "annotate_text", "article_stats", "kwic",
           "label", "load_actors", "load_articles", "normalize", "paragraphs", "rtl_html",
           "save_fig", "sentences", "setup_workbook", "show", "stopwords", "tokens", "word_counts"]
