"""Benchmark: the entity layer and all layers on real archive text, against peers and
against an earlier akhbar, in one run.

    python bench/entities.py [--archive ../shared/dev/ant_dev.jsonl.gz] [--baseline 64824c2]

Prints, on the same texts (the 2,358 real 2018 news articles of the dev archive by
default), the best of ``--repeat`` runs of:

- ``re.findall(r"\\w+")``, the plain baseline every speed is divided by;
- flashtext's ``KeywordProcessor`` given the same forms as akhbar's entity matcher (every
  gazetteer form with each proclitic it may carry, folded as akhbar folds them), on the
  folded text (the folding is timed too: akhbar's scan does the same work);
- akhbar's entity layer (the scan and the entity columns, patterns included), and
  ``akhbar.annotate`` with entities only and with all layers (the span table built);
- the same ``annotate`` runs of the ``--baseline`` commit (checked out in a temporary git
  worktree and run in a child process), so the cost of the larger gazetteer and of the
  pattern layer is measured against the code before them on the same machine and text.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "dev" / "ant_dev.jsonl.gz"
WORDS = re.compile(r"\w+")

ANNOTATE_RUNS = r"""
import gzip, json, sys, time, warnings
warnings.simplefilter("ignore")
import pandas as pd
import akhbar
rows = [json.loads(line) for line in gzip.open(sys.argv[1], "rt", encoding="utf-8")]
table = pd.DataFrame({"article_id": [r["id"] for r in rows], "text": [r["text"] for r in rows],
                      "source": [r.get("source", "") for r in rows], "published": [None] * len(rows)})
repeat = int(sys.argv[2])
akhbar.annotate(table.head(20))  # build the matchers once, outside the timing
out = {}
for name, layers in (("entities", ("entity",)), ("all layers", None)):
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        akhbar.annotate(table, **({"layers": layers} if layers else {}))
        best = min(best, time.perf_counter() - t0)
    out[name] = best
print(json.dumps(out))
"""


def load_texts(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh]


def best_of(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def annotate_seconds(lib: Path, archive: Path, repeat: int) -> dict[str, float]:
    """Seconds of ``akhbar.annotate`` (entities only, all layers) with the akhbar in ``lib``,
    in a child process."""
    res = subprocess.run([sys.executable, "-c", ANNOTATE_RUNS, str(archive), str(repeat)], capture_output=True,
                         text=True, check=True, env={"PYTHONPATH": str(lib), "PATH": "/usr/bin:/bin"})
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--archive", type=Path, default=ARCHIVE, help="a .jsonl.gz archive (field text)")
    ap.add_argument("--baseline", default="64824c2", help="git commit to compare annotate against ('' to skip)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (the best is kept)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "lib"))
    from flashtext import KeywordProcessor

    from akhbar.layers.entities import _matchers, entity_columns
    from akhbar.scan import scan
    from akhbar.text import normalize

    texts = load_texts(args.archive)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"archive: {args.archive.name}, {len(texts)} articles, {mb:.1f} MB")
    full, adjectives, _names = _matchers(None)
    forms = sorted({key.strip() for m in (full, adjectives) for key in m._view_automaton.keys()})
    keywords = KeywordProcessor()
    for form in forms:
        keywords.add_keyword(form.replace("  ", " "))
    joined = "\n".join(texts)

    def run_flashtext():
        keywords.extract_keywords(normalize(joined, ta_marbuta=True), span_info=True)

    def run_layer():
        for lo in range(0, len(texts), 500):
            entity_columns(scan(texts[lo:lo + 500]))

    speeds = {"re.findall(r'\\w+')": best_of(lambda: WORDS.findall(joined), args.repeat),
              f"flashtext, same {len(forms)} forms": best_of(run_flashtext, args.repeat),
              "akhbar entity layer (scan + entities)": best_of(run_layer, args.repeat)}
    now = annotate_seconds(ROOT / "lib", args.archive, args.repeat)
    speeds.update({f"akhbar.annotate, {k}": v for k, v in now.items()})
    base = speeds["re.findall(r'\\w+')"]
    print(f"{'measure':45s} {'MB/s':>8s} {'x re':>7s}")
    for name, seconds in speeds.items():
        print(f"{name:45s} {mb / seconds:8.2f} {base / seconds:7.3f}")
    flash = speeds[f"flashtext, same {len(forms)} forms"]
    print(f"entity layer vs flashtext: {flash / speeds['akhbar entity layer (scan + entities)']:.2f}x as fast")
    if args.baseline:
        with tempfile.TemporaryDirectory() as tmp:
            tree = Path(tmp) / "baseline"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), args.baseline],
                           check=True)
            try:
                before = annotate_seconds(tree / "lib", args.archive, args.repeat)
            finally:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True)
        for name, seconds in before.items():
            print(f"{'akhbar.annotate at ' + args.baseline + ', ' + name:45s} {mb / seconds:8.2f} "
                  f"{base / seconds:7.3f}   now {seconds / now[name]:.2f}x its speed")


if __name__ == "__main__":
    main()
