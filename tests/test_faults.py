"""Nothing lost, nothing silently wrong: real archives (mixed time zones, gzip, repeated ids),
outputs that are never half-written, a second writer refused, interrupted runs, and entry
points that take what a researcher has at hand. (Metadata and correction files:
test_faults_inputs.py.)"""

import gzip
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import akhbar
from akhbar.cli import main as cli
from akhbar.corpus.archive import load_corpus
from akhbar.files import OutputLocked, atomic_path, output_lock

from conftest import ROOT, shared_path

TEST_ARCHIVE = ROOT / "tests" / "data" / "archive" / "articles.jsonl"
"""Eleven articles the repository holds: the two seeds and nine synthetic ones."""
RECORDS = [
    {"id": "a", "title": "t", "text": "قال إن تركيا", "published": "Sun, 18 Feb 2018 20:50:44 GMT"},
    {"id": "b", "title": "t", "text": "قال إن قطر", "published": "Fri, 06 Jul 2018 23:28:01 +0400"},
    {"id": "c", "title": "t", "text": "قال إن مصر", "published": "2018-07-07T01:00:00+03:00"},
]


def write_jsonl(path, records, gz=False):
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "akhbar", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=600)


class TestArchives:
    def test_mixed_time_zones_are_read_in_utc(self, tmp_path):
        batch = next(load_corpus(write_jsonl(tmp_path / "tz.jsonl", RECORDS)))
        assert [str(t) for t in batch["published"]] == [
            "2018-02-18 20:50:44", "2018-07-06 19:28:01", "2018-07-06 22:00:00"]
        assert batch["published_raw"].iloc[1] == "Fri, 06 Jul 2018 23:28:01 +0400"

    def test_command_line_on_mixed_zones_and_gzip(self, tmp_path):
        for gz in (False, True):
            src = write_jsonl(tmp_path / ("tz.jsonl.gz" if gz else "tz.jsonl"), RECORDS, gz=gz)
            out = tmp_path / f"out{gz}.csv"
            r = run("annotate", src, "--out", out, "--quiet")
            assert r.returncode == 0, r.stderr
            assert set(pd.read_csv(out)["article_id"]) == {"a", "b", "c"}
            assert "annotated 3 articles" in r.stdout

    def test_a_repeated_id_is_skipped_and_reported(self, tmp_path):
        src = write_jsonl(tmp_path / "dup.jsonl", RECORDS + [{**RECORDS[0], "text": "قال إن ليبيا"}])
        r = run("annotate", src, "--out", tmp_path / "o.csv", "--quiet")
        assert "dup.jsonl:4: duplicate id 'a' (first at " in r.stderr and "dup.jsonl:1)" in r.stderr
        spans = pd.read_csv(tmp_path / "o.csv")
        assert "libya" not in set(spans["canonical_id"].dropna())  # the second copy is not counted
        assert "annotated 3 articles" in r.stdout and "1 skipped (1 duplicate id)" in r.stdout

    def test_an_ambiguous_or_unreadable_date_is_named_not_guessed(self, tmp_path):
        recs = [{**RECORDS[0], "published": "03/04/2020"}, {**RECORDS[1], "published": "soon"}]
        with pytest.warns(UserWarning) as caught:
            batch = next(load_corpus(write_jsonl(tmp_path / "d.jsonl", recs)))
        messages = [str(w.message) for w in caught]
        assert any("d.jsonl:1: published '03/04/2020': ambiguous day/month order" in m for m in messages)
        assert any("d.jsonl:2: published 'soon': not a date akhbar reads" in m for m in messages)
        assert batch["published"].isna().all() and list(batch["published_raw"]) == ["03/04/2020", "soon"]


class TestOutputs:
    def test_out_may_not_be_the_input_or_its_metadata(self, tmp_path, seeds_dir):
        src = write_jsonl(tmp_path / "x.jsonl", RECORDS)
        before = src.read_bytes()
        r = run("annotate", src, "--out", src)
        assert r.returncode == 2 and "--out must end in .csv or .parquet" in r.stderr
        assert src.read_bytes() == before
        folder = tmp_path / "arts"
        folder.mkdir()
        (folder / "a.txt").write_text("عنوان\nقال إن تركيا", encoding="utf-8")
        (folder / "articles.csv").write_text("article_id,title\na,عنوان\n", encoding="utf-8")
        r = run("annotate", folder, "--out", folder / "articles.csv")
        assert r.returncode == 2 and "would replace the input folder's own articles.csv" in r.stderr
        assert (folder / "articles.csv").read_text(encoding="utf-8") == "article_id,title\na,عنوان\n"

    def test_a_failed_run_leaves_the_previous_output(self, tmp_path, monkeypatch):
        out = tmp_path / "spans.csv"
        out.write_text("previous,good,output\n", encoding="utf-8")
        src = write_jsonl(tmp_path / "x.jsonl", RECORDS)
        real = load_corpus

        def breaks(*args, **kwargs):  # the disk fills up after the first batch
            yield next(real(*args, **kwargs))
            raise OSError("No space left on device")

        monkeypatch.setattr("akhbar.corpus.archive.load_corpus", breaks)
        with pytest.raises(OSError, match="No space left"):
            cli.annotate_stream(src, out, batch=1, progress=False)
        assert out.read_text(encoding="utf-8") == "previous,good,output\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["spans.csv", "x.jsonl"]  # no partial, no lock

    def test_atomic_path_replaces_only_on_success(self, tmp_path):
        target = tmp_path / "t.csv"
        target.write_text("old")
        with pytest.raises(KeyboardInterrupt):
            with atomic_path(target) as part:
                part.write_text("half")
                raise KeyboardInterrupt
        assert target.read_text() == "old" and list(tmp_path.iterdir()) == [target]
        with atomic_path(target) as part:
            part.write_text("new")
        assert target.read_text() == "new"

    def test_a_second_writer_is_refused(self, tmp_path):
        out = tmp_path / "spans.csv"
        src = write_jsonl(tmp_path / "x.jsonl", RECORDS)
        with output_lock(out):
            r = run("annotate", src, "--out", out, "--quiet")
            with pytest.raises(OutputLocked, match="another run is writing it"):
                with output_lock(out):
                    pass
        assert r.returncode == 4 and "another run is writing it" in r.stderr and not out.exists()  # EXIT_OUTPUT
        assert run("annotate", src, "--out", out, "--quiet").returncode == 0  # released after

    def test_a_lock_left_by_a_killed_run_is_taken_over(self, tmp_path):
        out = tmp_path / "spans.csv"
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True).stdout.strip()
        (tmp_path / ".spans.csv.lock").write_text(dead)
        (tmp_path / f".spans.csv.{dead}.partial.csv").write_text("half")
        with output_lock(out):
            pass
        assert list(tmp_path.iterdir()) == []


class TestDevArchive:
    def test_the_archive_as_shipped(self, tmp_path):
        """Raw RSS dates, gzip: every article annotated, 0 crashes, the same bytes with 2 workers."""
        archive = shared_path("dev/ant_dev.jsonl.gz", "the 2,358-article archive as shipped")
        ids = {json.loads(line)["id"] for line in gzip.open(archive, "rt", encoding="utf-8")}
        one, two = tmp_path / "one.csv", tmp_path / "two.csv"
        # without the name tagger (a pure function of each article, tested in test_names.py): it would
        # make this the slowest test by far
        layers = ("--layers", "entity,framing,date,quote,group")
        r1 = run("annotate", archive, "--out", one, "--quiet", *layers)
        r2 = run("annotate", archive, "--out", two, "--quiet", "--workers", "2", *layers)
        assert r1.returncode == r2.returncode == 0, r1.stderr[-500:]
        assert f"annotated {len(ids)} articles" in r1.stdout and "0 skipped" in r1.stdout
        assert set(pd.read_csv(one, usecols=["article_id"], dtype=str)["article_id"]) == ids
        assert one.read_bytes() == two.read_bytes()


class TestInterrupt:
    def test_an_interrupted_run_stops_cleanly(self, tmp_path):
        # the repository's test archive 300 times over (new ids): a run long enough to be interrupted halfway
        records = [json.loads(line) for line in TEST_ARCHIVE.read_text(encoding="utf-8").splitlines() if line]
        big = write_jsonl(tmp_path / "big.jsonl", [{**r, "id": f"{r['id']}-{k}"} for k in range(300) for r in records])
        out = tmp_path / "spans.csv"
        out.write_text("previous\n")
        p = subprocess.Popen([sys.executable, "-m", "akhbar", "annotate", str(big), "--out", str(out),
                              "--quiet", "--workers", "2", "--batch", "50"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 120
        while not list(tmp_path.glob(".spans.csv.*.partial*")) and time.time() < deadline and p.poll() is None:
            time.sleep(0.2)  # until the first batches are written
        children = [int(c) for c in Path(f"/proc/{p.pid}/task/{p.pid}/children").read_text().split()]
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=60)
        assert p.returncode == 130 and "interrupted: " in err and "left as it was" in err
        assert out.read_text() == "previous\n"
        assert sorted(x.name for x in tmp_path.iterdir()) == ["big.jsonl", "spans.csv"]  # no partial, no lock
        time.sleep(2)
        assert children and not [c for c in children if Path(f"/proc/{c}").exists()]


class TestEntryPoints:
    def test_a_string_a_list_or_a_bare_table(self):
        one = akhbar.annotate("قال إن تركيا وقطر")
        assert set(one["article_id"]) == {"text1"} and {"turkey", "qatar"} <= set(one["canonical_id"])
        two = akhbar.annotate(["قال إن تركيا", "وقال حفتر"], layers=("entity",))
        assert list(two["canonical_id"]) == ["turkey", "khalifa_haftar"]
        bare = akhbar.annotate(pd.DataFrame({"text": ["قال إن تركيا"]}), layers=("entity",))
        assert list(bare["article_id"]) == ["text1"]
        assert akhbar.kwic("قال إن تركيا", "تركيا")["match"].tolist() == ["تركيا"]
        assert akhbar.tokens(["قال إن تركيا"])["token"].tolist() == ["قال", "إن", "تركيا"]
        assert akhbar.paragraphs("عنوان\nقال إن تركيا")["zone"].tolist() == ["title", "subhead"]

    def test_anything_else_says_what_is_accepted(self):
        with pytest.raises(TypeError, match="a string, a list of strings, or a DataFrame with a 'text' column"):
            akhbar.annotate(42)
        with pytest.raises(TypeError, match="no 'text' column"):
            akhbar.annotate(pd.DataFrame({"body": ["x"]}))
        with pytest.raises(ValueError, match=r"article ids repeat: \['a'\]"):
            akhbar.annotate(pd.DataFrame({"article_id": ["a", "a"], "text": ["x", "y"]}))


def test_a_failed_notebook_leaves_the_previous_pages(tmp_path):
    """The workbook runner stages every page and puts them in place only when all ran."""
    import nbformat

    from akhbar.cli import runner

    book = tmp_path / "09-broken.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Broken"),
                                         nbformat.v4.new_code_cell("raise ValueError('boom')")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, book)
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "09-broken.html").write_text("previous page")
    with pytest.raises(runner.NotebookFailed, match="09-broken.ipynb failed in cell 1: ValueError: boom"):
        runner.run_books([book], exports, {})
    assert sorted(p.name for p in exports.iterdir()) == ["09-broken.html"]
    assert (exports / "09-broken.html").read_text() == "previous page"


class TestSafeInputs:
    def test_a_link_out_of_the_folder_is_not_read(self, tmp_path, seeds_dir):
        folder = tmp_path / "arts"
        folder.mkdir()
        (folder / "a.txt").write_text("عنوان\nقال إن تركيا", encoding="utf-8")
        (folder / "b.txt").symlink_to(next(seeds_dir.glob("*.txt")))
        with pytest.warns(akhbar.ArticleSkipped, match=r"b.txt: leads outside .*arts \(a link or \.\.\); skipped"):
            arts = akhbar.load_articles(folder)
        assert list(arts["article_id"]) == ["a"]
        with pytest.warns(akhbar.ArticleSkipped, match="b.txt: leads outside"):
            assert list(next(load_corpus(folder))["article_id"]) == ["a"]

    def test_an_id_is_checked_before_it_names_a_file(self, tmp_path):
        from akhbar.io.export import to_brat

        arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["../evil"], "text": ["قال إن تركيا"]}))
        with pytest.raises(ValueError, match=r"article id '\.\./evil' cannot be a file name"):
            to_brat(arts, akhbar.annotate(arts), tmp_path / "brat")
        assert not (tmp_path / "evil.txt").exists()

    def test_bidi_controls_leave_the_labels(self):
        arts = akhbar.inputs.as_articles(pd.DataFrame({"text": ["x"], "source": ["\u202eالتغيير\u202c"]}))
        assert akhbar.article_labels(arts).iloc[0] == "text1 التغيير"


def test_functions_taking_ids_check_them(articles):
    from akhbar.views.highlight import show_article

    toks = akhbar.tokens(articles)
    with pytest.raises(ValueError, match=r"keyness: no tokens for article ids \['nope'\]"):
        akhbar.keyness(toks, "nope")
    with pytest.raises(KeyError, match="no article 'nope'"):
        show_article(articles, akhbar.annotate(articles.head(1), layers=("entity",)), "nope")


def test_compared_files_get_their_dates_and_sources(tmp_path, capsys):
    """make compare A=… B=… DATES=… SOURCES=…: the staged folder's articles.csv dates them."""
    from akhbar.cli import runner

    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text("عنوان\nقال إن تركيا", encoding="utf-8")
    folder = runner.stage_files([tmp_path / "a.txt", tmp_path / "b.txt"], ["2018-05-17", "2018-06-28"],
                                      ["BBC", ""])
    try:
        arts = akhbar.load_articles(folder)
        assert [str(d.date()) for d in arts["published"]] == ["2018-05-17", "2018-06-28"]
        assert list(arts["source"]) == ["BBC", ""]
    finally:
        shutil.rmtree(folder)
    with pytest.raises(ValueError, match="--dates: 1 values for 2 files"):
        runner.stage_files([tmp_path / "a.txt", tmp_path / "b.txt"], ["2018-05-17"])
    with pytest.raises(ValueError, match="c.txt: no such article file"):
        runner.stage_files([tmp_path / "a.txt", tmp_path / "c.txt"])
    assert runner.compare([tmp_path / "a.txt", tmp_path / "b.txt"], tmp_path / "out", sources=["BBC"]) == 2
    assert "--sources: 1 values for 2 files" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_failed_corpus_run_keeps_the_previous_tables(tmp_path, monkeypatch):
    from akhbar.corpus import store

    src = write_jsonl(tmp_path / "x.jsonl", RECORDS)
    out = tmp_path / "parquet"
    store.annotate_corpus(src, out, progress=False, themes=False)
    before = sorted(p.relative_to(out) for p in out.rglob("*.parquet"))
    real = store.load_corpus

    def breaks(*args, **kwargs):
        yield next(real(*args, **kwargs))
        raise OSError("No space left on device")

    monkeypatch.setattr(store, "load_corpus", breaks)
    with pytest.raises(OSError, match="No space left"):
        store.annotate_corpus(src, out, batch_size=1, progress=False, themes=False)
    assert sorted(p.relative_to(out) for p in out.rglob("*.parquet")) == before and before
    assert sorted(p.name for p in out.iterdir()) == ["articles", "spans"]  # no staging folder, no lock
