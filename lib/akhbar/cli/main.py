"""Command line: annotate corpora too large for a notebook, streaming one batch at a time.

    akhbar annotate FOLDER_OR_FILE --out spans.csv     (or spans.parquet, spans.xlsx)
    akhbar annotate archive.jsonl.gz --out spans.parquet --workers 2
    akhbar evaluate gold/entities.csv gold_articles/

``python -m akhbar`` is the same command. The input is anything
:func:`akhbar.corpus.archive.load_corpus` reads: one ``.txt`` article or a folder of them, a JSONL
file (``.jsonl``, ``.jsonl.gz``) or a Parquet file or folder.

Every message is one line on standard error, ``akhbar: <file>: <message>``, through the
``logging`` logger ``akhbar`` (warnings the library raises for notebook users included); the
exit code says what kind of problem stopped the run (:data:`EXIT_CODES`).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import signal
import sys
import textwrap
import warnings
from collections import Counter
from pathlib import Path

from tqdm import tqdm

from ..articles.loading import ArticleError, ArticleSkipped
from ..files import OutputLocked, atomic_path, output_lock
from ..io.export import SPAN_SUFFIXES, SpanWriter, TooManyRows
from ..layers.themes import THEME_COLUMNS
from ..pipeline.batches import annotate_batch
from ..pipeline.corrections import AnnotationDrift, CorrectionSkipped
from ..pipeline.engine import LAYERS

EXIT_OK, EXIT_BUG, EXIT_USAGE, EXIT_INPUT, EXIT_OUTPUT, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130
EXIT_CODES = {
    EXIT_OK: "done; articles that could not be read are named and counted as skipped",
    EXIT_BUG: "an unexpected error, a fault in akhbar itself (with its traceback: please report it)",
    EXIT_USAGE: "the command line is wrong: an unknown option, --batch or --workers below 1, "
                "an --out that is not .csv/.parquet/.xlsx or would replace the input",
    EXIT_INPUT: "an input cannot be used: no such file or folder, a format akhbar does not read, "
                "a bad --gazetteer or corrections file, an unreadable gold file",
    EXIT_OUTPUT: "the output cannot be written: another run is writing it, a layer too long for "
                 "an Excel sheet, a full disk or no permission (the previous file is kept)",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C or kill); the previous output is kept",
}
"""What each exit code of ``akhbar`` means."""

log = logging.getLogger("akhbar")
log.addHandler(logging.NullHandler())  # quiet in a notebook unless the caller configures logging


class UserError(Exception):
    """A problem the researcher can fix, reported as one line with its exit code.

    Example:
        >>> exc = UserError("مقالات: no such file or folder", EXIT_INPUT)
        >>> str(exc), exc.code
        ('مقالات: no such file or folder', 3)
    """

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


def annotate_stream(path: Path, out: Path, batch: int = 200, progress: bool = True,
                    annotations: Path | None = None, workers: int = 1,
                    gazetteer: Path | None = None, layers=LAYERS) -> tuple[int, int, list[str], list[str]]:
    """Annotate every article under ``path`` into ``out``, ``batch`` articles at a time.

    ``path`` is anything :func:`akhbar.corpus.archive.load_corpus` reads (a .txt file or a folder
    of them, a JSONL or a Parquet file); only one batch of articles and spans is in memory
    at once (with ``workers`` processes, at most two batches per worker). The output is the
    same for any number of workers. The progress bar shows the share of the input read and
    the time left: bytes of the file as stored for JSONL (compressed for ``.gz``), files for
    ``.txt``, records for Parquet.
    With ``annotations``, the researcher's ``<article_id>.csv`` corrections are merged as
    in :func:`akhbar.annotate`; a drifted row is reported and not applied.
    With ``gazetteer``, the researcher's gazetteer CSV extends and overrides the package's.
    Each skipped article and correction row not applied is logged (logger ``akhbar``) when
    its batch is written.

    Returns:
        ``(articles, spans, skipped, not_applied)``: each entry of the two lists names the
        file (and line) or article.

    Example:
        >>> import tempfile
        >>> src, out = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp()) / "spans.csv"
        >>> _ = (src / "a1.txt").write_text("زار أردوغان الدوحة.", encoding="utf-8")
        >>> annotate_stream(src, out, progress=False), sorted(p.name for p in out.parent.iterdir())
        ((1, 2, [], []), ['spans.csv', 'spans.themes.csv'])
    """
    from ..corpus.archive import corpus_size, load_corpus

    skipped: list[tuple[str, str]] = []
    errors: list[str] = []
    not_applied: list[str] = []
    n = 0
    total, unit = corpus_size(path)
    with contextlib.ExitStack() as stack:
        stack.enter_context(output_lock(out))
        writer = SpanWriter(out, stack.enter_context(atomic_path(out)))
        themes = writer if writer.book is not None else \
            SpanWriter(themes_path(out), stack.enter_context(atomic_path(themes_path(out))), THEME_COLUMNS)
        bar = tqdm(desc="annotate", total=total, unit=unit, unit_scale=unit == "B", unit_divisor=1024,
                   disable=not progress, dynamic_ncols=True)
        reported = 0
        try:
            with warnings.catch_warnings(), _logging_beside(bar):
                warnings.simplefilter("ignore", ArticleSkipped)  # logged below, once each
                for read, done in _annotated(load_corpus(path, batch_size=batch, skipped=skipped),
                                             workers, gazetteer, annotations, layers):
                    failed = [f"{aid}: {reason}" for aid, reason in done.skipped.items()]
                    n += len(done.articles)
                    errors += failed
                    writer.add_articles(done.articles)
                    writer.write(done.spans)
                    if themes is writer:
                        writer.book.add_table("themes", done.themes.reindex(columns=THEME_COLUMNS))
                    else:
                        themes.write(done.themes.reindex(columns=THEME_COLUMNS))
                    for w in done.warnings:
                        if issubclass(w.category, (AnnotationDrift, CorrectionSkipped)):
                            not_applied.append(str(w.message))
                            log.warning(str(w.message))
                        else:  # not ours to keep: shown as it would have been
                            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
                    for message in [f"{w}: {r}" for w, r in skipped[reported:]] + failed:
                        log.warning(_skipped(message))
                    reported = len(skipped)
                    bar.update(read.attrs.get("progress", bar.n) - bar.n)
                    bar.set_postfix_str(f"{n:,} articles", refresh=False)
                for where, reason in skipped[reported:]:  # records skipped after the last batch
                    log.warning(_skipped(f"{where}: {reason}"))
                bar.update(max(total - bar.n, 0))
            writer.commit()  # a full disk here too leaves the previous file and no temporary one
            if themes is not writer:
                themes.commit()
        except BaseException:
            writer.abort()
            themes.abort()
            raise
        finally:
            bar.close()
    return n, writer.rows, [f"{where}: {reason}" for where, reason in skipped] + errors, not_applied


def themes_path(out: Path) -> Path:
    """Where the command line writes the paragraph themes beside ``out`` (spans.csv ->
    spans.themes.csv); a ``.xlsx`` workbook holds them in a sheet ``themes`` instead.

    Example:
        >>> themes_path(Path("مخرجات/spans.parquet")).as_posix()
        'مخرجات/spans.themes.parquet'
    """
    return out.with_name(f"{out.stem}.themes{out.suffix}")


def _skipped(message: str) -> str:
    """A skipped article's message, saying it was skipped: ``file:3: invalid JSON (...); skipped``."""
    return message if message.endswith("skipped") else f"{message}; skipped"


@contextlib.contextmanager
def _logging_beside(bar: tqdm):
    """Messages logged while ``bar`` is shown are written above it, not through it."""
    if bar.disable or not any(isinstance(h, logging.StreamHandler) and h.stream in (sys.stderr, sys.stdout)
                              for h in log.handlers):
        yield
        return
    from tqdm.contrib.logging import logging_redirect_tqdm

    with logging_redirect_tqdm(loggers=[log]):
        yield


def _annotated(batches, workers: int = 1, gazetteer: Path | None = None, annotations: Path | None = None,
               layers=LAYERS):
    """``(batch, tables)`` for each batch of articles, in input order: the batch as read
    (its ``attrs["progress"]`` says how far the input is read) and its
    :class:`akhbar.pipeline.batches.Annotated` tables from the one pipeline every entry point runs
    (warnings kept in them, not raised).

    With ``workers > 1`` the batches are annotated in that many processes, and reading
    stops while ``2 * workers`` batches wait, so memory stays bounded.
    """
    if workers <= 1:
        for articles in batches:
            yield articles, annotate_batch(articles, annotations, layers=layers, gazetteer=gazetteer, warn=False)
        return
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    from ..inputs import as_articles

    # the word lists, automata and models are built here once, before the workers start: forked,
    # they inherit them instead of each building its own while the other waits for the processor
    annotate_batch(as_articles(["زار أردوغان الدوحة."]), layers=layers, gazetteer=gazetteer, warn=False)
    pool = ProcessPoolExecutor(workers, initializer=_end_with_parent)
    try:
        waiting: deque = deque()
        for articles in batches:
            waiting.append((articles, pool.submit(annotate_batch, articles, annotations, layers=layers,
                                                  gazetteer=gazetteer, warn=False)))
            if len(waiting) >= 2 * workers:
                done, job = waiting.popleft()
                yield done, job.result()
        while waiting:
            done, job = waiting.popleft()
            yield done, job.result()
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


def _evaluate(args) -> int:
    from ..analysis.evaluation import evaluate_folder, framing_report, read_gold_framing, report, score_framing
    from ..analysis.evaluation import dates_report, read_gold_dates, score_dates
    from ..analysis.evaluation import gold_speaker_ids, quotes_report, read_gold_entities, read_gold_quotes, score_quotes

    if args.iob is not None:
        _evaluate_iob(args)
        if args.gold is None:
            return EXIT_OK
    if args.gold is None or args.articles is None:
        raise UserError("evaluate needs a gold CSV and its articles folder (or --iob FILE)", EXIT_USAGE)
    for path in (args.gold, args.articles, *[p for p in (args.framing, args.dates, args.quotes) if p]):
        if not path.exists():
            raise UserError(f"{path}: no such file or folder", EXIT_INPUT)
    _check_gazetteer(args.gazetteer)
    if args.annotations is not None and not args.annotations.is_dir():
        raise UserError(f"{args.annotations}: no such folder of corrections", EXIT_INPUT)
    options = {"annotations_dir": args.annotations} if args.annotations else {}
    if args.gazetteer:
        options["gazetteer"] = args.gazetteer
    try:
        scores = evaluate_folder(args.gold, args.articles, **options)
        framing = read_gold_framing(args.framing) if args.framing else None
        dates = read_gold_dates(args.dates) if args.dates else None
        quotes = read_gold_quotes(args.quotes) if args.quotes else None
    except OSError as exc:
        raise UserError(_os_message(exc, args.gold), EXIT_INPUT) from None
    except ValueError as exc:  # the readers name the file (and line) of what they cannot use
        raise UserError(str(exc), EXIT_INPUT) from None
    print(report(scores, details=not args.summary))
    if framing is not None:
        framing = score_framing(scores.spans, framing, scores.alignment)
        print("\n" + framing_report(framing, details=not args.summary))
    if dates is not None:
        print("\n" + dates_report(score_dates(scores.spans, dates), details=not args.summary))
    if quotes is not None:
        same = gold_speaker_ids(quotes, read_gold_entities(args.gold))
        print("\n" + quotes_report(score_quotes(scores.spans, quotes, scores.alignment, same), details=not args.summary))
    return EXIT_OK


def _evaluate_iob(args) -> None:
    """``evaluate --iob FILE``: akhbar's names on the sentences of an IOB file, per type."""
    from ..analysis.evaluation import evaluate_iob, names_report

    try:
        print(names_report(evaluate_iob(args.iob, **({"gazetteer": args.gazetteer} if args.gazetteer else {}))))
    except OSError as exc:
        raise UserError(_os_message(exc, args.iob), EXIT_INPUT) from None
    except ValueError as exc:
        raise UserError(str(exc), EXIT_INPUT) from None


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _os_message(exc: OSError, default: Path) -> str:
    """An ``OSError`` as ``<file>: <reason>`` (``No space left on device``…)."""
    return f"{exc.filename or default}: {exc.strerror or exc}"


def _output_problem(source: Path, out: Path) -> str:
    """Why ``out`` may not be written for ``source`` ("" when it may): it must be a .csv,
    .parquet or .xlsx file that is neither the input nor the input folder's ``articles.csv``
    (for one ``.txt`` article, the ``articles.csv`` beside it), and whose themes file
    (:func:`themes_path`) is not the input either."""
    if out.suffix.lower() not in SPAN_SUFFIXES:
        return f"{out}: --out must end in .csv or .parquet (or .xlsx for an Excel workbook)"
    target = out.resolve()
    if target == source.resolve():
        return f"{out}: --out is the input itself; choose another file"
    if out.suffix.lower() != ".xlsx" and themes_path(out).resolve() == source.resolve():
        return (f"{out}: the paragraph themes go to {themes_path(out)}, which is the input itself; "
                "choose another --out")
    folder = source if source.is_dir() else source.parent if source.suffix.lower() == ".txt" else None
    if folder is not None and (target == (folder / "articles.csv").resolve() or target.parent == folder.resolve()
                               and target.suffix.lower() == ".txt"):
        return f"{out}: --out would replace the input folder's own {out.name}; choose another file"
    if out.is_dir():
        return f"{out}: --out is a folder; give a file name such as {out / 'spans.csv'}"
    return ""


def _check_gazetteer(path: Path | None) -> None:
    """Refuse a ``--gazetteer`` that is missing or that the gazetteer reader rejects."""
    if path is None:
        return
    if not path.is_file():
        raise UserError(f"{path}: no such gazetteer file", EXIT_INPUT)
    from ..layers.entities import load_gazetteer

    try:
        load_gazetteer(path)
    except OSError as exc:
        raise UserError(_os_message(exc, path), EXIT_INPUT) from None
    except ValueError as exc:  # names the file and row
        raise UserError(str(exc) if str(path) in str(exc) else f"{path}: {exc}", EXIT_INPUT) from None


def _check_corrections(folder: Path | None) -> None:
    """Refuse a missing ``--annotations`` folder, or one holding a correction file that
    cannot be used at all (undecodable, malformed CSV, missing columns, unknown action or
    layer): a run of hours should not end with some corrections silently left out. Rows
    whose offsets drifted are reported during the run, not here."""
    if folder is None:
        return
    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder of corrections", EXIT_INPUT)
    from ..pipeline.corrections import read_manual

    for path in sorted(folder.glob("*.csv")):
        try:
            read_manual(path, "")  # every row "drifts" against no text: only the file's form is checked
        except OSError as exc:
            raise UserError(_os_message(exc, path), EXIT_INPUT) from None
        except ValueError as exc:
            raise UserError(str(exc), EXIT_INPUT) from None


def _check_annotate(args) -> None:
    """Every problem of an ``annotate`` command line found before anything is read or written."""
    from ..corpus.archive import corpus_size

    for option in ("batch", "workers"):
        value = getattr(args, option)
        if value < 1:
            raise UserError(f"--{option} must be at least 1, got {value}", EXIT_USAGE)
    unknown = [layer for layer in args.layers if layer not in LAYERS]
    if unknown or not args.layers:
        raise UserError(f"--layers takes names from {','.join(LAYERS)}, got {','.join(args.layers) or 'none'}",
                        EXIT_USAGE)
    problem = _output_problem(args.source, args.out)
    if problem:
        raise UserError(problem, EXIT_USAGE)
    try:
        total, _unit = corpus_size(args.source)
    except (FileNotFoundError, ArticleError) as exc:
        raise UserError(str(exc), EXIT_INPUT) from None
    if args.source.is_dir() and not total:
        raise UserError(f"{args.source}: no .txt or .parquet articles in this folder", EXIT_INPUT)
    if not os.access(args.source, os.R_OK):
        raise UserError(f"{args.source}: permission denied", EXIT_INPUT)
    _check_gazetteer(args.gazetteer)
    _check_corrections(args.annotations)


def _annotate(args) -> int:
    _check_annotate(args)
    previous = signal.signal(signal.SIGTERM, _interrupt)  # a kill ends the run as Ctrl-C does, cleanly
    try:
        n, spans, skipped, not_applied = annotate_stream(
            args.source, args.out, args.batch, progress=not args.quiet, annotations=args.annotations,
            workers=args.workers, gazetteer=args.gazetteer, layers=args.layers)
    except (OutputLocked, TooManyRows) as exc:
        raise UserError(str(exc), EXIT_OUTPUT) from None
    except OSError as exc:  # reading the input, or writing the output (a full disk, no permission)
        name = Path(exc.filename or args.out).resolve()
        source = args.source.resolve()
        code = EXIT_INPUT if name == source or source in name.parents else EXIT_OUTPUT
        raise UserError(_os_message(exc, args.out), code) from None
    except KeyboardInterrupt:
        log.error(f"interrupted: {args.out} left as it was before this run")
        return EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGTERM, previous)
    corrections = f"; {len(not_applied)} correction rows not applied" if not_applied else ""
    print(f"annotated {n} articles, {spans} spans -> {args.out}; {len(skipped)} skipped{_why(skipped)}"
          f"{corrections}")
    return EXIT_OK


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, ``akhbar: <message> (see ... --help)``."""

    def error(self, message):
        self.exit(EXIT_USAGE, f"akhbar: {message} (see {self.prog} --help)\n")


def _prog() -> str:
    """``python -m akhbar`` when run as a module, else ``akhbar`` (the installed command)."""
    return "python -m akhbar" if Path(sys.argv[0]).name == "__main__.py" else "akhbar"


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; ``prog`` is the name its help shows (see :func:`_prog`).

    Example:
        >>> args = build_parser("akhbar").parse_args(["annotate", "مقالات", "--out", "spans.csv"])
        >>> args.command, args.source.name, args.batch
        ('annotate', 'مقالات', 200)
    """
    from .. import __version__

    codes = "\n".join(textwrap.fill(meaning, 78, initial_indent=f"  {code:<5}", subsequent_indent=" " * 7)
                      for code, meaning in EXIT_CODES.items())
    ap = _Parser(prog=prog or _prog(), description="akhbar command line: annotate and evaluate Arabic news",
                 epilog=f"exit codes:\n{codes}", formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", action="version", version=f"akhbar {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    a = sub.add_parser("annotate", help="annotate .txt articles, a JSONL or a Parquet archive into one span file",
                       description=textwrap.fill(
                           "Every layer runs, the name tagger too: names no list holds are proposed as entity "
                           "rows with source=model (not counted until reviewed). The tagger costs about 2 s of "
                           "one core per MB of text (a 6.5 MB archive of 2,358 articles: about 11 s more).", 78),
                       epilog=f"exit codes:\n{codes}", formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("source", type=Path,
                   help="one .txt article, a folder of .txt (with articles.csv), a .jsonl, .jsonl.gz or .parquet")
    a.add_argument("--out", type=Path, required=True,
                   help="spans.csv (UTF-8 with BOM), spans.parquet or spans.xlsx (Excel, one sheet per layer)")
    a.add_argument("--batch", type=int, default=200, help="articles per write (at least 1)")
    a.add_argument("--annotations", type=Path, default=None,
                   help="folder of the researcher's <article_id>.csv corrections to merge")
    a.add_argument("--gazetteer", type=Path, default=None,
                   help="the researcher's gazetteer CSV (e.g. gazetteer/actors.csv), merged over the package's")
    a.add_argument("--workers", type=int, default=1,
                   help="processes annotating batches side by side (same output; 2 on a 2-core machine)")
    a.add_argument("--layers", type=lambda v: tuple(x.strip() for x in v.split(",") if x.strip()), default=LAYERS,
                   help=f"the layers to run, comma-separated (default: all, {','.join(LAYERS)}); leave out "
                        "'name' to skip the name tagger")
    a.add_argument("--quiet", action="store_true", help="no progress bar")
    e = sub.add_parser("evaluate", help="score entity annotation against a gold CSV (codebook format)",
                       epilog=f"exit codes:\n{codes}", formatter_class=argparse.RawDescriptionHelpFormatter)
    e.add_argument("gold", type=Path, nargs="?", help="gold entities.csv (article,canonical_id,type,mention,char_start,...)")
    e.add_argument("articles", type=Path, nargs="?", help="folder of the gold's .txt articles (with articles.csv)")
    e.add_argument("--iob", type=Path, default=None, help="also (or only) score names against a CoNLL-style IOB "
                   "file (token and tag a line): persons, organisations, places, strict and overlap")
    e.add_argument("--annotations", type=Path, default=None,
                   help="folder of the researcher's <article_id>.csv corrections to merge first")
    e.add_argument("--gazetteer", type=Path, default=None,
                   help="the researcher's gazetteer CSV, merged over the package's")
    e.add_argument("--framing", type=Path, default=None,
                   help="also score framing cues against this gold framing.csv (codebook section 2)")
    e.add_argument("--dates", type=Path, default=None,
                   help="also score time expressions against this gold dates.csv (codebook section 4)")
    e.add_argument("--quotes", type=Path, default=None,
                   help="also score reported statements against this gold quotes.csv (codebook section 5)")
    e.add_argument("--summary", action="store_true", help="scores only, no list of misses and false alarms")
    from .runner import add_commands  # workbook and compare: the notebooks, run by akhbar.cli.runner

    add_commands(sub)
    return ap


def _notebooks(args) -> int:
    from .runner import run_command

    return run_command(args)


COMMANDS = {"annotate": _annotate, "evaluate": _evaluate, "workbook": _notebooks, "compare": _notebooks}
"""The function that runs each subcommand, given the parsed arguments; returns the exit code."""


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A warning as one logged line: akhbar's own name their file already; others say where
    they come from."""
    text = str(message)
    if category.__module__.split(".")[0] != "akhbar":
        text = f"{Path(filename).name}:{lineno}: {category.__name__}: {text}"
    log.warning(text)


@contextlib.contextmanager
def _one_line_messages():
    """While the command runs: the ``akhbar`` logger writes ``akhbar: <message>`` lines to
    standard error, and warnings go to it instead of Python's two-line format."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("akhbar: %(message)s"))
    saved = log.level, log.propagate
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            yield
    finally:
        log.removeHandler(handler)
        log.setLevel(saved[0])
        log.propagate = saved[1]


def main(argv: list[str] | None = None) -> int:
    """Run the command line (``argv`` without the program name); returns the exit code.

    Example:
        >>> import tempfile
        >>> main(["annotate", "لا-يوجد.txt", "--out", str(Path(tempfile.mkdtemp()) / "spans.csv")])
        3
    """
    args = build_parser().parse_args(argv)
    with _one_line_messages():
        try:
            return COMMANDS[args.command](args)
        except UserError as exc:
            log.error(str(exc))
            return exc.code
        except KeyboardInterrupt:
            log.error("interrupted")
            return EXIT_INTERRUPTED


def _why(errors: list[str]) -> str:
    """What was skipped, by kind: « (2 duplicate id, 1 invalid JSON)»; "" when nothing was."""
    reasons = [e.split(": ", 1)[-1] for e in errors]  # "file:line: reason (details)"
    kinds = Counter(re.split(r"[('\";0-9]", r, maxsplit=1)[0].strip() for r in reasons)
    ranked = sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
    return " (" + ", ".join(f"{n} {kind}" for kind, n in ranked) + ")" if kinds else ""


if __name__ == "__main__":
    raise SystemExit(main())
