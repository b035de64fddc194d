"""Benchmark: annotation speed against a plain regex tokeniser, and CLI memory vs corpus size.

    python bench/annotate.py [--mb 30]

Builds a corpus of at least ``--mb`` MB from the seed articles, repeated *and* perturbed
(sentences shuffled across articles, a share of words replaced from a generated
vocabulary, so the corpus has tens of thousands of distinct words), then prints in one
run: MB/s of the plain ``re`` tokeniser, of ``akhbar.annotate`` on the corpus table
(entities only, and all layers; the spans table built, sorted and counted), their
ratios, what the scan and each layer cost in ms per MB (layers added one at a time),
the peak memory of the streaming command line at two corpus sizes (it must not grow
with the corpus), and the command line's speed with one worker and with two. Each
speed is the best of ``--repeat`` runs, since this machine's speed varies between runs.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

import pandas as pd  # noqa: E402

from akhbar.annotate import LAYERS, annotate, batches  # noqa: E402
from akhbar.corpus import load_articles  # noqa: E402
from akhbar.scan import scan  # noqa: E402
from akhbar.text import sentence_spans  # noqa: E402

LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
PLAIN_TOKENS = re.compile(r"\w+|[^\w\s]")


def vocabulary(n: int, rng: random.Random) -> list[str]:
    words = set()
    while len(words) < n:
        words.add("".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 8))))
    return sorted(words)


def build_corpus(mb: float, seed: int = 7) -> list[dict]:
    """Perturbed copies of the seed articles until the corpus has ``mb`` megabytes."""
    rng = random.Random(seed)
    arts = load_articles(ROOT / "seeds")
    sents = [t[s:e] for t in arts["text"] for s, e in sentence_spans(t)]
    vocab = vocabulary(40000, rng)
    out, size, i = [], 0, 0
    while size < mb * 1e6:
        body = []
        for s in rng.sample(sents, 24):
            words = s.split()
            for k in range(len(words)):
                if rng.random() < 0.15:
                    words[k] = rng.choice(vocab)
            body.append(" ".join(words))
        text = f"خبر رقم {i}\n" + "\n".join(body) + "\n"
        out.append({"id": f"b{i:06d}", "title": f"خبر رقم {i}", "text": text, "source": "bench",
                    "published": f"20{20 + i % 6}-0{1 + i % 9}-15", "url": ""})
        size += len(text.encode("utf-8"))
        i += 1
    return out


def mb_per_s(corpus: list[dict], fn, repeat: int) -> float:
    """Best speed of ``repeat`` runs of ``fn(corpus)``."""
    size = sum(len(a["text"].encode("utf-8")) for a in corpus) / 1e6
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(corpus)
        best = min(best, time.perf_counter() - t0)
    return size / best


def cli_run(path: Path, workers: int = 1) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of ``python -m akhbar annotate`` on a JSONL corpus, in a
    fresh process.

    The peak is read from the child's own ``VmHWM`` (``ru_maxrss`` would carry over this
    large process's size from the fork); with several workers it is the main process's.
    """
    code = ("import runpy, sys; sys.argv=['akhbar','annotate',%r,'--out',%r,'--quiet','--workers',%r];"
            "\ntry: runpy.run_module('akhbar', run_name='__main__')\nexcept SystemExit: pass\n"
            "print(peak_rss_kb())") % (str(path), str(path) + ".parquet", str(workers))
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, "-c", PEAK_RSS + code], capture_output=True, text=True, check=True)
    return time.perf_counter() - t0, int(res.stdout.strip().splitlines()[-1]) / 1024


PEAK_RSS = """
def peak_rss_kb():
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM:'):
            return int(line.split()[1])
"""
"""Code for a child process: its own peak resident memory in kB (Linux)."""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=30.0, help="corpus size in MB (at least 30 for the report)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (the best is kept)")
    args = ap.parse_args()
    corpus = build_corpus(args.mb)
    table = pd.DataFrame({"article_id": [a["id"] for a in corpus], "text": [a["text"] for a in corpus],
                          "published": [a["published"] for a in corpus], "source": [a["source"] for a in corpus]})
    size = sum(len(a["text"].encode("utf-8")) for a in corpus) / 1e6
    distinct = len({w for a in corpus for w in a["text"].split()})
    print(f"corpus: {len(corpus)} articles, {size:.1f} MB, {distinct} distinct words")
    base = mb_per_s(corpus, lambda c: [PLAIN_TOKENS.findall(a["text"]) for a in c], args.repeat)
    texts = table["text"].tolist()
    scan_only = mb_per_s(corpus, lambda c: [scan(texts[lo:hi]) for lo, hi in batches(texts)], args.repeat)
    speeds = {}  # layers added one at a time: what each one costs
    for n in range(1, len(LAYERS) + 1):
        speeds[LAYERS[n - 1]] = mb_per_s(corpus, lambda c: annotate(table, layers=LAYERS[:n]), args.repeat)
    ent, full = speeds["entity"], speeds[LAYERS[-1]]
    print(f"plain re tokeniser      {base:8.2f} MB/s")
    print(f"annotate, entities      {ent:8.2f} MB/s   ratio {ent / base:.2f}x")
    print(f"annotate, all layers    {full:8.2f} MB/s   ratio {full / base:.2f}x")
    print(f"goal (0.5x)             {base / 2:8.2f} MB/s   = {2000 / base:.0f} ms per MB for all layers")
    costs, before = [f"scan {1000 / scan_only:.0f}", f"entities and span table {1000 / ent - 1000 / scan_only:.0f}"], ent
    for layer in LAYERS[1:]:
        costs.append(f"+{layer} {1000 / speeds[layer] - 1000 / before:.0f}")
        before = speeds[layer]
    print(f"cost in ms per MB: tokeniser {1000 / base:.0f}; annotate {1000 / full:.0f} = " + ", ".join(costs))
    with tempfile.TemporaryDirectory() as tmp:
        peaks = []
        for share in (1 / 3, 1.0):
            part = corpus[: max(1, int(len(corpus) * share))]
            path = Path(tmp) / f"corpus_{len(part)}.jsonl"
            with open(path, "w", encoding="utf-8") as fh:
                for a in part:
                    fh.write(json.dumps(a, ensure_ascii=False) + "\n")
            mb = path.stat().st_size / 1e6
            seconds, peak = cli_run(path)
            peaks.append(peak)
            print(f"CLI peak memory at {mb:6.1f} MB corpus: {peak:7.1f} MB   ({mb / seconds:.2f} MB/s)")
        print(f"memory growth from 1/3 to full corpus: {peaks[1] / peaks[0]:.2f}x")
        two, peak = cli_run(path, workers=2)
        print(f"CLI with --workers 2 at {mb:6.1f} MB: {mb / two:.2f} MB/s, {seconds / two:.2f}x one worker "
              f"(main process peak {peak:.0f} MB)")


if __name__ == "__main__":
    main()
