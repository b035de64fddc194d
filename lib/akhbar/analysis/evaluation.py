"""Scoring annotations against a hand-made gold standard in the codebook's CSV format.

Entity gold has the columns of ``entities.csv`` (``article, canonical_id, type, mention,
char_start, char_end, resolves_to, mention_kind, ..., count_as_actor_mention, zone``);
``article`` is the file name, so its stem is the ``article_id``.

How spans are matched:

- **Ids are aligned by majority overlap**, so naming is free: each id the tool gives is
  mapped to the gold actor (``resolves_to``) its spans overlap most, each overlap
  weighed by the share of the two spans it covers. An id that never overlaps a gold
  span maps to nothing.
- **Precision** is over the tool's counted actor mentions (``counts``), with the names the
  pattern layer proposes for review (they count once confirmed): one is right if it
  overlaps a gold mention (of any kind) of the same actor.
- **Recall** is over the gold's counted mentions (``count_as_actor_mention == 1``): one is
  found if a counted tool mention of the same actor overlaps it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar
from pathlib import Path

import numpy as np
import pandas as pd

GOLD_ENTITY_COLUMNS = ["article", "canonical_id", "type", "mention", "char_start", "char_end",
                       "resolves_to", "mention_kind", "count_as_actor_mention", "zone"]


@dataclass
class EntityScores:
    """The result of :func:`score_entities`.

    Attributes:
        summary: One row: precision, recall, F1 and the counts behind them.
        by_article: The same per article.
        by_type: Recall per gold type and precision per tool type.
        misses: Counted gold mentions the tool did not find, with what it found there.
        false_alarms: Counted tool mentions no gold mention of the same actor overlaps.
        alignment: Tool id -> gold id, with the number of overlaps behind each choice.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> gold_csv = akhbar.files.write_text(Path(tempfile.mkdtemp()) / "entities.csv",
        ...     "article,canonical_id,type,mention,char_start,char_end,resolves_to,mention_kind,count_as_actor_mention,zone\\n"
        ...     "a1.txt,recep_erdogan,person,أردوغان,4,11,,NAM,1,title\\na1.txt,turkey,state,تركيا,15,20,,NAM,1,title\\n")
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"],
        ...                                                 "text": ["قال أردوغان إن تركيا تدعم حكومة السراج"]}))
        >>> scores = score_entities(akhbar.annotate(arts), read_gold_entities(gold_csv))
        >>> round(scores.precision, 2), scores.recall, scores.false_alarms["surface"].tolist()
        (0.67, 1.0, ['حكومة السراج'])
    """

    summary: pd.DataFrame
    by_article: pd.DataFrame
    by_type: pd.DataFrame
    misses: pd.DataFrame
    false_alarms: pd.DataFrame
    alignment: pd.DataFrame
    spans: pd.DataFrame | None = None

    @property
    def precision(self) -> float:
        return float(self.summary["precision"].iloc[0])

    @property
    def recall(self) -> float:
        return float(self.summary["recall"].iloc[0])

    @property
    def f1(self) -> float:
        return float(self.summary["f1"].iloc[0])


def _layer_rows(spans: pd.DataFrame, gold: pd.DataFrame, layer: str,
                left_out_zones: tuple[str, ...] = ()) -> tuple[list[str], pd.DataFrame, pd.DataFrame]:
    """The articles a gold table covers, the tool's spans of ``layer`` in them (integer offsets,
    none in ``left_out_zones``) and the gold, both indexed from 0: what every score compares.

    Example:
        >>> spans = akhbar.annotate("زار أردوغان الدوحة.")
        >>> articles, tool, gold = _layer_rows(spans, pd.DataFrame({"article_id": ["text1"]}), "entity")
        >>> articles, tool["surface"].tolist()
        (['text1'], ['أردوغان', 'الدوحة'])
    """
    articles = sorted(gold["article_id"].unique())
    keep = (spans["layer"] == layer) & spans["article_id"].isin(articles)
    if left_out_zones:
        keep &= ~spans["zone"].isin(list(left_out_zones))
    tool = spans[keep].copy()
    tool["start"], tool["end"] = tool["start"].astype(int), tool["end"].astype(int)
    return articles, tool.reset_index(drop=True), gold.reset_index(drop=True)


def _context(texts: dict[str, str], aid: str, s: int, e: int) -> str:
    """The words around ``[s:e]`` of an article, the span in brackets ("" without its text).

    Example:
        >>> _context({"a": "قال أردوغان إن تركيا تدعم طرابلس"}, "a", 15, 20)
        'قال أردوغان إن [تركيا] تدعم طرابلس'
    """
    t = texts.get(aid, "")
    return f"{t[max(0, s - 30):s]}[{t[s:e]}]{t[e:e + 30]}".replace("\n", " ") if t else ""


def _read_gold(path: str | Path, columns: list[str]) -> pd.DataFrame:
    """A gold CSV with its required ``columns`` checked, keyed by ``article_id`` (the
    file name's stem), with integer ``start`` and ``end``."""
    gold = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = set(columns) - set(gold.columns)
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    gold["article_id"] = gold["article"].map(lambda f: Path(f).stem)
    gold["start"] = gold["char_start"].astype(int)
    gold["end"] = gold["char_end"].astype(int)
    return gold


def read_gold_entities(path: str | Path) -> pd.DataFrame:
    """Read an entity gold CSV in the codebook's format, keyed by ``article_id``.

    Raises:
        ValueError: naming the file when a column is missing.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> gold_csv = akhbar.files.write_text(Path(tempfile.mkdtemp()) / "entities.csv",
        ...     "article,canonical_id,type,mention,char_start,char_end,resolves_to,mention_kind,count_as_actor_mention,zone\\n"
        ...     "a1.txt,recep_erdogan,person,أردوغان,4,11,,NAM,1,title\\na1.txt,turkey,state,تركيا,15,20,,NAM,1,title\\n")
        >>> read_gold_entities(gold_csv)[["article_id", "start", "end", "actor", "counted"]].values.tolist()
        [['a1', 4, 11, 'recep_erdogan', True], ['a1', 15, 20, 'turkey', True]]
    """
    gold = _read_gold(path, GOLD_ENTITY_COLUMNS)
    gold["counted"] = gold["count_as_actor_mention"].astype(int).astype(bool)
    gold["actor"] = gold["resolves_to"].where(gold["resolves_to"] != "", gold["canonical_id"])
    return gold


def _overlaps(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Every pair of rows of ``a`` and ``b`` (same article) whose spans overlap, as
    index pairs ``a_row, b_row``."""
    pairs = []
    b_groups = {aid: g for aid, g in b.groupby("article_id", sort=False)}
    for aid, ga in a.groupby("article_id", sort=False):
        gb = b_groups.get(aid)
        if gb is None:
            continue
        sa, ea = ga["start"].to_numpy(np.int64), ga["end"].to_numpy(np.int64)
        sb, eb = gb["start"].to_numpy(np.int64), gb["end"].to_numpy(np.int64)
        hit = (sa[:, None] < eb[None, :]) & (sb[None, :] < ea[:, None])
        i, j = np.nonzero(hit)
        pairs.append(pd.DataFrame({"a_row": ga.index.to_numpy()[i], "b_row": gb.index.to_numpy()[j]}))
    return pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame({"a_row": [], "b_row": []}, dtype=int)


def _spans_at(table: pd.DataFrame, article_id: str, start: int, end: int) -> pd.DataFrame:
    """The rows of ``table`` in that article whose spans overlap ``[start, end)``."""
    return table[(table["article_id"] == article_id) & (table["start"] < end) & (start < table["end"])]


def align_ids(tool: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Map each tool id to the gold actor its spans overlap most often.

    Returns:
        DataFrame ``tool_id, gold_id, overlaps, weight``: each overlapping pair votes
        with the share of the two spans it covers (intersection over union), so a
        whole-name match outweighs a nested nisba; ties go to the alphabetically first
        gold id, so the result is the same on every run.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> gold_csv = akhbar.files.write_text(Path(tempfile.mkdtemp()) / "entities.csv",
        ...     "article,canonical_id,type,mention,char_start,char_end,resolves_to,mention_kind,count_as_actor_mention,zone\\n"
        ...     "a1.txt,recep_erdogan,person,أردوغان,4,11,,NAM,1,title\\na1.txt,turkey,state,تركيا,15,20,,NAM,1,title\\n")
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"],
        ...                                                 "text": ["قال أردوغان إن تركيا تدعم حكومة السراج"]}))
        >>> spans = akhbar.annotate(arts)
        >>> align_ids(spans[spans["layer"] == "entity"], read_gold_entities(gold_csv))[["tool_id", "gold_id"]].values.tolist()
        [['erdogan', 'recep_erdogan'], ['turkey', 'turkey']]
    """
    pairs = _overlaps(tool, gold)
    if pairs.empty:
        return pd.DataFrame(columns=["tool_id", "gold_id", "overlaps"])
    a, b = tool.loc[pairs["a_row"]], gold.loc[pairs["b_row"]]
    common = (np.minimum(a["end"].to_numpy(), b["end"].to_numpy())
              - np.maximum(a["start"].to_numpy(), b["start"].to_numpy()))
    union = (np.maximum(a["end"].to_numpy(), b["end"].to_numpy())
             - np.minimum(a["start"].to_numpy(), b["start"].to_numpy()))
    # each overlap votes by how much of the two spans it shares: a nested nisba
    # («الإيرانية» in «وزارة الخارجية الإيرانية») weighs less than the whole name
    votes = pd.DataFrame({"tool_id": a["canonical_id"].to_numpy(), "gold_id": b["actor"].to_numpy(),
                          "overlaps": 1, "weight": common / union})
    votes = votes.groupby(["tool_id", "gold_id"], as_index=False)[["overlaps", "weight"]].sum()
    votes = votes.sort_values(["tool_id", "weight", "gold_id"], ascending=[True, False, True])
    return votes.drop_duplicates("tool_id").reset_index(drop=True)


def score_entities(spans: pd.DataFrame, gold: pd.DataFrame, texts: dict[str, str] | None = None) -> EntityScores:
    """Score entity spans against gold (see the module docstring for the rules).

    Args:
        spans: From :func:`akhbar.annotate` (only ``layer == "entity"`` rows are used),
            for the gold's articles.
        gold: From :func:`read_gold_entities`.
        texts: ``article_id -> text``, to show context in the misses and false alarms.

    Returns:
        :class:`EntityScores`.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> gold_csv = akhbar.files.write_text(Path(tempfile.mkdtemp()) / "entities.csv",
        ...     "article,canonical_id,type,mention,char_start,char_end,resolves_to,mention_kind,count_as_actor_mention,zone\\n"
        ...     "a1.txt,recep_erdogan,person,أردوغان,4,11,,NAM,1,title\\na1.txt,turkey,state,تركيا,15,20,,NAM,1,title\\n")
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"],
        ...                                                 "text": ["قال أردوغان إن تركيا تدعم حكومة السراج"]}))
        >>> scores = score_entities(akhbar.annotate(arts), read_gold_entities(gold_csv), {"a1": arts.text[0]})
        >>> scores.recall, round(scores.precision, 2), scores.false_alarms["context"].tolist()
        (1.0, 0.67, ['قال أردوغان إن تركيا تدعم [حكومة السراج]'])
    """
    articles, tool, gold = _layer_rows(spans, gold, "entity")
    alignment = align_ids(tool, gold)
    mapped = dict(zip(alignment["tool_id"], alignment["gold_id"]))
    tool["actor"] = tool["canonical_id"].map(mapped).fillna("")
    # what the annotator finds: its counted mentions and the names it proposes for review
    # (a proposal counts once the researcher confirms it)
    from ..layers.entities import is_proposal, mark_counted

    proposed = is_proposal(tool) & mark_counted(tool, proposals=True) if "zone" in tool else is_proposal(tool)
    counted = tool[tool["counts"].astype(bool) | proposed]
    pairs = _overlaps(counted, gold)
    same = (counted.loc[pairs["a_row"], "actor"].to_numpy() == gold.loc[pairs["b_row"], "actor"].to_numpy())
    right_tool = set(pairs["a_row"][same])
    gold_counted = gold[gold["counted"]]
    found_gold = set(pairs["b_row"][same]) & set(gold_counted.index)
    counted = counted.assign(right=counted.index.isin(right_tool))
    gold_counted = gold_counted.assign(found=gold_counted.index.isin(found_gold))

    def rates(tp_tool, n_tool, tp_gold, n_gold):
        p = tp_tool / n_tool if n_tool else float("nan")
        r = tp_gold / n_gold if n_gold else float("nan")
        f = 2 * p * r / (p + r) if n_tool and n_gold and (p + r) else float("nan")
        return {"precision": p, "recall": r, "f1": f, "tool_mentions": n_tool, "right": tp_tool,
                "gold_mentions": n_gold, "found": tp_gold}

    def rates_of(tool_rows, gold_rows):
        return rates(counted.loc[tool_rows, "right"].sum(), int(tool_rows.sum()),
                     gold_counted.loc[gold_rows, "found"].sum(), int(gold_rows.sum()))

    def rates_by(column, values):
        return pd.DataFrame([{column: v, **rates_of(counted[column] == v, gold_counted[column] == v)}
                             for v in values]).set_index(column)

    summary = pd.DataFrame([rates_of(pd.Series(True, index=counted.index),
                                     pd.Series(True, index=gold_counted.index))])
    by_article = rates_by("article_id", articles)
    by_type = rates_by("type", sorted(set(gold_counted["type"]) | set(counted["type"])))
    texts = texts or {}

    def found_there(aid, s, e):
        return "; ".join(f"{r.surface}={r.canonical_id}{'' if r.counts else ' (not counted)'}"
                         for r in _spans_at(tool, aid, s, e).itertuples())

    misses = gold_counted[~gold_counted["found"]]
    misses = pd.DataFrame({"article_id": misses["article_id"], "start": misses["start"], "end": misses["end"],
                           "mention": misses["mention"], "gold_id": misses["actor"], "type": misses["type"],
                           "tool_found": [found_there(a, s, e) for a, s, e in
                                          zip(misses["article_id"], misses["start"], misses["end"])],
                           "context": [_context(texts, a, s, e) for a, s, e in
                                       zip(misses["article_id"], misses["start"], misses["end"])]})
    wrong = counted[~counted["right"]]
    def gold_there(aid, s, e):
        return "; ".join(f"{r.mention}={r.actor}" for r in _spans_at(gold, aid, s, e).itertuples())

    false_alarms = pd.DataFrame({
        "article_id": wrong["article_id"], "start": wrong["start"], "end": wrong["end"],
        "surface": wrong["surface"], "tool_id": wrong["canonical_id"], "aligned_to": wrong["actor"],
        "source": wrong["source"],
        "gold_there": [gold_there(a, s, e) for a, s, e in zip(wrong["article_id"], wrong["start"], wrong["end"])],
        "context": [_context(texts, a, s, e) for a, s, e in zip(wrong["article_id"], wrong["start"], wrong["end"])]})
    return EntityScores(summary, by_article, by_type, misses.reset_index(drop=True),
                        false_alarms.reset_index(drop=True), alignment)


def evaluate_folder(gold_path: str | Path, articles_dir: str | Path, **annotate_options) -> EntityScores:
    """Annotate the articles of a folder and score their entities against a gold CSV.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> gold_csv = akhbar.files.write_text(Path(tempfile.mkdtemp()) / "entities.csv",
        ...     "article,canonical_id,type,mention,char_start,char_end,resolves_to,mention_kind,count_as_actor_mention,zone\\n"
        ...     "a1.txt,recep_erdogan,person,أردوغان,4,11,,NAM,1,title\\na1.txt,turkey,state,تركيا,15,20,,NAM,1,title\\n")
        >>> _ = (Path(gold_csv).parent / "a1.txt").write_text("قال أردوغان إن تركيا تدعم حكومة السراج",
        ...                                                   encoding="utf-8")
        >>> scores = evaluate_folder(gold_csv, Path(gold_csv).parent)
        >>> scores.summary[["tool_mentions", "right", "gold_mentions", "found"]].values.tolist()
        [[3, 2, 2, 2]]
    """
    import warnings

    from ..pipeline.batches import annotate
    from ..articles.loading import load_articles

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = load_articles(articles_dir)
    spans = annotate(articles, **annotate_options)
    scores = score_entities(spans, read_gold_entities(gold_path), dict(zip(articles["article_id"], articles["text"])))
    scores.spans = spans
    return scores


def report(scores: EntityScores, details: bool = True) -> str:
    """The scores as plain text: summary, per article, per type, then misses and false alarms.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> gold_csv = akhbar.files.write_text(Path(tempfile.mkdtemp()) / "entities.csv",
        ...     "article,canonical_id,type,mention,char_start,char_end,resolves_to,mention_kind,count_as_actor_mention,zone\\n"
        ...     "a1.txt,recep_erdogan,person,أردوغان,4,11,,NAM,1,title\\na1.txt,turkey,state,تركيا,15,20,,NAM,1,title\\n")
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"],
        ...                                                 "text": ["قال أردوغان إن تركيا تدعم حكومة السراج"]}))
        >>> scores = score_entities(akhbar.annotate(arts), read_gold_entities(gold_csv))
        >>> print("\\n".join(report(scores, details=False).splitlines()[:3]))
        entities: counted actor mentions
        precision recall    f1  tool_mentions  right  gold_mentions  found
            0.667  1.000 0.800              3      2              2      2
    """
    pd_opts = {"display.width": 200, "display.max_colwidth": 70, "display.max_rows": 500}
    with pd.option_context(*[x for kv in pd_opts.items() for x in kv]):
        fmt = {"precision": "{:.3f}".format, "recall": "{:.3f}".format, "f1": "{:.3f}".format}
        out = ["entities: counted actor mentions", scores.summary.to_string(index=False, formatters=fmt), "",
               "by article", scores.by_article.to_string(formatters=fmt), "",
               "by type (recall over gold types, precision over tool types)",
               scores.by_type.to_string(formatters=fmt)]
        if details:
            out += ["", f"misses ({len(scores.misses)})", scores.misses.to_string(index=False) if len(scores.misses) else "none",
                    "", f"false alarms ({len(scores.false_alarms)})",
                    scores.false_alarms.to_string(index=False) if len(scores.false_alarms) else "none"]
    return "\n".join(out)


def state_name_coverage(articles: pd.DataFrame, spans: pd.DataFrame, kind: str = "name") -> tuple[dict, pd.DataFrame]:
    """How many mentions of the UN member states' names the annotation gives as states.

    Every occurrence (with its proclitics, whole words) of a member state's name form in
    the gazetteer (``kind="name"``) or of its nisba (``kind="adjective"``) is looked up
    in the texts, whatever the context; it is annotated when an entity span of type
    ``state`` covers it (for nisbas: an ``ADJ`` span or a state span). Occurrences inside
    a longer name («جامعة قطر») or left out by a context rule count as not annotated.

    Returns:
        ``(summary, missed)``: ``summary`` has ``mentions``, ``annotated``, ``share``,
        ``in_another_actor`` (occurrences that are part of another actor's name or read
        as another actor: «قوات سوريا الديمقراطية», Amman's «عمان») and
        ``share_of_state_mentions`` (annotated over the occurrences that are not);
        ``missed`` lists the occurrences not annotated, with ``other_actor`` and context.

    Example:
        >>> arts = akhbar.inputs.as_articles(["زار وفد من قطر جامعة قطر، والتقى مسؤولين في تركيا"])
        >>> summary, missed = state_name_coverage(arts, akhbar.annotate(arts))
        >>> summary["mentions"], summary["annotated"], missed[["state", "other_actor"]].values.tolist()
        (3, 2, [['qatar', 'qatar_university']])
    """
    from ..layers.entities import DATA, load_gazetteer
    from ..matcher import PhraseMatcher
    from ..scan import scan

    members = set(pd.read_csv(DATA / "world" / "un_members_table.csv", comment="#", dtype=str)["canonical_id"])
    g = load_gazetteer()
    g = g[g["canonical_id"].isin(members) & (g["kind"] == kind) & (g["type"] == "state")]
    matcher = PhraseMatcher([(f, cid) for f, cid in zip(g["form"], g["canonical_id"])])
    ids = np.array([cid for _f, cid in matcher.entries], dtype=object)
    texts = list(articles["text"])
    sc = scan(texts)
    found = matcher.find_in(sc)
    doc = sc.doc_of(found.start)
    occ = pd.DataFrame({"article_id": np.asarray(articles["article_id"], dtype=object)[doc],
                        "start": found.start - sc.starts[doc], "end": found.end - sc.starts[doc],
                        "state": ids[found.entry]})
    ent = spans[(spans["layer"] == "entity")]
    is_state = ((ent["type"] == "state") | (ent["label"] == "ADJ")) if kind == "adjective" else ent["type"] == "state"
    occ["annotated"] = False
    occ["other_actor"] = ""
    by_article = {aid: gr for aid, gr in ent.assign(_state=is_state).groupby("article_id")}
    for aid, rows in occ.groupby("article_id").groups.items():
        gr = by_article.get(aid)
        if gr is None:
            continue
        s, e = gr["start"].to_numpy(np.int64), gr["end"].to_numpy(np.int64)
        o = occ.loc[rows]
        hit = (s[None, :] < o["end"].to_numpy()[:, None]) & (o["start"].to_numpy()[:, None] < e[None, :])
        state = gr["_state"].to_numpy(bool)
        occ.loc[rows, "annotated"] = (hit & state[None, :]).any(axis=1)
        ids = gr["canonical_id"].to_numpy(dtype=object)
        occ.loc[rows, "other_actor"] = [ids[np.flatnonzero(h & ~state)[0]] if (h & ~state).any() else ""
                                        for h in hit]
    texts_by_id = dict(zip(articles["article_id"], texts))
    missed = occ[~occ["annotated"]].copy()
    missed["context"] = [texts_by_id[a][max(0, s - 30):e + 30].replace("\n", " ")
                         for a, s, e in zip(missed["article_id"], missed["start"], missed["end"])]
    n, k = len(occ), int(occ["annotated"].sum())
    other = int(((~occ["annotated"]) & (occ["other_actor"] != "")).sum())
    summary = {"mentions": n, "annotated": k, "share": k / n if n else float("nan"),
               "in_another_actor": other, "share_of_state_mentions": k / (n - other) if n > other else float("nan")}
    return summary, missed.reset_index(drop=True)


GOLD_FRAMING_COLUMNS = ["article", "char_start", "char_end", "expression", "target", "code", "polarity", "voice", "zone"]


FRAMING_RATES = ("recall", "precision", "target_accuracy", "target_overlap", "polarity_accuracy",
                 "voice_accuracy")
"""The rates :func:`score_framing` reports, overall and per code."""


class _RatesFromSummary:
    """Each name of the class's ``RATES`` read as an attribute from its one-row ``summary``."""

    RATES: ClassVar[tuple[str, ...]] = ()

    def __getattr__(self, name):
        if name in type(self).RATES:
            return float(self.summary[name].iloc[0])
        raise AttributeError(name)


@dataclass
class FramingScores(_RatesFromSummary):
    """The result of :func:`score_framing`.

    Attributes:
        summary: One row: recall, precision, target and polarity accuracy, and counts.
        by_code: The same per code.
        pairs: Each matched gold cue with the tool cue that matched it and both targets.
        misses: Gold cues no tool cue of the same code overlaps.
        false_alarms: Tool cues that overlap no gold cue of the same code.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> gold_csv = akhbar.files.write_text(Path(tempfile.mkdtemp()) / "entities.csv",
        ...     "article,canonical_id,type,mention,char_start,char_end,resolves_to,mention_kind,count_as_actor_mention,zone\\n"
        ...     "a1.txt,recep_erdogan,person,أردوغان,4,11,,NAM,1,title\\na1.txt,turkey,state,تركيا,15,20,,NAM,1,title\\n")
        >>> frame_csv = akhbar.files.write_text(Path(gold_csv).parent / "framing.csv",
        ...     "article,char_start,char_end,expression,target,code,polarity,voice,zone\\n"
        ...     "a1.txt,21,25,تدعم,turkey|gna,ALIGNMENT,0,recep_erdogan,title\\n")
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"],
        ...                                                 "text": ["قال أردوغان إن تركيا تدعم حكومة السراج"]}))
        >>> spans = akhbar.annotate(arts)
        >>> scores = score_entities(spans, read_gold_entities(gold_csv))
        >>> framing = score_framing(spans, read_gold_framing(frame_csv), scores.alignment)
        >>> framing.recall, framing.target_accuracy, framing.voice_accuracy
        (1.0, 0.0, 1.0)
    """

    RATES: ClassVar[tuple[str, ...]] = FRAMING_RATES
    summary: pd.DataFrame
    by_code: pd.DataFrame
    pairs: pd.DataFrame
    misses: pd.DataFrame
    false_alarms: pd.DataFrame


def read_gold_framing(path: str | Path) -> pd.DataFrame:
    """Read a framing gold CSV in the codebook's format (``framing.csv``), keyed by ``article_id``.

    Raises:
        ValueError: naming the file when a column is missing.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> gold_csv = akhbar.files.write_text(Path(tempfile.mkdtemp()) / "entities.csv",
        ...     "article,canonical_id,type,mention,char_start,char_end,resolves_to,mention_kind,count_as_actor_mention,zone\\n"
        ...     "a1.txt,recep_erdogan,person,أردوغان,4,11,,NAM,1,title\\na1.txt,turkey,state,تركيا,15,20,,NAM,1,title\\n")
        >>> frame_csv = akhbar.files.write_text(Path(gold_csv).parent / "framing.csv",
        ...     "article,char_start,char_end,expression,target,code,polarity,voice,zone\\n"
        ...     "a1.txt,21,25,تدعم,turkey|gna,ALIGNMENT,0,recep_erdogan,title\\n")
        >>> read_gold_framing(frame_csv)[["article_id", "start", "end", "code", "target"]].values.tolist()
        [['a1', 21, 25, 'ALIGNMENT', 'turkey|gna']]
    """
    return _read_gold(path, GOLD_FRAMING_COLUMNS)


def _target_set(target: str, mapping: dict | None = None) -> frozenset:
    ids = [t for t in str(target).split("|") if t]
    return frozenset(mapping.get(t, "?" + t) if mapping is not None else t for t in ids)


def _same_voice(tool: str, gold: str, mapping: dict) -> bool:
    """Whether a cue's voice is the gold's: both the author's, or the same speaker (ids aligned)."""
    tool, gold = str(tool or "author"), str(gold or "author")
    if gold == "author" or tool == "author":
        return tool == gold
    return mapping.get(tool, "?" + tool) == gold


def score_framing(spans: pd.DataFrame, gold: pd.DataFrame, alignment: pd.DataFrame) -> FramingScores:
    """Score framing cues against a framing gold (codebook section 2).

    A tool cue matches a gold cue when they overlap and share the code. Recall is over
    the gold cues, precision over the tool's cues outside boilerplate and bylines (the
    codebook codes no framing there). On the matched gold cues, the target is right
    when the tool's target actors, mapped through the entity id ``alignment`` (from
    :func:`align_ids`), are the gold's (``target_accuracy``; ``target_overlap`` counts a
    target that shares at least one actor with the gold's); the polarity when it is the
    same; the voice when both are the author's or the same speaker.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> gold_csv = akhbar.files.write_text(Path(tempfile.mkdtemp()) / "entities.csv",
        ...     "article,canonical_id,type,mention,char_start,char_end,resolves_to,mention_kind,count_as_actor_mention,zone\\n"
        ...     "a1.txt,recep_erdogan,person,أردوغان,4,11,,NAM,1,title\\na1.txt,turkey,state,تركيا,15,20,,NAM,1,title\\n")
        >>> frame_csv = akhbar.files.write_text(Path(gold_csv).parent / "framing.csv",
        ...     "article,char_start,char_end,expression,target,code,polarity,voice,zone\\n"
        ...     "a1.txt,21,25,تدعم,turkey|gna,ALIGNMENT,0,recep_erdogan,title\\n")
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"],
        ...                                                 "text": ["قال أردوغان إن تركيا تدعم حكومة السراج"]}))
        >>> spans = akhbar.annotate(arts)
        >>> scores = score_entities(spans, read_gold_entities(gold_csv))
        >>> framing = score_framing(spans, read_gold_framing(frame_csv), scores.alignment)
        >>> framing.pairs[["gold_target", "tool_target", "target_right", "target_shared"]].values.tolist()
        [['turkey|gna', 'turkey|gna', False, True]]
    """
    articles, tool, gold = _layer_rows(spans, gold, "framing", left_out_zones=("boilerplate", "byline"))
    mapping = dict(zip(alignment["tool_id"], alignment["gold_id"]))
    pairs = _overlaps(tool, gold)
    same = tool.loc[pairs["a_row"], "label"].to_numpy() == gold.loc[pairs["b_row"], "code"].to_numpy()
    pairs = pairs[same]
    matched_tool = set(pairs["a_row"])
    first = pairs.drop_duplicates("b_row")  # each gold cue with the first tool cue that matches it
    rows = []
    for a, b in zip(first["a_row"], first["b_row"]):
        t, g = tool.loc[a], gold.loc[b]
        tool_ids, gold_ids = _target_set(t["canonical_id"], mapping), _target_set(g["target"])
        rows.append({"article_id": g["article_id"], "expression": g["expression"], "surface": t["surface"],
                     "code": g["code"], "gold_target": g["target"], "tool_target": t["canonical_id"],
                     "target_right": tool_ids == gold_ids, "target_shared": bool(tool_ids & gold_ids),
                     "gold_polarity": g["polarity"], "tool_polarity": t["polarity"],
                     "polarity_right": t["polarity"] == g["polarity"],
                     "gold_voice": g["voice"], "tool_voice": t.get("voice", ""),
                     "voice_right": _same_voice(t.get("voice", ""), g["voice"], mapping)})
    pair_table = pd.DataFrame(rows, columns=["article_id", "expression", "surface", "code", "gold_target",
                                             "tool_target", "target_right", "target_shared", "gold_polarity", "tool_polarity",
                                             "polarity_right", "gold_voice", "tool_voice", "voice_right"])

    def rates(codes):
        g_n = int(gold["code"].isin(codes).sum())
        t_n = int(tool["label"].isin(codes).sum())
        p = pair_table[pair_table["code"].isin(codes)]
        t_right = sum(1 for a in matched_tool if tool.loc[a, "label"] in codes)
        return {"recall": len(p) / g_n if g_n else float("nan"),
                "precision": t_right / t_n if t_n else float("nan"),
                "target_accuracy": p["target_right"].mean() if len(p) else float("nan"),
                "target_overlap": p["target_shared"].mean() if len(p) else float("nan"),
                "polarity_accuracy": p["polarity_right"].mean() if len(p) else float("nan"),
                "voice_accuracy": p["voice_right"].mean() if len(p) else float("nan"),
                "gold_cues": g_n, "tool_cues": t_n, "matched": len(p)}

    codes = sorted(set(gold["code"]) | set(tool["label"]))
    summary = pd.DataFrame([rates(codes)])
    by_code = pd.DataFrame([{"code": c, **rates([c])} for c in codes]).set_index("code")
    found_gold = set(first["b_row"])
    misses = gold[~gold.index.isin(found_gold)][["article_id", "start", "end", "expression", "code", "target",
                                                 "polarity"]].reset_index(drop=True)
    false_alarms = tool[~tool.index.isin(matched_tool)][["article_id", "start", "end", "surface", "label",
                                                         "canonical_id", "polarity"]].reset_index(drop=True)
    return FramingScores(summary, by_code, pair_table, misses, false_alarms)


def _details(scores, right: str, wrong_heading: str) -> list[str]:
    """The lines a report lists under its summary: the matched items whose ``right`` column
    is false (under ``wrong_heading``), then the misses and the false alarms, each counted."""
    wrong = scores.pairs[~scores.pairs[right]]
    out = []
    for heading, table in ((wrong_heading, wrong), ("misses", scores.misses), ("false alarms", scores.false_alarms)):
        out += ["", f"{heading} ({len(table)})", table.to_string(index=False) if len(table) else "none"]
    return out


def framing_report(scores: FramingScores, details: bool = True) -> str:
    """The framing scores as plain text.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> gold_csv = akhbar.files.write_text(Path(tempfile.mkdtemp()) / "entities.csv",
        ...     "article,canonical_id,type,mention,char_start,char_end,resolves_to,mention_kind,count_as_actor_mention,zone\\n"
        ...     "a1.txt,recep_erdogan,person,أردوغان,4,11,,NAM,1,title\\na1.txt,turkey,state,تركيا,15,20,,NAM,1,title\\n")
        >>> frame_csv = akhbar.files.write_text(Path(gold_csv).parent / "framing.csv",
        ...     "article,char_start,char_end,expression,target,code,polarity,voice,zone\\n"
        ...     "a1.txt,21,25,تدعم,turkey|gna,ALIGNMENT,0,recep_erdogan,title\\n")
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"],
        ...                                                 "text": ["قال أردوغان إن تركيا تدعم حكومة السراج"]}))
        >>> spans = akhbar.annotate(arts)
        >>> scores = score_entities(spans, read_gold_entities(gold_csv))
        >>> text = framing_report(score_framing(spans, read_gold_framing(frame_csv), scores.alignment))
        >>> text.splitlines()[0], "matched cues with another target (1)" in text
        ('framing cues', True)
    """
    fmt = {c: "{:.3f}".format for c in FRAMING_RATES}
    with pd.option_context("display.width", 200, "display.max_colwidth", 60, "display.max_rows", 500):
        out = ["framing cues", scores.summary.to_string(index=False, formatters=fmt), "",
               "by code", scores.by_code.to_string(formatters=fmt)]
        if details:
            out += _details(scores, "target_right", "matched cues with another target")
    return "\n".join(out)


GOLD_DATE_COLUMNS = ["article", "char_start", "char_end", "expression", "timex_type", "value"]

DATE_RATES = ("recall", "precision", "value_accuracy")
"""The rates :func:`score_dates` reports, overall and per type."""


@dataclass
class DateScores(_RatesFromSummary):
    """The result of :func:`score_dates`.

    Attributes:
        summary: One row: recall, precision, value accuracy on the found expressions, and counts.
        by_type: The same per type (``DATE``, ``DURATION``): recall and value accuracy over
            the gold's expressions of that type, precision over the tool's.
        pairs: Each found gold expression with the tool span that found it and both values.
        misses: Gold expressions no tool date span overlaps.
        false_alarms: Tool date spans that overlap no gold expression.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> gold_csv = akhbar.files.write_text(Path(tempfile.mkdtemp()) / "dates.csv",
        ...     "article,char_start,char_end,expression,timex_type,value\\n"
        ...     "a1.txt,10,24,في يوليو الجاري,DATE,2020-07\\n")
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"], "published": ["2020-07-21"],
        ...                                                 "text": ["وصل الوفد في يوليو الجاري"]}))
        >>> scores = score_dates(akhbar.annotate(arts), read_gold_dates(gold_csv))
        >>> scores.recall, scores.precision, scores.value_accuracy
        (1.0, 1.0, 1.0)
    """

    RATES: ClassVar[tuple[str, ...]] = DATE_RATES
    summary: pd.DataFrame
    by_type: pd.DataFrame
    pairs: pd.DataFrame
    misses: pd.DataFrame
    false_alarms: pd.DataFrame


def read_gold_dates(path: str | Path) -> pd.DataFrame:
    """Read a time-expression gold CSV in the codebook's format (``dates.csv``), keyed by ``article_id``.

    Raises:
        ValueError: naming the file when a column is missing.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> gold_csv = akhbar.files.write_text(Path(tempfile.mkdtemp()) / "dates.csv",
        ...     "article,char_start,char_end,expression,timex_type,value\\n"
        ...     "a1.txt,10,24,في يوليو الجاري,DATE,2020-07\\n")
        >>> read_gold_dates(gold_csv)[["article_id", "start", "end", "timex_type", "value"]].values.tolist()
        [['a1', 10, 24, 'DATE', '2020-07']]
    """
    return _read_gold(path, GOLD_DATE_COLUMNS)


def score_dates(spans: pd.DataFrame, gold: pd.DataFrame, texts: dict[str, str] | None = None) -> DateScores:
    """Score time expressions against a date gold (codebook section 4).

    A gold expression is found when a tool date span (``layer == "date"``) of the same
    article overlaps it; recall is over the gold's expressions, precision over the tool's
    date spans in the gold's articles (one is right when it overlaps a gold expression).
    On the found expressions, the value is right when the value of the tool span that
    shares most characters with it equals the gold's (``2018-W10``, ``P2Y``, ``PAST_REF``).

    Args:
        spans: From :func:`akhbar.annotate`, for the gold's articles.
        gold: From :func:`read_gold_dates`.
        texts: ``article_id -> text``, to show context in the misses and false alarms.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> gold_csv = akhbar.files.write_text(Path(tempfile.mkdtemp()) / "dates.csv",
        ...     "article,char_start,char_end,expression,timex_type,value\\n"
        ...     "a1.txt,10,24,في يوليو الجاري,DATE,2020-06\\n")
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"], "published": ["2020-07-21"],
        ...                                                 "text": ["وصل الوفد في يوليو الجاري"]}))
        >>> scores = score_dates(akhbar.annotate(arts), read_gold_dates(gold_csv))
        >>> scores.recall, scores.value_accuracy, scores.pairs[["gold_value", "tool_value"]].values.tolist()
        (1.0, 0.0, [['2020-06', '2020-07']])
    """
    articles, tool, gold = _layer_rows(spans, gold, "date")
    pairs = _overlaps(tool, gold)
    a, b = tool.loc[pairs["a_row"]], gold.loc[pairs["b_row"]]
    pairs = pairs.assign(common=np.minimum(a["end"].to_numpy(), b["end"].to_numpy())
                         - np.maximum(a["start"].to_numpy(), b["start"].to_numpy()))
    # each gold expression with the tool span sharing most of it (the first on a tie)
    best = pairs.sort_values(["b_row", "common", "a_row"], ascending=[True, False, True]).drop_duplicates("b_row")
    texts = texts or {}

    rows = []
    for i, j in zip(best["a_row"], best["b_row"]):
        t, g = tool.loc[i], gold.loc[j]
        rows.append({"article_id": g["article_id"], "expression": g["expression"], "surface": t["surface"],
                     "timex_type": g["timex_type"], "tool_type": t["label"], "gold_value": g["value"],
                     "tool_value": str(t["value"] if pd.notna(t["value"]) else ""),
                     "value_right": str(t["value"] if pd.notna(t["value"]) else "") == g["value"]})
    pair_table = pd.DataFrame(rows, columns=["article_id", "expression", "surface", "timex_type", "tool_type",
                                             "gold_value", "tool_value", "value_right"])
    right_tool = set(pairs["a_row"])

    def rates(kinds):
        g_n = int(gold["timex_type"].isin(kinds).sum())
        t_n = int(tool["label"].isin(kinds).sum())
        p = pair_table[pair_table["timex_type"].isin(kinds)]
        t_right = sum(1 for i in right_tool if tool.loc[i, "label"] in kinds)
        return {"recall": len(p) / g_n if g_n else float("nan"),
                "precision": t_right / t_n if t_n else float("nan"),
                "value_accuracy": p["value_right"].mean() if len(p) else float("nan"),
                "gold_expressions": g_n, "tool_spans": t_n, "found": len(p), "right_spans": t_right,
                "right_values": int(p["value_right"].sum())}

    kinds = sorted(set(gold["timex_type"]) | set(tool["label"]))
    summary = pd.DataFrame([rates(kinds)])
    by_type = pd.DataFrame([{"timex_type": k, **rates([k])} for k in kinds]).set_index("timex_type")
    missed = gold[~gold.index.isin(set(best["b_row"]))]
    misses = pd.DataFrame({"article_id": missed["article_id"], "start": missed["start"], "end": missed["end"],
                           "expression": missed["expression"], "timex_type": missed["timex_type"],
                           "value": missed["value"],
                           "context": [_context(texts, a, s, e) for a, s, e in
                                       zip(missed["article_id"], missed["start"], missed["end"])]})
    wrong = tool[~tool.index.isin(right_tool)]
    false_alarms = pd.DataFrame({"article_id": wrong["article_id"], "start": wrong["start"], "end": wrong["end"],
                                 "surface": wrong["surface"], "label": wrong["label"], "value": wrong["value"],
                                 "context": [_context(texts, a, s, e) for a, s, e in
                                             zip(wrong["article_id"], wrong["start"], wrong["end"])]})
    return DateScores(summary, by_type, pair_table, misses.reset_index(drop=True),
                      false_alarms.reset_index(drop=True))


def dates_report(scores: DateScores, details: bool = True) -> str:
    """The date scores as plain text: summary, per type, then wrong values, misses and false alarms.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> gold_csv = akhbar.files.write_text(Path(tempfile.mkdtemp()) / "dates.csv",
        ...     "article,char_start,char_end,expression,timex_type,value\\n"
        ...     "a1.txt,10,24,في يوليو الجاري,DATE,2020-07\\n")
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"], "published": ["2020-07-21"],
        ...                                                 "text": ["وصل الوفد في يوليو الجاري"]}))
        >>> text = dates_report(score_dates(akhbar.annotate(arts), read_gold_dates(gold_csv)))
        >>> text.splitlines()[0], "misses (0)" in text
        ('time expressions', True)
    """
    fmt = {c: "{:.3f}".format for c in DATE_RATES}
    with pd.option_context("display.width", 200, "display.max_colwidth", 70, "display.max_rows", 500):
        out = ["time expressions", scores.summary.to_string(index=False, formatters=fmt), "",
               "by type (recall and value accuracy over gold types, precision over tool types)",
               scores.by_type.to_string(formatters=fmt)]
        if details:
            out += _details(scores, "value_right", "found with another value")
    return "\n".join(out)


GOLD_QUOTE_COLUMNS = ["article", "speaker", "speaker_mention", "verb", "verb_start", "verb_end", "mode", "via"]
QUOTE_RATES = ("recall", "precision", "speaker_accuracy", "mode_accuracy")
"""The rates :func:`score_quotes` reports."""
UNNAMED = "unnamed"
"""The one class every ``unnamed_*`` speaker id counts as (officials, sources, reports...)."""


@dataclass
class QuoteScores(_RatesFromSummary):
    """The result of :func:`score_quotes`.

    Attributes:
        summary: One row: recall, precision, speaker and mode accuracy, and the counts.
        pairs: Each found gold event with the first tool quote whose verb overlaps it.
        misses: Gold events no tool verb overlaps.
        false_alarms: Tool quotes whose verb overlaps no gold verb.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> gold_csv = akhbar.files.write_text(Path(tempfile.mkdtemp()) / "quotes.csv",
        ...     "article,speaker,speaker_mention,verb,verb_start,verb_end,mode,via\\n"
        ...     "a1.txt,recep_erdogan,أردوغان,قال,0,3,indirect,\\n")
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"],
        ...                                                 "text": ["قال أردوغان إن تركيا تدعم حكومة السراج"]}))
        >>> q = score_quotes(akhbar.annotate(arts), read_gold_quotes(gold_csv),
        ...                  pd.DataFrame({"tool_id": ["erdogan"], "gold_id": ["recep_erdogan"]}))
        >>> q.recall, q.precision, q.speaker_accuracy, q.mode_accuracy
        (1.0, 1.0, 1.0, 1.0)
    """

    RATES: ClassVar[tuple[str, ...]] = QUOTE_RATES
    summary: pd.DataFrame
    pairs: pd.DataFrame
    misses: pd.DataFrame
    false_alarms: pd.DataFrame


def read_gold_quotes(path: str | Path) -> pd.DataFrame:
    """Read a quote gold CSV in the codebook's format (``quotes.csv``, section 5), keyed by
    ``article_id``, with the verb's span as integer ``start`` and ``end``.

    Raises:
        ValueError: naming the file (and line) when a column is missing or an offset is not a number.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> gold_csv = akhbar.files.write_text(Path(tempfile.mkdtemp()) / "quotes.csv",
        ...     "article,speaker,speaker_mention,verb,verb_start,verb_end,mode,via\\n"
        ...     "a1.txt,recep_erdogan,أردوغان,قال,0,3,indirect,\\n")
        >>> read_gold_quotes(gold_csv)[["article_id", "start", "end", "speaker"]].values.tolist()
        [['a1', 0, 3, 'recep_erdogan']]
    """
    gold = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = set(GOLD_QUOTE_COLUMNS) - set(gold.columns)
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    for i, (s, e) in enumerate(zip(gold["verb_start"], gold["verb_end"])):
        if not (s.isdigit() and e.isdigit()):
            raise ValueError(f"{path}: line {i + 2}: verb_start/verb_end must be numbers, got {s!r}, {e!r}")
    gold["article_id"] = gold["article"].map(lambda f: Path(f).stem)
    gold["start"] = gold["verb_start"].astype(int)
    gold["end"] = gold["verb_end"].astype(int)
    return gold


def _speaker_set(speaker: str, mapping: dict | None = None) -> frozenset:
    """A speaker field (ids joined with ``|``) as a set, ids mapped through the alignment
    (an id it does not hold stays as it is), every ``unnamed_*`` id as :data:`UNNAMED`."""
    out = set()
    for s in str(speaker or "").split("|"):
        if not s:
            continue
        if mapping is not None and not s.startswith(UNNAMED + "_"):
            s = mapping.get(s, s)
        out.add(UNNAMED if s.startswith(UNNAMED + "_") else s)
    return frozenset(out)


def gold_speaker_ids(gold_quotes: pd.DataFrame, gold_entities: pd.DataFrame) -> dict[str, str]:
    """Quote-gold speaker ids that the entity gold spells otherwise, read from their mentions.

    Two gold files made apart can give one referent two ids (``abdel_fattah_el_sisi`` in
    the quotes, ``abdel_fattah_al_sisi`` in the entities). Where a gold speaker's mention
    is an entity-gold mention of another id, that id is the speaker's in the entity gold,
    the one the tool's ids are aligned to; every event of that speaker is then compared
    through it, implicit ones included.

    Example:
        >>> q = pd.DataFrame({"article_id": ["a1", "a1"], "speaker": ["el_sisi", "el_sisi"],
        ...                   "speaker_start": ["4", ""], "speaker_end": ["10", ""]})
        >>> e = pd.DataFrame({"article_id": ["a1"], "start": [4], "end": [10], "canonical_id": ["al_sisi"],
        ...                   "resolves_to": [""]})
        >>> gold_speaker_ids(q, e)
        {'el_sisi': 'al_sisi'}
    """
    out: dict[str, str] = {}
    ents = {a: g for a, g in gold_entities.groupby("article_id")}
    for aid, sid, s, e in zip(gold_quotes["article_id"], gold_quotes["speaker"], gold_quotes["speaker_start"],
                              gold_quotes["speaker_end"]):
        if not (str(s).isdigit() and str(e).isdigit()) or "|" in sid or sid in out or aid not in ents:
            continue
        g = ents[aid]
        hit = g[(g["start"] < int(e)) & (g["end"] > int(s))]
        ids = [r or c for c, r in zip(hit["canonical_id"], hit["resolves_to"].fillna(""))]
        if ids and sid not in ids:
            out[sid] = max(ids, key=ids.count)
    return out


def score_quotes(spans: pd.DataFrame, gold: pd.DataFrame, alignment: pd.DataFrame,
                 gold_ids: dict[str, str] | None = None) -> QuoteScores:
    """Score reported statements against a quote gold (codebook section 5).

    A gold event is found when the verb of a tool quote (``layer == "quote"``; its verb
    runs from ``start`` for ``len(verb)`` characters) overlaps the gold verb. Recall is
    over the gold events, precision over the tool's quotes. On the found events, the
    speaker is right when the tool's speaker ids, mapped through the entity id
    ``alignment`` (from :func:`align_ids`), are the gold's (every ``unnamed_*`` id one
    class, a joint speaker ``a|b`` a set); the mode when it is the same. ``gold_ids``
    (:func:`gold_speaker_ids`) maps gold speaker ids to the entity gold's spelling.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> gold_csv = akhbar.files.write_text(Path(tempfile.mkdtemp()) / "quotes.csv",
        ...     "article,speaker,speaker_mention,verb,verb_start,verb_end,mode,via\\n"
        ...     "a1.txt,unnamed_sources,مراقبون,يقول,0,4,indirect,\\n")
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"],
        ...                                                 "text": ["يقول مراقبون إن تركيا تدعم حكومة السراج"]}))
        >>> q = score_quotes(akhbar.annotate(arts), read_gold_quotes(gold_csv), pd.DataFrame(columns=["tool_id", "gold_id"]))
        >>> q.pairs[["gold_speaker", "tool_speaker", "speaker_right"]].values.tolist()
        [['unnamed_sources', 'unnamed_observers', True]]
    """
    articles, tool, gold = _layer_rows(spans, gold, "quote")
    tool["end"] = tool["start"] + tool["verb"].fillna("").astype(str).str.len()  # the verb's span
    mapping = dict(zip(alignment["tool_id"], alignment["gold_id"]))
    pairs = _overlaps(tool, gold)
    matched_tool = set(pairs["a_row"])
    first = pairs.sort_values(["b_row", "a_row"]).drop_duplicates("b_row")
    rows = []
    for a, b in zip(first["a_row"], first["b_row"]):
        t, g = tool.loc[a], gold.loc[b]
        rows.append({"article_id": g["article_id"], "verb": g["verb"], "gold_speaker": g["speaker"],
                     "mention": g["speaker_mention"], "tool_speaker": t["canonical_id"],
                     "speaker_right": _speaker_set(t["canonical_id"], mapping) == _speaker_set(g["speaker"], gold_ids),
                     "gold_mode": g["mode"], "tool_mode": t["label"], "mode_right": t["label"] == g["mode"],
                     "gold_via": g["via"], "tool_via": t.get("via", ""), "note": t.get("note", "")})
    pair_table = pd.DataFrame(rows, columns=["article_id", "verb", "gold_speaker", "mention", "tool_speaker",
                                             "speaker_right", "gold_mode", "tool_mode", "mode_right", "gold_via",
                                             "tool_via", "note"])
    g_n, t_n = len(gold), len(tool)
    summary = pd.DataFrame([{
        "recall": len(pair_table) / g_n if g_n else float("nan"),
        "precision": len(matched_tool) / t_n if t_n else float("nan"),
        "speaker_accuracy": pair_table["speaker_right"].mean() if len(pair_table) else float("nan"),
        "mode_accuracy": pair_table["mode_right"].mean() if len(pair_table) else float("nan"),
        "gold_events": g_n, "tool_quotes": t_n, "found": len(pair_table), "right_tool": len(matched_tool)}])
    misses = gold[~gold.index.isin(set(first["b_row"]))][["article_id", "start", "verb", "speaker",
                                                          "speaker_mention", "mode"]].reset_index(drop=True)
    false_alarms = tool[~tool.index.isin(matched_tool)][["article_id", "start", "verb", "canonical_id", "label",
                                                         "surface"]].reset_index(drop=True)
    false_alarms["surface"] = false_alarms["surface"].astype(str).str.slice(0, 60)
    return QuoteScores(summary, pair_table, misses, false_alarms)


def quotes_report(scores: QuoteScores, details: bool = True) -> str:
    """The quote scores as plain text: summary, then wrong speakers, misses and false alarms.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> gold_csv = akhbar.files.write_text(Path(tempfile.mkdtemp()) / "quotes.csv",
        ...     "article,speaker,speaker_mention,verb,verb_start,verb_end,mode,via\\n"
        ...     "a1.txt,recep_erdogan,أردوغان,قال,0,3,indirect,\\n")
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"],
        ...                                                 "text": ["قال أردوغان إن تركيا تدعم حكومة السراج"]}))
        >>> q = score_quotes(akhbar.annotate(arts), read_gold_quotes(gold_csv), pd.DataFrame(columns=["tool_id", "gold_id"]))
        >>> quotes_report(q).splitlines()[0], "found events with another speaker (1)" in quotes_report(q)
        ('quotes: reporting events', True)
    """
    fmt = {c: "{:.3f}".format for c in QUOTE_RATES}
    with pd.option_context("display.width", 200, "display.max_colwidth", 60, "display.max_rows", 500):
        out = ["quotes: reporting events", scores.summary.to_string(index=False, formatters=fmt)]
        if details:
            out += _details(scores, "speaker_right", "found events with another speaker")
    return "\n".join(out)


# --- Names in a CoNLL-style IOB file (akhbar evaluate --iob) ---------------------------------


IOB_TYPES = ("PERS", "ORG", "LOC")
"""The name types scored on an IOB file (``MISC`` is not scored)."""
AKHBAR_TO_IOB = {"person": "PERS", "organization": "ORG", "armed_force": "ORG", "state": "LOC", "place": "LOC"}
"""akhbar's entity types as IOB types (events are ``MISC``: not scored)."""
_IOB_TAG = re.compile(r"O|[BI]-(?:PERS|PER|ORG|LOC|MISC)")


def read_iob(path: str | Path) -> list[tuple[list[str], list[str]]]:
    """Sentences of a CoNLL-style IOB file: one ``token tag`` a line, a blank line after
    each sentence (``PER`` is read as ``PERS``).

    Raises:
        ValueError: naming the file and line of a line without a known tag.

    Example:
        >>> import tempfile
        >>> path = akhbar.files.write_text(Path(tempfile.mkdtemp()) / "gold.txt",
        ...                                "زار O\\nجورج B-PERS\\nبوش I-PERS\\nبغداد B-LOC\\n\\nعاد O\\n")
        >>> read_iob(path)
        [(['زار', 'جورج', 'بوش', 'بغداد'], ['O', 'B-PERS', 'I-PERS', 'B-LOC']), (['عاد'], ['O'])]
    """
    sentences, toks, tags = [], [], []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            fields = line.split()
            if not fields:
                if toks:
                    sentences.append((toks, tags))
                toks, tags = [], []
                continue
            if len(fields) < 2 or not _IOB_TAG.fullmatch(fields[-1]):
                raise ValueError(f"{path}:{n}: expected a token and an IOB tag (O, B-PERS, I-LOC...), "
                                 f"got {line.strip()!r}")
            toks.append(" ".join(fields[:-1]))
            tags.append(fields[-1].replace("-PER", "-PERS").replace("-PERSS", "-PERS"))
    if toks:
        sentences.append((toks, tags))
    return sentences


def score_names(gold: list[list[tuple[int, int, str]]], found: list[list[tuple[int, int, str]]]) -> pd.DataFrame:
    """Precision, recall and F1 of names per type, strict (the same first and last token
    and type) and by overlap (one token shared, same type); one list of
    ``(first, last, type)`` per sentence on each side.

    Example:
        >>> score_names([[(1, 2, "PERS"), (4, 4, "LOC")]], [[(2, 2, "PERS"), (4, 4, "LOC")]])[["strict_f1", "overlap_f1"]].values.tolist()
        [[0.0, 1.0], [0.0, 0.0], [1.0, 1.0], [0.5, 1.0]]
    """
    rows = []
    for typ in [*IOB_TYPES, "all"]:
        def keep(spans):
            return [s for s in spans if s[2] in IOB_TYPES and (typ == "all" or s[2] == typ)]

        n_gold = n_found = strict = over_found = over_gold = 0
        for g, f in zip(gold, found):
            g, f = keep(g), keep(f)
            n_gold += len(g)
            n_found += len(f)
            strict += len(set(g) & set(f))
            over_found += sum(any(a <= d and c <= b and t == u for c, d, u in g) for a, b, t in f)
            over_gold += sum(any(a <= d and c <= b and t == u for a, b, t in f) for c, d, u in g)
        row = {"type": typ, "gold": n_gold, "found": n_found}
        for name, right_f, right_g in (("strict", strict, strict), ("overlap", over_found, over_gold)):
            p = right_f / n_found if n_found else 0.0
            r = right_g / n_gold if n_gold else 0.0
            row.update({f"{name}_precision": round(p, 4), f"{name}_recall": round(r, 4),
                        f"{name}_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0})
        rows.append(row)
    return pd.DataFrame(rows)


def spans_to_tokens(spans: pd.DataFrame, sentences: list[tuple[list[str], list[str]]]) -> list[list[tuple]]:
    """akhbar's name spans (entity rows labelled NAM) on IOB sentences, as token spans:
    article ``s<i>`` is sentence i, its tokens joined by spaces.

    Example:
        >>> spans = akhbar.annotate(akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["s0"],
        ...                                                                 "text": ["زار أردوغان الدوحة"]})))
        >>> spans_to_tokens(spans, [(["زار", "أردوغان", "الدوحة"], ["O", "B-PERS", "B-LOC"])])
        [[(1, 1, 'PERS'), (2, 2, 'LOC')]]
    """
    out: list[list[tuple]] = [[] for _ in sentences]
    ent = spans[(spans["layer"] == "entity") & (spans["label"] == "NAM")]
    ent = ent[ent["zone"] != "boilerplate"]
    starts = [np.cumsum([0] + [len(t) + 1 for t in toks[:-1]]) for toks, _tags in sentences]
    for aid, s, e, typ in zip(ent["article_id"], ent["start"], ent["end"], ent["type"]):
        i = int(aid[1:])
        iob = AKHBAR_TO_IOB.get(typ)
        if iob is None:
            continue
        a = int(np.searchsorted(starts[i], s, side="right") - 1)
        b = int(np.searchsorted(starts[i], e - 1, side="right") - 1)
        out[i].append((a, b, iob))
    return [sorted(set(x)) for x in out]


def evaluate_iob(path: str | Path, **annotate_options) -> pd.DataFrame:
    """Annotate the sentences of an IOB file (each an article of its tokens joined by
    spaces) and score akhbar's names on them (:func:`score_names`).

    Example:
        >>> import tempfile
        >>> path = akhbar.files.write_text(Path(tempfile.mkdtemp()) / "gold.txt",
        ...                                "زار O\\nأردوغان B-PERS\\nالدوحة B-LOC\\n")
        >>> evaluate_iob(path).set_index("type").loc["all", ["strict_f1", "overlap_f1"]].tolist()
        [1.0, 1.0]
    """
    from ..pipeline.batches import annotate
    from ..inputs import as_articles
    from ..layers.names import iob_spans

    sentences = read_iob(path)
    articles = pd.DataFrame({"article_id": [f"s{i}" for i in range(len(sentences))],
                             "text": [" ".join(toks) for toks, _tags in sentences]})
    spans = annotate(as_articles(articles), **annotate_options)
    return score_names([iob_spans(tags) for _toks, tags in sentences], spans_to_tokens(spans, sentences))


def names_report(scores: pd.DataFrame) -> str:
    """:func:`score_names` as plain text.

    Example:
        >>> print(names_report(score_names([[(0, 0, "LOC")]], [[(0, 0, "LOC")]])).splitlines()[0])
        names (IOB gold), strict and overlap
    """
    with pd.option_context("display.width", 200):
        return "names (IOB gold), strict and overlap\n" + scores.to_string(index=False)
