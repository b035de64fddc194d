"""Benchmark: annotation on real archive text, against a plain tokeniser and peers, in one run.

    python bench/annotate.py [--archive ../shared/dev/ant_dev.jsonl.gz] [--repeat 3]

On the texts of the archive (by default the 2,358 real 2018 news articles of the dev
archive), prints:

- MB/s of ``re.findall(r"\\w+")``, the plain baseline every ratio is divided by;
- ``akhbar.annotate`` with all layers, with all but the name tagger (layer ``name``), and
  with entities alone (the span table built, sorted and counted): MB/s, ratio to the
  baseline, spans per MB; the name tagger's own speed (:func:`akhbar.layers.names.with_names`,
  features and tagging, on the scans and entity columns the other layers use);
- the entity layer (scan, one automaton pass, entity columns) against flashtext's
  ``KeywordProcessor`` and spaCy's ``PhraseMatcher`` (``spacy.blank("ar")``, no model)
  given the same forms: every gazetteer form with each proclitic it may carry, folded as
  akhbar folds them, run on the folded text (the fold is timed too: the scan does it);
  a peer that is not installed is reported so, it is no dependency of akhbar;
- what each step costs in ms per MB, each step's own function timed directly on the
  same scans (not by subtracting runs, which a busy machine makes noisy);
- the command line (``python -m akhbar annotate``) with one worker and with two: MB/s and
  the speed-up; its peak memory on a tenth of the archive and on the whole (it must not
  grow with the input).

Every speed is the best of ``--repeat`` runs, since this machine's speed varies.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "dev" / "ant_dev.jsonl.gz"
WORDS = re.compile(r"\w+")
LIB = os.environ.get("AKHBAR_LIB", str(ROOT / "lib"))
"""The akhbar to measure (another checkout's ``lib`` to compare, e.g. a copy of an earlier one)."""
sys.path.insert(0, LIB)

import pandas as pd  # noqa: E402

import akhbar  # noqa: E402
from akhbar.layers.names import with_names  # noqa: E402
from akhbar.scan import scan  # noqa: E402
from akhbar.text import normalize  # noqa: E402

A = importlib.import_module("akhbar.pipeline.engine")  # the module (akhbar.annotate is the function)
from akhbar.layers.entities import entity_columns  # noqa: E402
from akhbar.layers.registry import Run  # noqa: E402
from akhbar.matcher import prefetch  # noqa: E402

STEP_NAMES = {"name": "name tagger", "settle": "settle (quotes without cues, voices)"}
"""Steps named in the cost table as before the registry (the tagger's layer is ``name``)."""
from akhbar.pipeline.batches import batches  # noqa: E402

PEAK_RSS = """
def peak_rss_kb():
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM:'):
            return int(line.split()[1])
"""
"""Code for a child process: its own peak resident memory in kB (Linux)."""


def load_table(path: Path) -> pd.DataFrame:
    """The archive as an article table (dates parsed once, as the command line's reader does)."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    published = pd.to_datetime(pd.Series([r.get("published") for r in rows]), errors="coerce", format="mixed",
                               utc=True).dt.tz_localize(None)
    return pd.DataFrame({"article_id": [r["id"] for r in rows], "text": [r["text"] for r in rows],
                         "source": [r.get("source") or "" for r in rows], "published": published})


def best_of(fn, repeat: int) -> float:
    """Fewest seconds of ``repeat`` runs of ``fn()``."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def step_costs(table: pd.DataFrame, repeat: int) -> dict[str, float]:
    """Seconds of each step of :func:`akhbar.pipeline.engine.annotate_texts` over the archive, each
    step's own function timed on its own (best of ``repeat`` passes); ``name tagger (CPU)``
    is the tagger's processor time, which other processes on a shared machine do not inflate."""
    best: dict[str, float] = {}
    texts, pubs, srcs = table["text"].tolist(), table["published"].tolist(), table["source"].tolist()
    ids = table["article_id"].tolist()
    for _ in range(repeat):
        cost: dict[str, float] = {}

        def timed(name, fn, *args, **kw):
            t0, c0 = time.perf_counter(), time.process_time()
            out = fn(*args, **kw)
            cost[name] = cost.get(name, 0.0) + time.perf_counter() - t0
            if name == "name tagger":
                cost["name tagger (CPU)"] = cost.get("name tagger (CPU)", 0.0) + time.process_time() - c0
            return out

        for lo, hi in batches(texts):
            published = [None if pd.isna(p) else p for p in pubs[lo:hi]]
            sc = timed("scan", scan, texts[lo:hi])
            paras = timed("paragraph table", A.paragraph_table, texts[lo:hi], srcs[lo:hi])
            timed("automaton pass (all phrases)", prefetch, sc, A.layer_matchers())
            run = Run(sc, None, [None if p is None else pd.Timestamp(p) for p in published], paras)
            parts = A.run_layers(run, A.LAYERS,  # as the engine runs them, each step timed
                                 call=lambda step, fn, r: timed(STEP_NAMES.get(step, step), fn, r))
            timed("span table", A._frame, sc, parts, ids[lo:hi], paras)
        for name, seconds in cost.items():
            best[name] = min(best.get(name, float("inf")), seconds)
    return best


def entity_layer(texts: list[str]) -> None:
    """The entity layer alone: scan, the automaton pass over its phrases, entity columns."""
    for lo, hi in batches(texts):
        sc = scan(texts[lo:hi])
        prefetch(sc, A.layer_matchers(("entity",)))
        entity_columns(sc)


def entity_forms() -> list[str]:
    """Every key of the entity matchers, as flat folded text (one space between words)."""
    from akhbar.layers.entities import _matchers

    full, adjectives, _names = _matchers(None)
    return sorted({" ".join(key.split()) for m in (full, adjectives) for key in m._keys})


def peers(joined: str, forms: list[str], repeat: int) -> dict[str, float | str]:
    """Seconds of flashtext and spaCy's PhraseMatcher on the folded text (or why not run)."""
    out: dict[str, float | str] = {}
    try:
        from flashtext import KeywordProcessor
    except ImportError:
        out["flashtext"] = "not installed"
    else:
        keywords = KeywordProcessor()
        for form in forms:
            keywords.add_keyword(form)
        out["flashtext"] = best_of(
            lambda: keywords.extract_keywords(normalize(joined, ta_marbuta=True), span_info=True), repeat)
    try:
        import spacy
        from spacy.matcher import PhraseMatcher
    except ImportError:
        out["spaCy PhraseMatcher"] = "not installed"
    else:
        nlp = spacy.blank("ar")
        matcher = PhraseMatcher(nlp.vocab)
        matcher.add("FORM", list(nlp.tokenizer.pipe(forms)))
        pieces = normalize(joined, ta_marbuta=True).split("\n")

        def run():
            for doc in nlp.tokenizer.pipe(pieces):
                matcher(doc)

        out["spaCy PhraseMatcher"] = best_of(run, repeat)
    return out


def cli_run(path: Path, workers: int) -> tuple[float, float]:
    """Seconds and peak RSS (MB, the main process's) of ``python -m akhbar annotate`` on a
    JSONL archive, in a fresh process running the akhbar measured here."""
    code = ("import runpy, sys; sys.argv=['akhbar','annotate',%r,'--out',%r,'--quiet','--workers',%r];"
            "\ntry: runpy.run_module('akhbar', run_name='__main__')\nexcept SystemExit: pass\n"
            "print(peak_rss_kb())") % (str(path), str(path) + ".parquet", str(workers))
    env = {**os.environ, "PYTHONPATH": LIB}
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, "-c", PEAK_RSS + code], capture_output=True, text=True, check=True, env=env)
    return time.perf_counter() - t0, int(res.stdout.strip().splitlines()[-1]) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--archive", type=Path, default=ARCHIVE, help="a .jsonl(.gz) archive (fields id, text, ...)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (the best is kept)")
    ap.add_argument("--no-cli", action="store_true", help="skip the command-line runs")
    args = ap.parse_args()
    table = load_table(args.archive)
    texts = table["text"].tolist()
    joined = "\n".join(texts)
    mb = len(joined.encode("utf-8")) / 1e6
    print(f"archive: {args.archive.name}, {len(texts)} articles, {mb:.2f} MB of text; akhbar from {LIB}")
    akhbar.annotate(table.head(20))  # matchers and automata built once, outside the timings
    entity_layer(texts[:20])
    base = best_of(lambda: WORDS.findall(joined), args.repeat)

    def report(name: str, seconds: float | str, extra: str = "") -> None:
        if isinstance(seconds, str):
            print(f"  {name:44s} {seconds}")
        else:
            print(f"  {name:44s} {mb / seconds:7.2f} MB/s {base / seconds:7.3f}x re  {extra}")

    print("speed (ratio to re.findall(r'\\w+') on the same text):")
    report("re.findall(r'\\w+')", base)
    spans = {}
    without = tuple(layer for layer in A.LAYERS if layer != "name")
    for name, layers in (("all layers", A.LAYERS), ("all but the name tagger", without),
                         ("entities alone", ("entity",))):
        seconds = best_of(lambda: spans.__setitem__(name, akhbar.annotate(table, layers=layers)), args.repeat)
        report(f"akhbar.annotate, {name}", seconds, f"{len(spans[name]) / mb:,.0f} spans per MB")
    layer = best_of(lambda: entity_layer(texts), args.repeat)
    report("entity layer (scan, automaton, entities)", layer)
    forms = entity_forms()
    for name, seconds in peers(joined, forms, args.repeat).items():
        note = "" if isinstance(seconds, str) else f"entity layer {seconds / layer:.2f}x as fast"
        report(f"{name}, same {len(forms):,} forms", seconds, note)
    costs = step_costs(table, args.repeat)
    cpu = costs.pop("name tagger (CPU)", None)
    total = sum(costs.values())
    print(f"cost in ms per MB (each step timed on its own; re.findall {1000 * base / mb:.0f}):")
    for name, seconds in costs.items():
        print(f"  {name:44s} {1000 * seconds / mb:7.1f}")
    print(f"  {'sum':44s} {1000 * total / mb:7.1f}   (0.25x re needs {4000 * base / mb:.0f})")
    if "name tagger" in costs:
        print(f"name tagger alone: {mb / costs['name tagger']:.2f} MB/s on one core, {mb / cpu:.2f} MB/s of its "
              f"processor time ({costs['name tagger'] / (total - costs['name tagger']):.2f}x the other steps together)")
    if args.no_cli:
        return
    with tempfile.TemporaryDirectory() as tmp:
        lines = gzip.open(args.archive, "rt", encoding="utf-8").read().splitlines(keepends=True)
        whole, tenth = Path(tmp) / "whole.jsonl", Path(tmp) / "tenth.jsonl"
        whole.write_text("".join(lines), encoding="utf-8")
        tenth.write_text("".join(lines[: max(1, len(lines) // 10)]), encoding="utf-8")
        print("command line (python -m akhbar annotate ... --out spans.parquet):")
        runs = {}
        for workers in (1, 2):
            runs[workers] = min((cli_run(whole, workers) for _ in range(max(1, args.repeat - 1))),
                                key=lambda r: r[0])
            seconds, peak = runs[workers]
            print(f"  --workers {workers}: {seconds:6.1f} s, {mb / seconds:5.2f} MB/s, main process peak "
                  f"{peak:5.0f} MB")
        print(f"  --workers 2 is {runs[1][0] / runs[2][0]:.2f}x one worker")
        small = cli_run(tenth, 1)[1]
        print(f"  peak memory, one worker: {small:.0f} MB on a tenth of the archive, {runs[1][1]:.0f} MB on "
              f"the whole ({runs[1][1] / small:.2f}x)")


if __name__ == "__main__":
    main()
