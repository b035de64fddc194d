"""Train akhbar's name tagger (akhbar.layers.names) on the ANERcorp training split.

    python scripts/train_names.py --train ../shared/anercorp/train.txt [--cv]

Writes ``lib/akhbar/data/names.crfsuite`` (the model) and ``lib/akhbar/data/names.json``
(parameters, the model's sha256, and with ``--cv`` five-fold cross-validation). The same
training file and parameters always give the same model bytes.

``--cv`` scores five folds of contiguous blocks of sentences (not shuffled sentences: a
story's sentences stay together), strictly on whole names per type (PERS, ORG, LOC;
MISC is not scored), counts pooled over the five held-out blocks. ``--grid`` tries several
regularisations (c1, c2) by the same cross-validation and only prints them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from akhbar.analysis.evaluation import read_iob, score_names  # noqa: E402
from akhbar.layers import names  # noqa: E402

FOLDS = 5


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def blocks(sentences: list, k: int = FOLDS) -> list[tuple[int, int]]:
    """``(lo, hi)`` sentence ranges of ``k`` contiguous blocks."""
    n = len(sentences)
    return [(n * i // k, n * (i + 1) // k) for i in range(k)]


def cross_validate(sentences: list, params: dict, log=print) -> dict:
    """Five-fold cross-validation by contiguous blocks: pooled strict and overlap scores per type."""
    import pycrfsuite

    groups = [[] for _ in range(FOLDS)]
    seqs = [names.training_sequences(sentences[lo:hi], groups[k]) for k, (lo, hi) in enumerate(blocks(sentences))]
    gold, found = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for k, held in enumerate(seqs):
            t0 = time.perf_counter()
            train = [s for j, part in enumerate(seqs) if j != k for s in part]
            model = names.train(train, Path(tmp) / f"fold{k}.crfsuite", **params)
            tagger = pycrfsuite.Tagger()
            tagger.open(str(model))
            g = [names.iob_spans(y) for _x, y in held]
            f = [names.iob_spans(y) for y in second_pass([tagger.tag(x) for x, _y in held], held, groups[k])]
            fold = score_names(g, f).set_index("type")
            log(f"  fold {k + 1}: " + ", ".join(f"{t} {fold.loc[t, 'strict_f1']:.3f}" for t in fold.index)
                + f" ({time.perf_counter() - t0:.0f} s)")
            gold += g
            found += f
    return tidy(score_names(gold, found).set_index("type").to_dict("index"))


def second_pass(tags: list[list[str]], held: list, groups: list[int]) -> list[list[str]]:
    """:func:`akhbar.layers.names.propagate` over the tagged sentences of each document, as the
    tagger does on an article."""
    out = []
    lo = 0
    while lo < len(held):
        hi = lo
        while hi < len(held) and groups[hi] == groups[lo]:
            hi += 1
        flat = [t for y in tags[lo:hi] for t in y]
        words = [f[0][2:] for x, _y in held[lo:hi] for f in x]  # each token's first feature is w=WORD
        flat = names.propagate(flat, words, [groups[lo]] * len(flat))
        for y in tags[lo:hi]:
            out.append(flat[:len(y)])
            flat = flat[len(y):]
        lo = hi
    return out


def tidy(cv: dict) -> dict:
    """Scores as JSON keeps them: counts as integers, rates as given."""
    return {t: {c: int(v) if c in ("gold", "found") else float(v) for c, v in row.items()} for t, row in cv.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", type=Path, default=ROOT.parent / "shared" / "anercorp" / "train.txt",
                    help="the ANERcorp training split (token and IOB tag a line)")
    ap.add_argument("--out", type=Path, default=names.MODEL, help="model file to write")
    ap.add_argument("--cv", action="store_true", help="also run five-fold cross-validation and record it")
    ap.add_argument("--grid", action="store_true", help="cross-validate several c1, c2 and stop")
    ap.add_argument("--c1", type=float, default=names.TRAINING["c1"])
    ap.add_argument("--c2", type=float, default=names.TRAINING["c2"])
    ap.add_argument("--iterations", type=int, default=names.TRAINING["max_iterations"])
    ap.add_argument("--minfreq", type=float, default=names.TRAINING["minfreq"])
    args = ap.parse_args()
    sentences = read_iob(args.train)
    params = {"c1": args.c1, "c2": args.c2, "max_iterations": args.iterations, "minfreq": args.minfreq}
    if args.grid:
        for c1, c2 in ((0.0, 0.1), (0.05, 0.05), (0.1, 0.01), (0.2, 0.01), (0.1, 0.1)):
            print(f"c1={c1} c2={c2}")
            cv = cross_validate(sentences, {**params, "c1": c1, "c2": c2})
            print("  pooled strict F1: " + ", ".join(f"{t} {cv[t]['strict_f1']:.3f}" for t in cv))
        return
    info_path = args.out.with_suffix(".json")
    old = json.loads(info_path.read_text(encoding="utf-8")) if info_path.is_file() else {}
    cv = old.get("cross_validation") if old.get("parameters") == params else None
    cv = tidy(cv) if cv else None
    if args.cv:
        print(f"five-fold cross-validation, contiguous blocks of {len(sentences)} sentences:")
        cv = cross_validate(sentences, params)
    t0 = time.perf_counter()
    seqs = names.training_sequences(sentences)
    with tempfile.TemporaryDirectory(dir=args.out.parent) as tmp:  # never a half-written model
        model = names.train(seqs, Path(tmp) / args.out.name, **params)
        model.replace(args.out)
    info = {"model": args.out.name, "sha256": sha256(args.out), "bytes": args.out.stat().st_size,
            "training": {"file": "anercorp/train.txt", "sentences": len(sentences),
                         "tokens": sum(len(t) for t, _y in sentences), "sha256": sha256(args.train)},
            "parameters": params, "labels": sorted(names.tagger.__wrapped__(str(args.out)).labels()),
            "cross_validation": cv}
    tmp_info = info_path.with_suffix(".json.tmp")
    tmp_info.write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp_info.replace(info_path)
    print(f"{args.out}: {info['bytes'] / 1e6:.2f} MB, sha256 {info['sha256']} ({time.perf_counter() - t0:.0f} s)")
    if cv:
        for t, row in cv.items():
            print(f"  {t:5s} strict P {row['strict_precision']:.3f} R {row['strict_recall']:.3f} "
                  f"F1 {row['strict_f1']:.3f}   overlap F1 {row['overlap_f1']:.3f}")


if __name__ == "__main__":
    main()
