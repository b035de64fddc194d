"""akhbar: read, annotate and compare how Arabic news articles frame the same actors."""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

try:
    __version__ = _version("akhbar")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0.0.0+unknown"

from .annotate import SPAN_COLUMNS, AnnotationDrift, CorrectionSkipped, annotate, annotate_text
from .candidates import new_actors
from .charts import (plot_actor_bars, plot_framing_by_target, plot_keyness, plot_network,
                     plot_theme_shares, plot_theme_strip, plot_timeline, save_all_charts)
from .compare import (actor_labels, actor_presence, article_labels, cooccurrence, edges_frame, keyness,
                      legitimacy_by_target, paragraph_themes, quoted, theme_matrix, timeline, williams_q)
from .corpus import (ArticleError, ArticleSkipped, MetadataWarning, article_stats,
                     load_articles, paragraphs)
from .display import rtl_html, show
from .entities import actor_counts, actor_names, load_actors, load_gazetteer
from .evaluate import evaluate_folder, read_gold_entities, score_entities
from .export import actor_graph, to_corpus_csv, to_gexf, write_spans
from .findings import findings, reading
from .plot import label, save_fig
from .text import kwic, normalize, sentences, stopwords, tokens, word_counts
from .workbook import setup_workbook

__all__ = ["SPAN_COLUMNS", "AnnotationDrift", "CorrectionSkipped", "ArticleError", "ArticleSkipped", "MetadataWarning",
           "actor_counts", "actor_names", "annotate", "annotate_text", "article_stats", "kwic",
           "label", "load_actors", "load_articles", "load_gazetteer", "new_actors",
           "evaluate_folder", "read_gold_entities", "score_entities", "normalize", "paragraphs", "rtl_html",
           "save_fig", "sentences", "setup_workbook", "show", "stopwords", "tokens", "word_counts",
           "actor_labels", "actor_presence", "article_labels", "cooccurrence", "edges_frame", "keyness",
           "legitimacy_by_target", "paragraph_themes", "quoted", "theme_matrix", "timeline",
           "plot_actor_bars", "plot_framing_by_target", "plot_keyness", "plot_network",
           "plot_theme_shares", "plot_theme_strip", "plot_timeline", "save_all_charts"]
from .archive import find_duplicates, load_corpus
from .distributed import annotate_dask
from .store import aggregate, annotate_corpus

__all__ += ["__version__", "actor_graph", "findings", "reading", "to_corpus_csv", "to_gexf", "williams_q",
            "write_spans"]
__all__ += ["aggregate", "annotate_corpus", "annotate_dask", "find_duplicates", "load_corpus"]
