"""The dev articles and the dev archive are for evaluation only: no tracked file holds their sentences.

A run of nine Arabic words shared with a dev text is a copy (stock phrases such as a
minister's full title run to eight); the office titles of the people pack
(``lib/akhbar/data/packs``) are names of real offices, read from public lists, and are left out.
"""

import gzip
import json
import re
import subprocess

from conftest import ROOT, shared_path

WORDS = re.compile(r"[\u0600-\u06FF]+")
RUN = 9
NAMES_OF_OFFICES = "lib/akhbar/data/packs/"


def runs(text: str) -> set[str]:
    """Every run of :data:`RUN` Arabic words in ``text``.

    Example:
        >>> len(runs(" ".join(["كلمة"] * 10)))
        1
    """
    words = WORDS.findall(text)
    return {" ".join(words[i:i + RUN]) for i in range(len(words) - RUN + 1)}


def dev_runs() -> set[str]:
    found = set()
    for path in sorted(shared_path("dev/articles", "the dev articles").glob("*.txt")):
        found |= runs(path.read_text(encoding="utf-8"))
    with gzip.open(shared_path("dev/ant_dev.jsonl.gz", "the dev archive"), "rt", encoding="utf-8") as f:
        for line in f:
            found |= runs(json.loads(line).get("text") or "")
    return found


def test_no_tracked_file_holds_a_dev_sentence():
    dev = dev_runs()
    assert len(dev) > 500_000  # the archive was read
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    copies = []
    for name in tracked.splitlines():
        if name.startswith(NAMES_OF_OFFICES):
            continue
        try:
            text = (ROOT / name).read_text(encoding="utf-8")
        except (UnicodeDecodeError, IsADirectoryError, FileNotFoundError):
            continue  # binary files (the model, images)
        for number, line in enumerate(text.splitlines(), 1):
            shared = runs(line) & dev
            if shared:
                copies.append(f"{name}:{number}: «{min(shared)}»")
    assert not copies, "dev text copied into the repository:\n" + "\n".join(copies)
