"""Command line: annotate corpora too large for a notebook, streaming one article at a time.

    python -m akhbar annotate FOLDER_OR_JSONL --out spans.csv     (or spans.parquet)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Iterator

import pandas as pd
from tqdm import tqdm

from .annotate import SPAN_COLUMNS, annotate_text, spans_frame
from .corpus import ArticleError, read_article, read_metadata


def iter_articles(path: Path, errors: list[str]) -> Iterator[dict]:
    """Yield articles one by one from a folder of .txt files or a JSONL file.

    A record that cannot be read is appended to ``errors`` (naming file and line) and skipped.
    """
    if path.is_dir():
        meta = read_metadata(path).set_index("article_id")
        for f in sorted(path.glob("*.txt")):
            try:
                art = read_article(f)
            except (ArticleError, OSError) as exc:
                errors.append(str(exc))
                continue
            m = meta.loc[art["article_id"]].to_dict() if art["article_id"] in meta.index else {}
            art["published"] = m.get("published") or None
            art["source"] = m.get("source", "")
            yield art
        return
    with open(path, encoding="utf-8", errors="strict") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                text = rec["text"]
                if not isinstance(text, str) or not text.strip():
                    raise ValueError("empty text")
            except (ValueError, KeyError, TypeError) as exc:
                errors.append(f"{path}:{lineno}: bad record ({exc})")
                continue
            yield {"article_id": str(rec.get("id") or f"line{lineno}"), "text": text,
                   "published": rec.get("published") or None, "source": rec.get("source") or ""}


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


def annotate_stream(path: Path, out: Path, batch: int = 200, progress: bool = True) -> tuple[int, int, list[str]]:
    """Annotate every article under ``path`` into ``out``, ``batch`` articles at a time.

    Returns:
        ``(articles, spans, errors)``.
    """
    from .entities import mark_counted

    errors: list[str] = []
    writer = SpanWriter(out)
    rows, n = [], 0

    def flush():
        if rows:
            df = spans_frame(rows)
            df["counts"] = mark_counted(df)
            writer.write(df)
            rows.clear()

    size = sum(1 for _ in path.glob("*.txt")) if path.is_dir() else None
    for art in tqdm(iter_articles(path, errors), total=size, desc="annotate", unit="article",
                    disable=not progress):
        try:
            rows.extend(annotate_text(art["article_id"], art["text"],
                                      pd.Timestamp(art["published"]) if art["published"] else None,
                                      art["source"]))
            n += 1
        except Exception as exc:  # one bad article never stops a corpus run
            errors.append(f"{art['article_id']}: annotation failed ({type(exc).__name__}: {exc})")
        if n % batch == 0:
            flush()
    flush()
    writer.close()
    return n, writer.rows, errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m akhbar", description="akhbar command line")
    sub = ap.add_subparsers(dest="command", required=True)
    a = sub.add_parser("annotate", help="annotate a folder of .txt articles or a JSONL file")
    a.add_argument("source", type=Path, help="folder of .txt (with articles.csv) or a .jsonl file")
    a.add_argument("--out", type=Path, required=True, help="spans.csv or spans.parquet")
    a.add_argument("--batch", type=int, default=200, help="articles per write")
    a.add_argument("--quiet", action="store_true", help="no progress bar")
    args = ap.parse_args(argv)
    if not args.source.exists():
        print(f"{args.source}: no such folder or file", file=sys.stderr)
        return 2
    n, spans, errors = annotate_stream(args.source, args.out, args.batch, progress=not args.quiet)
    for e in errors:
        print(f"skipped: {e}", file=sys.stderr)
    print(f"annotated {n} articles, {spans} spans -> {args.out}; {len(errors)} skipped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
