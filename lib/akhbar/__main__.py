"""Command line: annotate corpora too large for a notebook, streaming one batch at a time.

    python -m akhbar annotate FOLDER_OR_JSONL --out spans.csv     (or spans.parquet, spans.xlsx)
    python -m akhbar annotate FOLDER_OR_JSONL --out spans.parquet --workers 2

The input may also be a Parquet archive; see :func:`akhbar.archive.load_corpus`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import sys
import warnings
from collections import Counter
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from .annotate import SPAN_COLUMNS, AnnotationDrift, annotate_batch, apply_corrections
from .corpus import ArticleSkipped
from .export import CSV_ENCODING, SPAN_SUFFIXES, SpanWorkbook, TooManyRows
from .files import OutputLocked, atomic_path, output_lock


class SpanWriter:
    """Append span batches to one CSV, Parquet or Excel file without holding them all.

    The batches go to ``part``, a temporary file beside ``path`` (:func:`akhbar.files.atomic_path`
    renames it to ``path`` only when the run succeeds; :meth:`commit` finishes it first,
    :meth:`abort` closes what is open so a failed run leaves no file behind).

    A ``.csv`` is UTF-8 with one BOM at its start (so Excel opens Arabic by double click;
    pandas and R drop it). A ``.xlsx`` is an Excel workbook with one sheet per layer and a
    sheet ``articles`` of the articles' metadata, collected batch by batch
    (:class:`akhbar.export.SpanWorkbook`); a layer beyond Excel's 1,048,576 rows per sheet
    stops the run with :class:`akhbar.export.TooManyRows` (write ``.parquet`` instead).
    """

    def __init__(self, path: Path, part: Path):
        self.path, self.part, self.writer, self.rows = path, part, None, 0
        self.suffix = path.suffix.lower()
        self.book = SpanWorkbook(path) if self.suffix == ".xlsx" else None

    def add_articles(self, articles: pd.DataFrame) -> None:
        """Keep a batch's article metadata for the workbook's ``articles`` sheet (.xlsx only)."""
        if self.book is not None:
            self.book.add_articles(articles)

    def write(self, df: pd.DataFrame) -> None:
        if df.empty:
            return
        self.rows += len(df)
        if self.book is not None:
            self.book.add_spans(df)
        elif self.suffix == ".parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(df.astype({c: "string" for c in df.columns
                                                    if df[c].dtype == object or str(df[c].dtype) == "str"}),
                                         preserve_index=False)
            if self.writer is None:
                self.writer = pq.ParquetWriter(self.part, table.schema)
            self.writer.write_table(table.cast(self.writer.schema))
        else:
            first = self.writer is None  # the BOM and the header open the file once, not each batch
            df.to_csv(self.part, mode="a", header=first, index=False, encoding=CSV_ENCODING if first else "utf-8")
            self.writer = True

    def commit(self) -> None:
        """Finish the file (``part``), ready to be put in place of ``path``."""
        if self.book is not None:
            self.book.save(self.part)
        elif self.writer not in (None, True):
            self.writer.close()
        elif self.writer is None:
            empty = pd.DataFrame(columns=SPAN_COLUMNS)
            empty.to_csv(self.part, index=False, encoding=CSV_ENCODING) if self.suffix != ".parquet" \
                else empty.astype(str).to_parquet(self.part, index=False)

    def abort(self) -> None:
        """Close what is open; the partial file is removed by :func:`akhbar.files.atomic_path`."""
        if self.book is not None:
            self.book.discard()
        elif self.writer not in (None, True):
            with contextlib.suppress(Exception):
                self.writer.close()


def annotate_stream(path: Path, out: Path, batch: int = 200, progress: bool = True,
                    annotations: Path | None = None, workers: int = 1,
                    gazetteer: Path | None = None) -> tuple[int, int, list[str]]:
    """Annotate every article under ``path`` into ``out``, ``batch`` articles at a time.

    ``path`` is anything :func:`akhbar.archive.load_corpus` reads (a folder of .txt, a
    JSONL or a Parquet file); only one batch of articles and spans is in memory at once
    (with ``workers`` processes, at most two batches per worker). The output is the same
    for any number of workers.
    With ``annotations``, the researcher's ``<article_id>.csv`` corrections are merged as
    in :func:`akhbar.annotate`; a drifted row is reported as an error and not applied.
    With ``gazetteer``, the researcher's gazetteer CSV extends and overrides the package's.

    Returns:
        ``(articles, spans, errors)``; each error names the file (and line) or article.
    """
    from .archive import load_corpus
    from .entities import mark_counted

    skipped: list[tuple[str, str]] = []
    errors: list[str] = []
    n = 0
    with output_lock(out), atomic_path(out) as part:
        writer = SpanWriter(out, part)
        bar = tqdm(desc="annotate", unit="article", disable=not progress)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ArticleSkipped)  # reported below, once each
                for articles, df, failed in _annotated(load_corpus(path, batch_size=batch, skipped=skipped),
                                                       workers, gazetteer):
                    n += len(articles) - len(failed)
                    errors += failed
                    writer.add_articles(articles)
                    if len(df):
                        if annotations is not None:
                            df = _merge_corrections(df, articles, annotations, errors)
                        df["counts"] = mark_counted(df)
                        writer.write(df)
                    bar.update(len(articles))
        except BaseException:
            writer.abort()
            raise
        finally:
            bar.close()
        writer.commit()
    return n, writer.rows, [f"{where}: {reason}" for where, reason in skipped] + errors


def _annotated(batches, workers: int = 1, gazetteer: Path | None = None):
    """``(articles, spans, errors)`` for each batch of articles, in input order.

    With ``workers > 1`` the batches are annotated in that many processes, and reading
    stops while ``2 * workers`` batches wait, so memory stays bounded.
    """
    if workers <= 1:
        for articles in batches:
            yield (articles, *annotate_batch(articles, gazetteer))
        return
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(workers, initializer=_end_with_parent)
    try:
        waiting: deque = deque()
        for articles in batches:
            waiting.append((articles, pool.submit(annotate_batch, articles, gazetteer)))
            if len(waiting) >= 2 * workers:
                done, job = waiting.popleft()
                yield (done, *job.result())
        while waiting:
            done, job = waiting.popleft()
            yield (done, *job.result())
    except BaseException:  # interrupted: stop now, do not wait for the batches queued
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _end_with_parent() -> None:
    """In a worker process: ask Linux to end it when its parent dies (even by SIGKILL),
    so no worker outlives an interrupted run. Elsewhere a no-op."""
    import ctypes

    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's clean-stop handler is not the worker's
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent is already gone
            os._exit(1)


def _merge_corrections(spans: pd.DataFrame, articles: pd.DataFrame, folder: Path,
                       errors: list[str]) -> pd.DataFrame:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AnnotationDrift)
        spans, _drifted = apply_corrections(spans, articles, folder)
    errors += [str(w.message) for w in caught if issubclass(w.category, AnnotationDrift)]
    return spans


def _evaluate(args) -> int:
    from .evaluate import evaluate_folder, framing_report, read_gold_framing, report, score_framing

    for path in (args.gold, args.articles, *([args.framing] if args.framing else [])):
        if not path.exists():
            print(f"{path}: no such file or folder", file=sys.stderr)
            return 2
    options = {"annotations_dir": args.annotations} if args.annotations else {}
    if args.gazetteer:
        options["gazetteer"] = args.gazetteer
    scores = evaluate_folder(args.gold, args.articles, **options)
    print(report(scores, details=not args.summary))
    if args.framing:
        framing = score_framing(scores.spans, read_gold_framing(args.framing), scores.alignment)
        print("\n" + framing_report(framing, details=not args.summary))
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _output_problem(source: Path, out: Path) -> str:
    """Why ``out`` may not be written for ``source`` ("" when it may): it must be a .csv,
    .parquet or .xlsx file that is neither the input nor the input folder's ``articles.csv``."""
    if out.suffix.lower() not in SPAN_SUFFIXES:
        return f"{out}: --out must end in .csv or .parquet (or .xlsx for an Excel workbook)"
    target = out.resolve()
    if target == source.resolve():
        return f"{out}: --out is the input itself; choose another file"
    if source.is_dir() and (target == (source / "articles.csv").resolve() or target.parent == source.resolve()
                            and target.suffix.lower() == ".txt"):
        return f"{out}: --out would replace the input folder's own {out.name}; choose another file"
    if out.is_dir():
        return f"{out}: --out is a folder; give a file name such as {out / 'spans.csv'}"
    return ""


def main(argv: list[str] | None = None) -> int:
    from . import __version__

    ap = argparse.ArgumentParser(prog="python -m akhbar", description="akhbar command line")
    ap.add_argument("--version", action="version", version=f"akhbar {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    a = sub.add_parser("annotate", help="annotate a folder of .txt articles or a JSONL file")
    a.add_argument("source", type=Path, help="folder of .txt (with articles.csv), a .jsonl or a .parquet file")
    a.add_argument("--out", type=Path, required=True,
                   help="spans.csv (UTF-8 with BOM), spans.parquet or spans.xlsx (Excel, one sheet per layer)")
    a.add_argument("--batch", type=int, default=200, help="articles per write")
    a.add_argument("--annotations", type=Path, default=None,
                   help="folder of the researcher's <article_id>.csv corrections to merge")
    a.add_argument("--gazetteer", type=Path, default=None,
                   help="the researcher's gazetteer CSV (e.g. gazetteer/actors.csv), merged over the package's")
    a.add_argument("--workers", type=int, default=1,
                   help="processes annotating batches side by side (same output; 2 on a 2-core machine)")
    a.add_argument("--quiet", action="store_true", help="no progress bar")
    e = sub.add_parser("evaluate", help="score entity annotation against a gold CSV (codebook format)")
    e.add_argument("gold", type=Path, help="gold entities.csv (article,canonical_id,type,mention,char_start,...)")
    e.add_argument("articles", type=Path, help="folder of the gold's .txt articles (with articles.csv)")
    e.add_argument("--annotations", type=Path, default=None,
                   help="folder of the researcher's <article_id>.csv corrections to merge first")
    e.add_argument("--gazetteer", type=Path, default=None,
                   help="the researcher's gazetteer CSV, merged over the package's")
    e.add_argument("--framing", type=Path, default=None,
                   help="also score framing cues against this gold framing.csv (codebook section 2)")
    e.add_argument("--summary", action="store_true", help="scores only, no list of misses and false alarms")
    args = ap.parse_args(argv)
    if args.gazetteer is not None and not args.gazetteer.is_file():
        print(f"{args.gazetteer}: no such gazetteer file", file=sys.stderr)
        return 2
    if args.command == "evaluate":
        return _evaluate(args)
    if not args.source.exists():
        print(f"{args.source}: no such folder or file", file=sys.stderr)
        return 2
    if args.workers < 1:
        print(f"--workers must be at least 1, got {args.workers}", file=sys.stderr)
        return 2
    if args.annotations is not None and not args.annotations.is_dir():
        print(f"{args.annotations}: no such folder of corrections", file=sys.stderr)
        return 2
    problem = _output_problem(args.source, args.out)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _interrupt)  # a kill ends the run as Ctrl-C does, cleanly
    try:
        n, spans, errors = annotate_stream(args.source, args.out, args.batch, progress=not args.quiet,
                                           annotations=args.annotations, workers=args.workers,
                                           gazetteer=args.gazetteer)
    except (OutputLocked, TooManyRows) as exc:
        print(exc, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"\ninterrupted: {args.out} left as it was before this run", file=sys.stderr)
        return 130
    for e in errors:
        print(f"skipped: {e}", file=sys.stderr)
    print(f"annotated {n} articles, {spans} spans -> {args.out}; {len(errors)} skipped{_why(errors)}")
    return 0


def _why(errors: list[str]) -> str:
    """What was skipped, by kind: « (2 duplicate id, 1 invalid JSON)»; "" when nothing was."""
    reasons = [e.split(": ", 1)[-1] for e in errors]  # "file:line: reason (details)"
    kinds = Counter(re.split(r"[('\"0-9]", r, maxsplit=1)[0].strip() for r in reasons)
    ranked = sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
    return " (" + ", ".join(f"{n} {kind}" for kind, n in ranked) + ")" if kinds else ""


if __name__ == "__main__":
    raise SystemExit(main())
