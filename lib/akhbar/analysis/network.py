"""The actor network: actors named together in a paragraph, as a graph and as an edge table."""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING

import pandas as pd

from ..layers.themes import THEMED_ZONES

if TYPE_CHECKING:  # networkx is imported where a graph is built, not with akhbar
    import networkx as nx


def cooccurrence(spans: pd.DataFrame, paras: pd.DataFrame, article_ids=None) -> nx.Graph:
    """Actors named together in the same title, subhead or body paragraph.

    Nodes are canonical ids of counted mentions, with ``mentions`` (article -> count)
    and ``total``; an edge's ``weight`` is the number of paragraphs naming both, and
    ``articles`` splits it by article.

    Args:
        spans: From :func:`akhbar.annotate`.
        paras: From :func:`akhbar.paragraphs` (gives each paragraph's zone).
        article_ids: Restrict to these articles (default: all).

    Example:
        >>> arts = akhbar.inputs.as_articles(["قال المشير خليفة حفتر إن الجيش الليبي سيدخل طرابلس.",
        ...     "قال وزير الخارجية التركي إن أنقرة تدعم حكومة الوفاق في طرابلس."])
        >>> spans = akhbar.annotate(arts)
        >>> g = cooccurrence(spans, akhbar.paragraphs(arts))
        >>> sorted(g.neighbors("turkey")), g["gna"]["turkey"]["weight"]
        (['gna', 'tripoli'], 1)
    """
    zones = paras[paras["zone"].isin(THEMED_ZONES)][["article_id", "para"]]
    ent = spans[(spans["layer"] == "entity") & spans["counts"].astype(bool)].copy()
    if article_ids is not None:
        ent = ent[ent["article_id"].isin([article_ids] if isinstance(article_ids, str) else list(article_ids))]
    ent["para"] = ent["paragraph"].astype(int)
    ent = ent.merge(zones, on=["article_id", "para"])
    import networkx as nx  # here, not at import: `import akhbar` stays light for the command line

    g = nx.Graph()
    mentions = ent.groupby(["canonical_id", "article_id"]).size()
    for cid in sorted(ent["canonical_id"].unique()):
        per = {aid: int(n) for aid, n in mentions[cid].items()}
        g.add_node(cid, mentions=per, total=sum(per.values()))
    for (aid, _para), ids in ent.groupby(["article_id", "para"])["canonical_id"]:
        for u, v in combinations(sorted(set(ids)), 2):
            if not g.has_edge(u, v):
                g.add_edge(u, v, weight=0, articles={})
            g[u][v]["weight"] += 1
            g[u][v]["articles"][aid] = g[u][v]["articles"].get(aid, 0) + 1
    return g


def edges_frame(g: nx.Graph) -> pd.DataFrame:
    """Edges of a co-occurrence graph as a table ``source, target, weight``, heaviest first.

    Example:
        >>> import networkx as nx
        >>> g = nx.Graph()
        >>> g.add_edge("turkey", "gna", weight=3)
        >>> g.add_edge("lna", "egypt", weight=5)
        >>> edges_frame(g).values.tolist()
        [['egypt', 'lna', 5], ['gna', 'turkey', 3]]
    """
    rows = [(min(u, v), max(u, v), d["weight"]) for u, v, d in g.edges(data=True)]
    df = pd.DataFrame(rows, columns=["source", "target", "weight"])
    return df.sort_values(["weight", "source", "target"], ascending=[False, True, True]).reset_index(drop=True)
