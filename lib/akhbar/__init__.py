"""akhbar: read, annotate and compare how Arabic news articles frame the same actors."""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

try:
    __version__ = _version("akhbar")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0.0.0+unknown"

from .pipeline.engine import SPAN_COLUMNS, annotate_text
from .pipeline.corrections import DRIFTED_COLUMNS, AnnotationDrift, CorrectionSkipped
from .pipeline.batches import annotate
from .analysis.proposals import new_actors
from .analysis.chronology import timeline
from .analysis.comparison import actor_presence, legitimacy_by_target, quoted, theme_matrix
from .articles.loading import ArticleError, ArticleSkipped, MetadataWarning, load_articles
from .views.tables import prose, rtl_html, show, show_table
from .analysis.keywords import grouped_keyness, keyness, williams_q
from .analysis.naming import actor_display, actor_labels, article_groups, article_labels, article_order
from .analysis.network import cooccurrence, edges_frame
from .layers.themes import paragraph_themes
from .layers.entities import actor_counts, actor_names, load_actors, load_gazetteer
from .analysis.evaluation import evaluate_folder, read_gold_entities, score_entities
from .views.written import findings, reading
from .text import kwic, normalize, sentences, stopwords, tokens, word_counts
from .zones import article_stats, paragraphs

# Submodules that need matplotlib, networkx, DuckDB or Dask are imported on first use
# (module __getattr__ below), so `import akhbar` stays light for the command line and
# the annotation workers.
_LAZY = {
    "views.charts": ("caption", "plot_actor_bars", "plot_framing_by_target", "plot_keyness", "plot_network",
                     "plot_theme_shares", "plot_theme_strip", "plot_timeline", "save_all_charts"),
    "views.corpus_charts": ("plot_corpus_mentions", "plot_corpus_themes", "plot_label_years"),
    "io.export": ("actor_graph", "to_corpus_csv", "to_gexf", "write_spans"),
    "views.style": ("label", "save_fig"),
    "cli.workbook": ("project", "setup_workbook"),
    "corpus.archive": ("find_duplicates", "load_corpus"),
    "corpus.distributed": ("annotate_dask",),
    "corpus.store": ("aggregate", "annotate_corpus"),
    "io.brat": ("to_brat", "from_brat"),
    "io.inception": ("to_inception", "from_inception"),
    "views.review_panel": ("review", "review_sample"),
    "views.highlight": ("show_article",),
    "analysis.reliability": ("agreement", "agreement_note"),
}
_LAZY_NAMES = {name: module for module, names in _LAZY.items() for name in names}


def __getattr__(name: str):
    """Import the submodule of a lazily exported name on first use."""
    module = _LAZY_NAMES.get(name)
    if module is None:
        raise AttributeError(f"module 'akhbar' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY_NAMES))

__all__ = ["SPAN_COLUMNS", "AnnotationDrift", "CorrectionSkipped", "ArticleError", "ArticleSkipped", "MetadataWarning",
           "actor_counts", "actor_names", "annotate", "annotate_text", "article_stats", "kwic",
           "label", "load_actors", "load_articles", "load_gazetteer", "new_actors",
           "evaluate_folder", "read_gold_entities", "score_entities", "normalize", "paragraphs", "rtl_html",
           "save_fig", "sentences", "setup_workbook", "show", "stopwords", "tokens", "word_counts",
           "actor_labels", "actor_presence", "article_labels", "article_order", "cooccurrence", "edges_frame",
           "keyness",
           "legitimacy_by_target", "paragraph_themes", "quoted", "theme_matrix", "timeline",
           "plot_actor_bars", "plot_framing_by_target", "plot_keyness", "plot_network",
           "plot_theme_shares", "plot_theme_strip", "plot_timeline", "save_all_charts"]

__all__ += ["__version__", "caption", "plot_corpus_mentions", "plot_corpus_themes", "plot_label_years", "actor_graph", "findings", "reading", "to_corpus_csv", "to_gexf", "williams_q",
            "write_spans"]
__all__ += ["aggregate", "annotate_corpus", "annotate_dask", "find_duplicates", "load_corpus"]
__all__ += ["from_brat", "from_inception", "to_brat", "to_inception"]
__all__ += ["agreement", "agreement_note", "review", "review_sample"]
# names the notebooks use from submodules, at the top level too
__all__ += ["DRIFTED_COLUMNS", "actor_display", "article_groups", "grouped_keyness", "project", "prose", "show_article",
            "show_table"]
