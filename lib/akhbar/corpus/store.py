"""Annotating an archive batch by batch into partitioned Parquet, and counting over it with DuckDB."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import warnings
from pathlib import Path
from typing import Iterator

import pandas as pd

from ..files import output_lock
from .archive import load_corpus

PARTITIONS = {"month": "month", "source": "outlet"}
"""``partition_by`` argument -> partition column (``outlet``: spans already have a ``source``
column, which says whether a span is automatic or manual)."""
TABLES = ("articles", "spans", "themes")
ARTICLE_META = ["article_id", "title", "outlet", "month", "published", "url", "language", "path",
                "encoding", "newline", "changes", "origin", "chars"]
STORED_THEME_COLUMNS = ["article_id", "para", "zone", "theme_1", "theme_2", "theme_3", "themes"]
"""The theme columns stored (of :data:`akhbar.layers.themes.THEME_COLUMNS`; the paragraph text stays in
the articles table)."""
UNKNOWN = "unknown"


def partition_keys(articles: pd.DataFrame) -> pd.DataFrame:
    """``article_id, outlet, month`` of each article (``unknown`` when missing).

    Example:
        >>> partition_keys(pd.DataFrame({"article_id": ["a", "b"], "source": ["الجزيرة", None],
        ...                              "published": ["2020-07-21", None]})).values.tolist()
        [['a', 'الجزيرة', '2020-07'], ['b', 'unknown', 'unknown']]
    """
    published = pd.to_datetime(articles["published"], errors="coerce")
    return pd.DataFrame({
        "article_id": articles["article_id"].astype(str),
        "outlet": articles["source"].fillna("").astype(str).str.strip().replace("", UNKNOWN),
        "month": published.dt.strftime("%Y-%m").fillna(UNKNOWN),
    })


def batch_tables(batch: pd.DataFrame, themes: bool = True, annotations_dir: str | Path | None = None,
                   gazetteer: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """The three tables written per batch, from :func:`akhbar.pipeline.batches.annotate_batch`.

    Returns:
        ``{"articles": metadata, "spans": spans, "themes": paragraph themes}``, each with
        ``outlet`` and ``month`` columns; ``attrs["skipped"]`` of ``articles`` maps each
        article that could not be annotated to the reason (left out of the tables).

    Example:
        >>> arts = akhbar.inputs.as_articles(["زار أردوغان الدوحة."])
        >>> {name: len(t) for name, t in batch_tables(arts).items()}
        {'articles': 1, 'spans': 2, 'themes': 1}
    """
    from ..pipeline.batches import annotate_batch

    out = annotate_batch(batch, annotations_dir, gazetteer=gazetteer, themes=themes)
    keys = partition_keys(out.articles)
    meta = out.articles.merge(keys, on="article_id", how="left")
    meta["chars"] = meta["text"].str.len()
    meta = meta.reindex(columns=ARTICLE_META)
    meta.attrs["skipped"] = out.skipped
    return {"articles": meta, "spans": out.spans.merge(keys, on="article_id", how="left"),
            "themes": out.themes.reindex(columns=STORED_THEME_COLUMNS).merge(keys, on="article_id", how="left")}


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path, partition_col: str, tag: str) -> None:
    """Append one batch's tables to ``out_dir/<table>/`` as hive-partitioned Parquet files.

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp())
        >>> write_tables(batch_tables(akhbar.inputs.as_articles(["زار أردوغان الدوحة."])), out, "month", "b0")
        >>> sorted(p.relative_to(out).as_posix() for p in out.rglob("*.parquet"))[0]
        'articles/month=unknown/b0-0.parquet'
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    for name, df in tables.items():
        if df.empty:
            continue
        table = pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False)
        pq.write_to_dataset(table, out_dir / name, partition_cols=[partition_col],
                            basename_template=f"{tag}-{{i}}.parquet",
                            existing_data_behavior="overwrite_or_ignore")


def annotate_corpus(path: str | Path, out_dir: str | Path, partition_by: str = "month",
                    batch_size: int = 500, progress: bool = True, themes: bool = True,
                    annotations_dir: str | Path | None = None, gazetteer: str | Path | None = None) -> dict:
    """Annotate an archive batch by batch into Parquet under ``out_dir``.

    Each batch from :func:`akhbar.corpus.archive.load_corpus` is annotated with
    :func:`akhbar.pipeline.batches.annotate_batch` (the pipeline of :func:`akhbar.annotate` and the
    command line: corrections merged, a bad article skipped) and written at once to ``out_dir/articles``, ``out_dir/spans``
    and ``out_dir/themes`` (hive partitions ``month=YYYY-MM`` or ``outlet=...``), so memory
    holds one batch whatever the size of the archive. Earlier output in those three folders
    is replaced.

    Args:
        path: A folder of ``.txt``, a JSONL file or a Parquet file/folder.
        out_dir: Where the Parquet tables go.
        partition_by: ``"month"`` or ``"source"`` (the ``outlet`` column).
        batch_size: Articles per batch.
        progress: Show a tqdm bar (articles and MB read).
        themes: Also write paragraph themes.
        annotations_dir: The researcher's ``<article_id>.csv`` corrections.
        gazetteer: The researcher's gazetteer CSV, merged over the package's.

    Returns:
        Summary dict: ``articles, spans, batches, bytes, skipped`` (``(where, reason)``
        list: records that could not be read, and articles that could not be annotated).

    Example:
        >>> import tempfile
        >>> src = Path(tempfile.mkdtemp())
        >>> _ = (src / "a1.txt").write_text("قال المشير خليفة حفتر إن الجيش الليبي سيدخل طرابلس.", encoding="utf-8")
        >>> _ = (src / "a2.txt").write_text("زار أردوغان الدوحة.", encoding="utf-8")
        >>> summary = annotate_corpus(src, Path(tempfile.mkdtemp()) / "out", progress=False)
        >>> summary["articles"], summary["spans"], summary["skipped"]
        (2, 9, [])
    """
    from tqdm import tqdm

    if partition_by not in PARTITIONS:
        raise ValueError(f"partition_by must be one of {sorted(PARTITIONS)}, got {partition_by!r}")
    col = PARTITIONS[partition_by]
    summary = {"articles": 0, "spans": 0, "batches": 0, "bytes": 0, "skipped": []}
    with staged_tables(out_dir) as staging, tqdm(desc="annotate", unit=" articles", disable=not progress) as bar:
        for i, batch in enumerate(load_corpus(path, batch_size, skipped=summary["skipped"])):
            tables = batch_tables(batch, themes, annotations_dir, gazetteer)
            write_tables(tables, staging, col, f"batch{i:06d}")
            summary["skipped"] += list(tables["articles"].attrs["skipped"].items())
            summary["articles"] += len(tables["articles"])
            summary["spans"] += len(tables["spans"])
            summary["batches"] += 1
            summary["bytes"] += int(batch["text"].str.encode("utf-8").str.len().sum())
            bar.update(len(batch))
            bar.set_postfix(MB=f"{summary['bytes'] / 1e6:.1f}")
    return summary


@contextlib.contextmanager
def staged_tables(out_dir: str | Path) -> Iterator[Path]:
    """A folder beside ``out_dir``'s tables to write a run's tables into, under a lock that
    refuses a second writer; when the block succeeds its table folders replace those of
    ``out_dir`` (nothing else is touched), and until then ``out_dir`` keeps the previous
    run's tables.

    The swap never deletes first: the previous tables are renamed into
    ``.previous-<pid>/``, the new ones renamed into place, and only then is the old copy
    removed. A run killed during the swap leaves both copies, and the next run (which
    holds the lock, so no other run is writing) finishes it: forward when the staging
    folder was complete (``.complete`` in it), else back to the previous tables; staging
    folders of killed runs are removed.

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp())
        >>> tables = batch_tables(akhbar.inputs.as_articles(["زار أردوغان الدوحة."]))
        >>> with staged_tables(out) as staging:
        ...     write_tables(tables, staging, "month", "batch000000")
        >>> sorted(p.name for p in out.iterdir())
        ['articles', 'spans', 'themes']
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with output_lock(out_dir / "tables"):
        recover_tables(out_dir)
        staging = out_dir / f".partial-{os.getpid()}"
        try:
            yield staging
            staging.mkdir(parents=True, exist_ok=True)
            (staging / ".complete").touch()  # from here the new tables are the ones to keep
            _swap(out_dir, staging, out_dir / f".previous-{os.getpid()}")
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _swap(out_dir: Path, staging: Path, previous: Path) -> None:
    """Rename the tables of ``out_dir`` into ``previous``, those of ``staging`` into
    ``out_dir``, then remove ``previous``; each step is a rename, so a kill at any point
    leaves every table whole in one of the three folders (see :func:`recover_tables`)."""
    previous.mkdir(exist_ok=True)
    for name in TABLES:
        if (out_dir / name).exists() and not (previous / name).exists():
            os.replace(out_dir / name, previous / name)
    for name in TABLES:
        if (staging / name).exists():
            os.replace(staging / name, out_dir / name)
    shutil.rmtree(previous, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)


def recover_tables(out_dir: str | Path) -> list[str]:
    """Finish or undo the swaps of runs killed in ``out_dir`` (call it under the lock) and
    remove their staging folders; returns what was done, one line each.

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp())
        >>> (out / ".previous-99999" / "spans").mkdir(parents=True)  # a run killed mid-swap
        >>> recover_tables(out), sorted(p.name for p in out.iterdir())
        (['spans restored from .previous-99999'], ['spans'])
    """
    out_dir = Path(out_dir)
    done = []
    for previous in sorted(out_dir.glob(".previous-*")):
        staging = out_dir / f".partial-{previous.name.removeprefix('.previous-')}"
        if (staging / ".complete").exists():  # the new tables were complete: finish the swap
            _swap(out_dir, staging, previous)
            done.append(f"swap of {staging.name} finished")
            continue
        for name in TABLES:
            if (previous / name).exists() and not (out_dir / name).exists():
                os.replace(previous / name, out_dir / name)
                done.append(f"{name} restored from {previous.name}")
        shutil.rmtree(previous, ignore_errors=True)
    for staging in sorted(out_dir.glob(".partial-*")):
        shutil.rmtree(staging, ignore_errors=True)
    return done


# --- Aggregates ----------------------------------------------------------------------------
def _glob(out_dir: Path, name: str) -> str | None:
    folder = Path(out_dir) / name
    if not any(folder.rglob("*.parquet")):
        return None
    return (folder / "**" / "*.parquet").as_posix()


def _view(con, out_dir: Path, name: str) -> bool:
    glob = _glob(out_dir, name)
    if glob is None:
        return False
    con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet('{glob}', "
                "hive_partitioning = true, union_by_name = true)")
    return True


BODY = "zone NOT IN ('boilerplate', 'byline')"
"""Boilerplate and bylines are left out of every aggregate (codebook 0)."""
AGGREGATES = {
    "mentions": """
        SELECT month, outlet, canonical_id, count(*) AS mentions
        FROM spans WHERE layer = 'entity' AND counts
        GROUP BY ALL ORDER BY month, outlet, canonical_id""",
    "framing": f"""
        SELECT month, label AS code, polarity, canonical_id AS target, count(*) AS cues
        FROM spans WHERE layer = 'framing' AND {BODY}
        GROUP BY ALL ORDER BY month, code, polarity, target""",
}
"""DuckDB queries over the ``spans`` view, one table each."""
REVIEWED = "canonical_id <> '' AND NOT starts_with(canonical_id, 'new:')"
"""Actors of the gazetteer (a ``new:`` id is a pattern's proposal, not yet reviewed)."""
MOST_TITLED = f"""
    SELECT canonical_id FROM spans
    WHERE layer = 'framing' AND label = 'TITLE' AND {BODY} AND {REVIEWED}
      AND canonical_id IN (SELECT canonical_id FROM spans WHERE layer = 'entity' AND type = 'person')
    GROUP BY canonical_id ORDER BY count(*) DESC, canonical_id LIMIT 1"""
"""The person the archive's TITLE cues name most (ties: the first id)."""
MOST_DESCRIBED = f"""
    SELECT canonical_id FROM spans
    WHERE layer = 'entity' AND type IN ('organization', 'armed_force') AND label IN ('NAM', 'NOM')
      AND {BODY} AND {REVIEWED}
    GROUP BY canonical_id ORDER BY count(*) FILTER (WHERE label = 'NOM') DESC, count(*) DESC, canonical_id
    LIMIT 1"""
"""The collective actor (a government, a body, an armed force or group such as the LNA or al-Qaeda)
most often described rather than named: the most NOM mentions, then the most mentions, then the
first id."""
LABEL_QUERIES = {
    "person_titles": f"""
        SELECT month, outlet, canonical_id, surface, polarity, count(*) AS n
        FROM spans WHERE layer = 'framing' AND label = 'TITLE' AND canonical_id = $id AND {BODY}
        GROUP BY ALL""",
    "org_labels": f"""
        SELECT month, outlet, canonical_id, surface, label AS mention, count(*) AS n
        FROM spans WHERE layer = 'entity' AND canonical_id = $id AND label IN ('NAM', 'NOM') AND {BODY}
        GROUP BY ALL""",
}
"""The two label tables, for one actor each; regrouped on :func:`label_form` of the surface."""
LABEL_KEYS = {"person_titles": ["polarity"], "org_labels": ["mention"]}
_MARKS = re.compile("[\u0640\u064B-\u065F\u0670]")
_PERSIAN_FORMS = str.maketrans({"ی": "ي", "ک": "ك", "ھ": "ه"})
"""Persian/Urdu letter forms of the same Arabic letters: one label, not two."""


def label_form(surface: str, canonical_id: str) -> str:
    """A label as a reader would cite it: no tashkeel or tatweel, no proclitics (و ف ب ل ك),
    a hashtag's words apart («النظام_السوري» is «النظام السوري»).

    Example:
        >>> label_form("لحكومةِ_الوفاق", "gna")
        'حكومة الوفاق'
    """
    s = " ".join(_MARKS.sub("", surface).replace("_", " ").split()).translate(_PERSIAN_FORMS)
    try:
        from ..analysis.naming import strip_proclitics_ar
    except ImportError:
        return s
    return strip_proclitics_ar(s, canonical_id)


def merge_spellings(labels: pd.Series, n: pd.Series) -> pd.Series:
    """One spelling per label: forms that fold to the same key («الامير», «الأمير»), or
    that are another label of the same table behind a proclitic («وولي العهد», «لولي
    العهد» beside «ولي العهد»), take the most frequent unprefixed spelling.

    Example:
        >>> merge_spellings(pd.Series(["الأمير", "للأمير", "الامير", "ولي العهد", "وولي العهد"]),
        ...                 pd.Series([5, 2, 1, 4, 1])).tolist()
        ['الأمير', 'الأمير', 'الأمير', 'ولي العهد', 'ولي العهد']
    """
    from ..matcher import match_key
    from ..text import clitic_splits

    keys = [match_key(x) for x in labels]
    known = set(keys)
    base = [next((stem for prefix, stem in clitic_splits(k) if prefix and stem in known), k) for k in keys]
    weight: dict[str, dict[str, int]] = {}
    for label, key, b, count in zip(labels, keys, base, n):
        spellings = weight.setdefault(b, {})
        spellings[label] = spellings.get(label, 0) + int(count) + (1 << 40 if key == b else 0)
    best = {b: min(sp, key=lambda lab: (-sp[lab], lab)) for b, sp in weight.items()}
    return pd.Series([best[b] for b in base], index=labels.index, dtype=labels.dtype)


def _regroup_labels(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    labels = pd.Series([label_form(s, i) for s, i in zip(df["surface"], df["canonical_id"])],
                       index=df.index, dtype=object)
    df = df.assign(label=merge_spellings(labels, df["n"]) if len(df) else labels)
    cols = ["month", "outlet", "canonical_id", "label", *keys]
    out = df.groupby(cols, as_index=False)["n"].sum() if len(df) else df.reindex(columns=[*cols, "n"])
    return out.sort_values(cols).reset_index(drop=True)


def _label_table(con, name: str, actor: str | None, choose: str) -> pd.DataFrame:
    if actor is None:
        found = con.execute(choose).fetchall()
        actor = found[0][0] if found else ""
    return _regroup_labels(con.execute(LABEL_QUERIES[name], {"id": actor}).df(), LABEL_KEYS[name])


THEME_SHARES = """
    WITH t AS (
        SELECT month, unnest(string_split(themes, '|')) AS theme
        FROM themes WHERE themes <> 'NONE' AND zone NOT IN ('boilerplate', 'byline'))
    SELECT month, theme, paragraphs,
           round(paragraphs / sum(paragraphs) OVER (PARTITION BY month), 4) AS share
    FROM (SELECT month, theme, count(*) AS paragraphs FROM t GROUP BY month, theme)
    ORDER BY month, theme"""


def aggregate(out_dir: str | Path, person: str | None = None,
              organisation: str | None = None) -> dict[str, pd.DataFrame]:
    """Corpus trends from the Parquet written by :func:`annotate_corpus`, counted in DuckDB.

    Args:
        out_dir: The folder :func:`annotate_corpus` wrote.
        person: Canonical id whose TITLE cues ``person_titles`` follows; None takes the
            person the archive titles most (:data:`MOST_TITLED`).
        organisation: Canonical id whose names and descriptions ``org_labels`` follows;
            None takes the organisation the archive describes most (:data:`MOST_DESCRIBED`).

    Returns:
        ``mentions`` (counted actor mentions per month, outlet and actor), ``framing``
        (framing cues per month, code, polarity and target), ``person_titles`` (the
        person's TITLE cues per month, outlet, label and polarity), ``org_labels`` (the
        organisation's names, NAM, and descriptions, NOM, per month, outlet and label),
        ``articles`` (articles per month and outlet) and, when a themes table exists,
        ``themes`` (theme shares of themed paragraphs per month). The label tables carry
        the actor in ``canonical_id`` and are empty when the archive has no such actor.
        Every table is sorted, so results are deterministic.

    Raises:
        FileNotFoundError: ``out_dir`` has no spans Parquet (naming the folder).
        ImportError: DuckDB is not installed (``pip install akhbar[corpus]``).

    Example:
        >>> import tempfile
        >>> src, out = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
        >>> _ = (src / "a1.txt").write_text("قال المشير خليفة حفتر إن الجيش الليبي سيدخل طرابلس.", encoding="utf-8")
        >>> _ = annotate_corpus(src, out, progress=False)
        >>> trends = aggregate(out)
        >>> trends["person_titles"][["canonical_id", "label", "polarity", "n"]].values.tolist()
        [['khalifa_haftar', 'المشير', '+', 1]]
    """
    try:
        import duckdb
    except ImportError as exc:
        raise ImportError("akhbar.aggregate needs DuckDB, part of the corpus extra: "
                          "pip install akhbar[corpus] (or pip install duckdb)") from exc

    out_dir = Path(out_dir)
    con = duckdb.connect()
    try:
        if not _view(con, out_dir, "spans"):
            raise FileNotFoundError(f"{out_dir / 'spans'}: no Parquet spans; run annotate_corpus first")
        out = {name: con.execute(sql).df() for name, sql in AGGREGATES.items()}
        out["person_titles"] = _label_table(con, "person_titles", person, MOST_TITLED)
        out["org_labels"] = _label_table(con, "org_labels", organisation, MOST_DESCRIBED)
        if _view(con, out_dir, "articles"):
            out["articles"] = con.execute(
                "SELECT month, outlet, count(*) AS articles FROM articles "
                "GROUP BY ALL ORDER BY month, outlet").df()
        if _view(con, out_dir, "themes"):
            out["themes"] = con.execute(THEME_SHARES).df()
        else:
            warnings.warn(f"{out_dir / 'themes'}: no themes table, theme shares skipped", stacklevel=2)
    finally:
        con.close()
    for df in out.values():
        for col in df.columns:
            if str(df[col].dtype) in ("Int64", "int32", "int64"):
                df[col] = df[col].astype("int64")
    return out
