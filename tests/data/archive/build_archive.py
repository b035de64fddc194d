"""Build tests/data/archive/articles.jsonl: the two seed articles plus synthetic test articles.

    .venv/bin/python tests/data/archive/build_archive.py

The synthetic articles (``synthetic.jsonl``, written for akhbar's tests, not real news) carry
``"synthetic": true`` and sources named ``synthetic-*``; they exercise messy archive text:
HTML entities, <br>, URL footers, bidi controls in a title, tashkeel, tatweel, Eastern Arabic
digits, Persian letter forms and duplicates across outlets.
"""

import csv
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parents[2] / "seeds"


def seed_records():
    with open(SEEDS / "articles.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            text = (SEEDS / row["file"]).read_text(encoding="utf-8")
            yield {"id": row["article_id"], "title": row["title"], "text": text,
                   "source": row["source"], "published": row["published"], "url": row["url"],
                   "synthetic": False}


def main():
    synthetic = [json.loads(line) for line in open(HERE / "synthetic.jsonl", encoding="utf-8")
                 if line.strip()]
    with open(HERE / "articles.jsonl", "w", encoding="utf-8", newline="\n") as out:
        for rec in list(seed_records()) + synthetic:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {HERE / 'articles.jsonl'}")


if __name__ == "__main__":
    main()
