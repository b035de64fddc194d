"""Annotating an archive on a Dask cluster, writing the same Parquet as :func:`akhbar.corpus.store.annotate_corpus`.

On one machine, ``annotate_dask(path, out_dir)`` starts a ``distributed.LocalCluster`` (one
process per core, one thread each: the annotator is pure Python and holds the GIL) and closes
it at the end.

On a real multi-machine cluster the code is the same; only the client changes:

1. Install the same environment (this repository with ``pip install -e .`` and
   ``requirements.txt``) on every machine, so that ``import akhbar`` works on the workers.
2. Start a scheduler on one machine (``dask scheduler``, port 8786) and workers on the others
   (``dask worker tcp://scheduler-host:8786 --nworkers 8 --nthreads 1``), or use dask-jobqueue
   or dask-kubernetes.
3. Put ``out_dir`` on a file system every worker mounts at the same path (NFS, a cluster file
   system): workers write their Parquet files there directly, the client only reads batches
   and collects small summaries. The input may also be a Dask DataFrame read by the workers
   themselves (``dd.read_parquet("s3://...")`` with s3fs), which avoids sending texts from the
   client. (Writing the output to an object store would need a pyarrow filesystem in
   :func:`akhbar.corpus.store.write_tables`; not done yet.)::

       from distributed import Client
       from akhbar.corpus.distributed import annotate_dask
       client = Client("tcp://scheduler-host:8786")
       annotate_dask("/shared/archive.jsonl", "/shared/akhbar-out", client=client)
       # or a Dask DataFrame with the load_corpus columns:
       annotate_dask(dd.read_parquet("s3://bucket/archive/"), "/shared/akhbar-out", client=client)

Then :func:`akhbar.corpus.store.aggregate` (DuckDB) reads ``out_dir`` as for the single-process path.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd

from ..files import id_problem
from .archive import clean_articles, load_corpus
from .store import PARTITIONS, batch_tables, staged_tables, write_tables

SUMMARY_COLUMNS = ["part", "articles", "spans", "bytes", "skipped"]


def annotate_part(batch: pd.DataFrame, out_dir: str, partition_col: str, tag: str,
                  themes: bool = True, annotations_dir: str | None = None,
                  gazetteer: str | None = None) -> pd.DataFrame:
    """Annotate one partition with the pipeline of every entry point
    (:func:`akhbar.corpus.store.batch_tables`) and write its Parquet (runs on a worker).

    Returns:
        A one-row summary ``part, articles, spans, bytes, skipped`` (``skipped``: the
        articles that could not be annotated, ``id: reason`` joined by newlines).

    Example:
        >>> import tempfile
        >>> arts = akhbar.inputs.as_articles(["زار أردوغان الدوحة."])
        >>> annotate_part(arts, tempfile.mkdtemp(), "month", "part000000").values.tolist()
        [['part000000', 1, 2, 35, '']]
    """
    if batch.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    refused = {}
    if "changes" not in batch:  # a Dask DataFrame built elsewhere: ids unchecked, derived columns missing
        batch, refused = _checked_ids(batch)
        batch = clean_articles(batch.assign(title=batch.get("title", "")))
    tables = batch_tables(batch.reset_index(drop=True), themes, annotations_dir, gazetteer)
    write_tables(tables, Path(out_dir), partition_col, tag)
    size = int(batch["text"].str.encode("utf-8").str.len().sum())
    reasons = {**refused, **tables["articles"].attrs["skipped"]}
    skipped = "\n".join(f"{a}: {r}" for a, r in reasons.items())
    return pd.DataFrame([[tag, len(tables["articles"]), len(tables["spans"]), size, skipped]],
                        columns=SUMMARY_COLUMNS)


def _checked_ids(batch: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The rows whose ``article_id`` can name files and is not taken by an earlier row, and why the others were left.

    :func:`akhbar.corpus.archive.load_corpus` checks ids where articles enter; a Dask DataFrame built
    elsewhere enters here, and its ids become ``<id>.csv`` correction files and Parquet rows.

    Example:
        >>> ok, why = _checked_ids(pd.DataFrame({"article_id": ["a1", "../x", "a1"], "text": ["", "", ""]}))
        >>> ok["article_id"].tolist(), why
        (['a1'], {'../x': "article id has '/' (a path separator)", 'a1': 'article id taken by an earlier row'})
    """
    ids = batch["article_id"].astype(str)
    problems = ids.map(id_problem)
    bad = problems != ""
    repeated = ids.duplicated() & ~bad
    why = {aid: f"article id {problem}" for aid, problem in zip(ids[bad], problems[bad])}
    why.update({aid: "article id taken by an earlier row" for aid in ids[repeated]})
    keep = ~bad & ~repeated
    return batch[keep].assign(article_id=ids[keep]), why


def _annotate_ddf_part(part: pd.DataFrame, out_dir: str, partition_col: str, themes: bool,
                       annotations_dir: str | None, gazetteer: str | None, partition_info=None) -> pd.DataFrame:
    number = partition_info["number"] if partition_info else 0
    return annotate_part(part, out_dir, partition_col, f"part{number:06d}", themes, annotations_dir, gazetteer)


def annotate_dask(path_or_ddf, out_dir: str | Path, client=None, npartitions: int | None = None,
                  partition_by: str = "month", batch_size: int = 500, n_workers: int = 2,
                  themes: bool = True, progress: bool = True, annotations_dir: str | Path | None = None,
                  gazetteer: str | Path | None = None) -> dict:
    """Annotate an archive on Dask workers into the Parquet layout of ``annotate_corpus``.

    Args:
        path_or_ddf: A corpus path (as for :func:`akhbar.corpus.archive.load_corpus`) or a Dask
            DataFrame with its columns (at least ``article_id, text, source, published``).
        out_dir: Where ``articles/``, ``spans/`` and ``themes/`` go (must be reachable by the
            workers).
        client: A ``distributed.Client``; when None a ``LocalCluster`` of ``n_workers``
            single-threaded processes is started and closed.
        npartitions: Repartition a Dask DataFrame to this many partitions first. For a path,
            batches of ``batch_size`` articles are the partitions; at most ``npartitions``
            (default four per worker) are in flight, so memory stays bounded.
        partition_by: ``"month"`` or ``"source"``.
        themes: Also write paragraph themes.
        progress: Show a tqdm bar over the path's batches.
        annotations_dir: The researcher's ``<article_id>.csv`` corrections (reachable by
            the workers).
        gazetteer: The researcher's gazetteer CSV (reachable by the workers).

    Returns:
        Summary dict ``articles, spans, partitions, bytes, skipped``.

    Example:
        A threaded client in this process (one tiny article; without ``client`` a
        ``LocalCluster`` of processes is started, which takes longer):

        >>> import tempfile
        >>> from distributed import Client
        >>> src = Path(tempfile.mkdtemp())
        >>> _ = (src / "a1.txt").write_text("زار أردوغان الدوحة.", encoding="utf-8")
        >>> with Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=None) as client:
        ...     summary = annotate_dask(src, Path(tempfile.mkdtemp()) / "out", client=client, progress=False)
        >>> summary["articles"], summary["spans"], summary["partitions"]
        (1, 2, 1)
    """
    from distributed import Client, LocalCluster

    if partition_by not in PARTITIONS:
        raise ValueError(f"partition_by must be one of {sorted(PARTITIONS)}, got {partition_by!r}")
    col = PARTITIONS[partition_by]
    own = client is None
    skipped: list = []
    options = tuple(None if p is None else str(Path(p).resolve()) for p in (annotations_dir, gazetteer))
    with staged_tables(out_dir) as staging:  # the previous tables stay until all is written
        if own:
            cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
        try:
            if isinstance(path_or_ddf, (str, Path)):
                parts = _run_batches(client, path_or_ddf, staging, col, batch_size, npartitions,
                                     (themes, *options), progress, skipped)
            else:
                ddf = path_or_ddf if npartitions is None else path_or_ddf.repartition(npartitions=npartitions)
                meta = pd.DataFrame({"part": pd.Series(dtype=str), "articles": pd.Series(dtype="int64"),
                                     "spans": pd.Series(dtype="int64"), "bytes": pd.Series(dtype="int64"),
                                     "skipped": pd.Series(dtype=str)})
                parts = ddf.map_partitions(_annotate_ddf_part, str(staging), col, themes, *options,
                                           meta=meta).compute()
        finally:
            if own:
                client.close()
                cluster.close()
    skipped += [tuple(line.split(": ", 1)) for text in parts["skipped"] if isinstance(text, str)
                for line in text.splitlines()]
    return {"articles": int(parts["articles"].sum()), "spans": int(parts["spans"].sum()),
            "partitions": len(parts), "bytes": int(parts["bytes"].sum()), "skipped": skipped}


def _run_batches(client, path, out_dir: Path, col: str, batch_size: int, window: int | None,
                 options: tuple, progress: bool, skipped: list) -> pd.DataFrame:
    """Stream ``load_corpus`` batches to the workers with at most ``window`` in flight."""
    from distributed import as_completed
    from tqdm import tqdm

    window = window or 4 * max(1, len(client.scheduler_info().get("workers", {})))
    batches = enumerate(load_corpus(path, batch_size, skipped=skipped))
    done = []
    with tqdm(desc="annotate (dask)", unit=" articles", disable=not progress) as bar:
        running = as_completed([client.submit(annotate_part, b, str(out_dir), col, f"batch{i:06d}",
                                              *options, pure=False)
                                for i, b in itertools.islice(batches, window)])
        for future in running:
            summary = future.result()
            done.append(summary)
            bar.update(int(summary["articles"].sum()))
            future.release()
            for i, b in itertools.islice(batches, 1):
                running.add(client.submit(annotate_part, b, str(out_dir), col, f"batch{i:06d}",
                                          *options, pure=False))
    return pd.concat(done, ignore_index=True) if done else pd.DataFrame(columns=SUMMARY_COLUMNS)
