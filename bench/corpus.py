"""Benchmark the archive path: generate a >= 100 MB Arabic news corpus, then time and measure it.

    .venv/bin/python bench/corpus.py                      # full run: 25/50/100 MB, Dask on 100 MB
    .venv/bin/python bench/corpus.py --sizes 5 10 --dask-mb 5   # a quick look

The corpus is JSONL in a temporary folder (kept with --keep). Articles are built from the
sentences of the seed and synthetic test articles, shuffled across articles, with about one
word in five replaced from a generated vocabulary of pseudo-Arabic words (tens of thousands
of distinct forms) and actors, outlets and dates varied, so that the annotator meets a
realistic spread of words rather than the same two texts.

Prints: single-process streaming throughput (MB/s) and peak RSS at each size (each size in a
fresh subprocess, so peaks do not mix), then Dask LocalCluster with 1 and 2 workers and the
speed-up.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT / "tests" / "data" / "archive" / "articles.jsonl"
LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
PATTERNS = ("{0}ا{1}{2}", "م{0}{1}و{2}", "ت{0}{1}ي{2}", "است{0}{1}ا{2}", "{0}{1}ي{2}", "م{0}ا{1}{2}",
            "ال{0}{1}{2}", "{0}{1}{2}ات", "ي{0}{1}{2}ون", "م{0}{1}{2}ة")
ACTORS = ("خليفة حفتر", "المشير خليفة حفتر", "اللواء المتقاعد خليفة حفتر", "تركيا", "قطر", "مصر",
          "الإمارات", "حكومة الوفاق", "حكومة طرابلس", "حكومة الوحدة الوطنية", "أنقرة", "الدوحة")
OUTLETS = ("bench-alpha", "bench-beta", "bench-gamma", "bench-delta", "bench-epsilon", "bench-zeta")
MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
          "أكتوبر", "نوفمبر", "ديسمبر")
_ACTOR_RE = re.compile("|".join(sorted(map(re.escape, ACTORS), key=len, reverse=True)))


def vocabulary(rng: random.Random, size: int = 60000) -> list[str]:
    """``size`` distinct pseudo-Arabic words from random roots and common patterns."""
    words = set()
    while len(words) < size:
        root = rng.sample(LETTERS, 3)
        words.add(rng.choice(PATTERNS).format(*root))
    return sorted(words)


def sentences() -> list[str]:
    """Sentences of the test archive (seeds + synthetic), as a pool to draw from."""
    out = []
    for line in ARCHIVE.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        out += [s.strip() for s in re.split(r"(?<=[.!؟])\s+|\n", text) if len(s.split()) >= 6]
    return out


def perturb(sentence: str, vocab: list[str], rng: random.Random, rate: float = 0.2) -> str:
    """Replace about ``rate`` of the words (never inside an actor name) and swap actors."""
    sentence = _ACTOR_RE.sub(lambda m: rng.choice(ACTORS), sentence)
    protected = [(m.start(), m.end()) for m in _ACTOR_RE.finditer(sentence)]
    out, pos = [], 0
    for m in re.finditer(r"\S+", sentence):
        out.append(sentence[pos:m.start()])
        inside = any(s <= m.start() < e for s, e in protected)
        word = m.group()
        if not inside and rng.random() < rate and re.fullmatch(r"[\u0621-\u064A]+", word):
            word = rng.choice(vocab)
        out.append(word)
        pos = m.end()
    return "".join(out) + sentence[pos:]


def generate(path: Path, megabytes: float, seed: int = 0) -> int:
    """Write a JSONL corpus of at least ``megabytes`` MB of article text; returns articles written."""
    rng = random.Random(seed)
    vocab, pool = vocabulary(rng), sentences()
    target, size, n = megabytes * 1e6, 0, 0
    with open(path, "w", encoding="utf-8") as fh:
        while size < target:
            body = [perturb(rng.choice(pool), vocab, rng) for _ in range(rng.randint(8, 24))]
            year, month, day = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
            body.insert(rng.randint(1, len(body)), f"وجاء ذلك في {day} {MONTHS[month - 1]} {year}.")
            title = " ".join(body[0].split()[:rng.randint(5, 9)])
            text = title + "\n" + "\n".join(body)
            rec = {"id": f"bench-{n:07d}", "title": title, "text": text, "source": rng.choice(OUTLETS),
                   "published": f"{year}-{month:02d}-{day:02d}", "url": ""}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            size += len(text.encode("utf-8"))
            n += 1
    return n


def prefix(src: Path, dst: Path, megabytes: float) -> None:
    """Copy the first articles of ``src`` until ``megabytes`` MB of text."""
    size = 0
    with open(src, encoding="utf-8") as fin, open(dst, "w", encoding="utf-8") as fout:
        for line in fin:
            if size >= megabytes * 1e6:
                break
            fout.write(line)
            size += len(json.loads(line)["text"].encode("utf-8"))


def measure(path: str, out_dir: str, batch_size: int) -> dict:
    """Annotate ``path`` in this process with the streaming store; time and peak RSS."""
    from akhbar.corpus.store import annotate_corpus

    t0 = time.perf_counter()
    s = annotate_corpus(path, out_dir, batch_size=batch_size, progress=False)
    seconds = time.perf_counter() - t0
    return {"MB": round(s["bytes"] / 1e6, 1), "articles": s["articles"], "spans": s["spans"],
            "seconds": round(seconds, 1), "MB/s": round(s["bytes"] / 1e6 / seconds, 3),
            "peak_rss_MB": round(peak_rss_kb() / 1024, 1)}


def peak_rss_kb() -> int:
    """This process's own peak resident memory (``VmHWM``; ``ru_maxrss`` would include
    the parent's size at the fork)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def measure_dask(path: str, out_dir: str, workers: int, batch_size: int) -> dict:
    """Annotate ``path`` on a LocalCluster of ``workers`` single-threaded processes."""
    from distributed import Client, LocalCluster

    from akhbar.corpus.distributed import annotate_dask

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.run(lambda: __import__("akhbar.pipeline.engine"))  # imports are not part of the timing
        t0 = time.perf_counter()
        s = annotate_dask(path, out_dir, client=client, batch_size=batch_size, progress=False)
        seconds = time.perf_counter() - t0
    return {"workers": workers, "MB": round(s["bytes"] / 1e6, 1), "seconds": round(seconds, 1),
            "MB/s": round(s["bytes"] / 1e6 / seconds, 3)}


def child(args: list[str]) -> dict:
    """Run one measurement in a fresh interpreter and return its JSON line."""
    res = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", nargs="+", type=float, default=[25, 50, 100], help="MB for the streaming runs")
    ap.add_argument("--dask-mb", type=float, default=100, help="MB for the Dask 1 vs 2 workers runs")
    ap.add_argument("--batch-size", type=int, default=500)
    ap.add_argument("--keep", action="store_true", help="keep the generated corpus and output")
    ap.add_argument("--corpus", help="reuse a corpus.jsonl generated before (kept with --keep)")
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    ap.add_argument("--dask-workers", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.measure:  # child mode
        result = (measure_dask(args.measure, args.out, args.dask_workers, args.batch_size)
                  if args.dask_workers else measure(args.measure, args.out, args.batch_size))
        print(json.dumps(result))
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="akhbar-bench-"))
    try:
        full = Path(args.corpus) if args.corpus else tmp / "corpus.jsonl"
        biggest = max(args.sizes + [args.dask_mb, 100])
        t0 = time.perf_counter()
        if args.corpus:
            with open(full, encoding="utf-8") as fh:
                n = sum(1 for _line in fh)
        else:
            n = generate(full, biggest)
        words = set()
        with open(full, encoding="utf-8") as fh:
            for line in fh:
                words.update(json.loads(line)["text"].split())
                if len(words) > 200000:
                    break
        print(f"corpus: {full.stat().st_size / 1e6:.1f} MB JSONL, {n} articles, "
              f"{len(words)} distinct words, generated in {time.perf_counter() - t0:.1f} s", flush=True)
        print("single process, streaming (store.annotate_corpus, fresh subprocess per size):", flush=True)
        for mb in args.sizes:
            part = tmp / f"corpus-{mb:g}.jsonl"
            prefix(full, part, mb)
            r = child(["--measure", str(part), "--out", str(tmp / f"out-{mb:g}"),
                       "--batch-size", str(args.batch_size)])
            print(f"  {r['MB']:>6} MB  {r['articles']:>6} articles  {r['spans']:>8} spans  "
                  f"{r['seconds']:>7} s  {r['MB/s']:>6} MB/s  peak RSS {r['peak_rss_MB']} MB", flush=True)
            shutil.rmtree(tmp / f"out-{mb:g}", ignore_errors=True)
        if not args.dask_mb:
            return 0
        part = tmp / f"corpus-dask-{args.dask_mb:g}.jsonl"
        prefix(full, part, args.dask_mb)
        print(f"Dask LocalCluster (processes, 1 thread each) on {args.dask_mb:g} MB:", flush=True)
        times = {}
        for w in (1, 2):
            r = child(["--measure", str(part), "--out", str(tmp / f"dask-{w}"), "--dask-workers", str(w),
                       "--batch-size", str(args.batch_size)])
            times[w] = r["seconds"]
            print(f"  {w} worker(s): {r['seconds']} s  {r['MB/s']} MB/s", flush=True)
            shutil.rmtree(tmp / f"dask-{w}", ignore_errors=True)
        print(f"  speed-up 2 vs 1 workers: {times[1] / times[2]:.2f}x", flush=True)
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
