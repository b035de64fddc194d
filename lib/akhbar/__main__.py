"""Command line: annotate corpora too large for a notebook, streaming one article at a time.

    python -m akhbar annotate FOLDER_OR_JSONL --out spans.csv     (or spans.parquet)

The input may also be a Parquet archive; see :func:`akhbar.archive.load_corpus`.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from .annotate import SPAN_COLUMNS, AnnotationDrift, annotate_texts, apply_corrections
from .corpus import ArticleSkipped


class SpanWriter:
    """Append span batches to one CSV or Parquet file without holding them all."""

    def __init__(self, path: Path):
        self.path, self.writer, self.rows = path, None, 0
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path.unlink()

    def write(self, df: pd.DataFrame) -> None:
        if df.empty:
            return
        self.rows += len(df)
        if self.path.suffix == ".parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(df.astype({c: "string" for c in df.columns
                                                    if df[c].dtype == object or str(df[c].dtype) == "str"}),
                                         preserve_index=False)
            if self.writer is None:
                self.writer = pq.ParquetWriter(self.path, table.schema)
            self.writer.write_table(table.cast(self.writer.schema))
        else:
            df.to_csv(self.path, mode="a", header=self.writer is None, index=False, encoding="utf-8")
            self.writer = True

    def close(self) -> None:
        if self.writer not in (None, True):
            self.writer.close()
        if self.writer is None:
            pd.DataFrame(columns=SPAN_COLUMNS).to_csv(self.path, index=False) if self.path.suffix != ".parquet" \
                else pd.DataFrame(columns=SPAN_COLUMNS).astype(str).to_parquet(self.path, index=False)


def annotate_stream(path: Path, out: Path, batch: int = 200, progress: bool = True,
                    annotations: Path | None = None) -> tuple[int, int, list[str]]:
    """Annotate every article under ``path`` into ``out``, ``batch`` articles at a time.

    ``path`` is anything :func:`akhbar.archive.load_corpus` reads (a folder of .txt, a
    JSONL or a Parquet file); only one batch of articles and spans is in memory at once.
    With ``annotations``, the researcher's ``<article_id>.csv`` corrections are merged as
    in :func:`akhbar.annotate`; a drifted row is reported as an error and not applied.

    Returns:
        ``(articles, spans, errors)``; each error names the file (and line) or article.
    """
    from .archive import load_corpus
    from .entities import mark_counted

    skipped: list[tuple[str, str]] = []
    errors: list[str] = []
    writer = SpanWriter(out)
    n = 0
    bar = tqdm(desc="annotate", unit="article", disable=not progress)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ArticleSkipped)  # reported below, once each
        for articles in load_corpus(path, batch_size=batch, skipped=skipped):
            df, failed = _annotate_batch(articles)
            n += len(articles) - len(failed)
            errors += failed
            if len(df):
                if annotations is not None:
                    df = _merge_corrections(df, articles, annotations, errors)
                df["counts"] = mark_counted(df)
                writer.write(df)
            bar.update(len(articles))
    bar.close()
    writer.close()
    return n, writer.rows, [f"{where}: {reason}" for where, reason in skipped] + errors


def _annotate_batch(articles) -> tuple:
    """Spans of a batch; if the batch fails, each article alone, so one bad article is
    reported and skipped and never stops a corpus run."""
    cols = (articles["article_id"], articles["text"], articles["published"], articles["source"])
    try:
        return annotate_texts(*cols), []
    except Exception:
        frames, failed = [], []
        for aid, text, published, source in zip(*cols):
            try:
                frames.append(annotate_texts([aid], [text], [published], [source]))
            except Exception as exc:
                failed.append(f"{aid}: annotation failed ({type(exc).__name__}: {exc})")
        return (pd.concat(frames, ignore_index=True) if frames else annotate_texts([], [], [], [])), failed


def _merge_corrections(spans: pd.DataFrame, articles: pd.DataFrame, folder: Path,
                       errors: list[str]) -> pd.DataFrame:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AnnotationDrift)
        spans, _drifted = apply_corrections(spans, articles, folder)
    errors += [str(w.message) for w in caught if issubclass(w.category, AnnotationDrift)]
    return spans


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m akhbar", description="akhbar command line")
    sub = ap.add_subparsers(dest="command", required=True)
    a = sub.add_parser("annotate", help="annotate a folder of .txt articles or a JSONL file")
    a.add_argument("source", type=Path, help="folder of .txt (with articles.csv), a .jsonl or a .parquet file")
    a.add_argument("--out", type=Path, required=True, help="spans.csv or spans.parquet")
    a.add_argument("--batch", type=int, default=200, help="articles per write")
    a.add_argument("--annotations", type=Path, default=None,
                   help="folder of the researcher's <article_id>.csv corrections to merge")
    a.add_argument("--quiet", action="store_true", help="no progress bar")
    args = ap.parse_args(argv)
    if not args.source.exists():
        print(f"{args.source}: no such folder or file", file=sys.stderr)
        return 2
    n, spans, errors = annotate_stream(args.source, args.out, args.batch, progress=not args.quiet,
                                       annotations=args.annotations)
    for e in errors:
        print(f"skipped: {e}", file=sys.stderr)
    print(f"annotated {n} articles, {spans} spans -> {args.out}; {len(errors)} skipped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
