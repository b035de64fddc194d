"""No crash, no hang: one bad record, file, id, lock or form is skipped and reported, and the
run goes on. The big cases are scaled down (a small line cap, a few thousand rows) and shown
linear by the time ratio at n and 4n (tests/growth.py)."""

import gzip
import json
import os
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from growth import best_seconds_ratio

import akhbar
from akhbar.cli import main as cli
from akhbar.corpus import archive
from akhbar.corpus.archive import load_corpus
from akhbar.files import OutputLocked, output_lock
from akhbar.io import inception
from akhbar.layers.entities import load_actors
from akhbar.pipeline.corrections import apply_corrections, read_manual

GOOD = {"id": "good", "title": "عنوان", "text": "قال المشير خليفة حفتر إن تركيا تدعم طرابلس"}


def jsonl(path, *lines, gz=False):
    data = b"".join((x if isinstance(x, bytes) else json.dumps(x, ensure_ascii=False).encode()) + b"\n"
                    for x in lines)
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def read_all(path):
    skipped = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        batches = list(load_corpus(path, skipped=skipped))
    return (pd.concat(batches) if batches else pd.DataFrame(columns=["article_id"])), skipped


class TestRecords:
    def test_a_record_nested_100000_deep_is_skipped(self, tmp_path):
        deep = b'{"id": "x", "text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
        df, skipped = read_all(jsonl(tmp_path / "a.jsonl", deep, GOOD))
        assert df["article_id"].tolist() == ["good"]
        assert skipped == [(f"{tmp_path / 'a.jsonl'}:1", "JSON nested too deep to be an article")]

    def test_a_5000_digit_id_is_skipped(self, tmp_path):
        df, skipped = read_all(jsonl(tmp_path / "a.jsonl", b'{"id": ' + b"7" * 5000 + b', "text": "x"}', GOOD))
        assert df["article_id"].tolist() == ["good"] and "invalid JSON" in skipped[0][1]

    def test_a_lone_surrogate_becomes_a_replacement_character(self, tmp_path):
        src = jsonl(tmp_path / "a.jsonl", '{"id": "s", "title": "\\ud83d", "text": "\\ud83d قال حفتر إن تركيا"}'.encode())
        out = tmp_path / "spans.csv"
        assert cli.main(["annotate", str(src), "--out", str(out), "--quiet"]) == 0
        spans = pd.read_csv(out, encoding="utf-8-sig")
        assert "turkey" in set(spans["canonical_id"])
        df, _ = read_all(src)
        assert df["text"].iloc[0].startswith("\ufffd\n\n\ufffd قال")  # one character for one: offsets hold
        assert "lone_surrogates:1" in df["changes"].iloc[0]

    def test_a_placeholder_date_is_left_empty_in_jsonl_parquet_and_folders(self, tmp_path):
        rec = {**GOOD, "published": "0001-01-01"}
        df, _ = read_all(jsonl(tmp_path / "a.jsonl", rec))
        assert df["published"].isna().all() and df["published_raw"].tolist() == ["0001-01-01"]
        pd.DataFrame([rec]).to_parquet(tmp_path / "a.parquet")
        df, _ = read_all(tmp_path / "a.parquet")
        assert df["published"].isna().all()
        folder = tmp_path / "arts"
        folder.mkdir()
        (folder / "good.txt").write_text(GOOD["text"], encoding="utf-8")
        (folder / "articles.csv").write_text("article_id,published\ngood,0001-01-01\n", encoding="utf-8")
        with pytest.warns(akhbar.MetadataWarning, match="published '0001-01-01': outside the dates"):
            arts = akhbar.load_articles(folder, guess_dates=False)
        assert arts["published"].isna().all()

    def test_an_overlong_line_is_skipped_while_streaming(self, tmp_path, monkeypatch):
        """Scaled down: a 1,000-byte cap and a 200,000-byte line (as 1.1 GB against 64 MiB)."""
        monkeypatch.setattr(archive, "MAX_LINE_BYTES", 1000)
        big = {"id": "big", "text": "قال " * 50_000}
        src = jsonl(tmp_path / "a.jsonl.gz", big, GOOD, gz=True)
        df, skipped = read_all(src)
        assert df["article_id"].tolist() == ["good"]
        assert skipped == [(f"{src}:1", "line longer than 1,000 bytes; not read")]

    def test_an_invalid_byte_is_named_not_read_as_cp1256(self, tmp_path):
        line = json.dumps({"id": "u", "text": "قال حفتر إن تركيا"}, ensure_ascii=False).encode()
        bad = line.replace("تركيا".encode(), "تركيا".encode()[:3] + b"\xff" + "تركيا".encode()[3:])
        df, skipped = read_all(jsonl(tmp_path / "a.jsonl", bad, GOOD))
        assert df["article_id"].tolist() == ["good"]
        assert skipped[0][0].endswith("a.jsonl:1") and "invalid UTF-8 at byte" in skipped[0][1]


class TestIds:
    def test_a_300_character_id_is_skipped_and_the_run_goes_on(self, tmp_path):
        src = jsonl(tmp_path / "a.jsonl", {**GOOD, "id": "x" * 300}, GOOD, {**GOOD, "id": "a\x00b"},
                    {**GOOD, "id": "CON"})
        out = tmp_path / "spans.csv"
        assert cli.main(["annotate", str(src), "--out", str(out), "--quiet"]) == 0
        assert set(pd.read_csv(out, encoding="utf-8-sig")["article_id"]) == {"good"}
        df, skipped = read_all(src)
        assert [r.split(": it ")[1] for _, r in skipped] == [
            "is 300 bytes long (at most 200 in UTF-8)", "has the control character '\\x00'",
            "is a device name on Windows"]

    def test_a_file_name_with_a_colon_is_skipped_not_the_workbook(self, tmp_path):
        (tmp_path / "a:b.txt").write_text(GOOD["text"], encoding="utf-8")
        (tmp_path / "good.txt").write_text(GOOD["text"], encoding="utf-8")
        with pytest.warns(akhbar.ArticleSkipped, match=r"a:b.txt: article id 'a:b' cannot name its files"):
            arts = akhbar.load_articles(tmp_path, guess_dates=False)
        assert arts["article_id"].tolist() == ["good"]

    def test_exports_check_every_id_before_writing(self, tmp_path):
        arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["good", "x" * 300], "text": ["قال", "قال"]}))
        for export in (akhbar.io.export.to_brat, inception.to_inception):
            with pytest.raises(ValueError, match="cannot be a file name: it is 300 bytes long"):
                export(arts, akhbar.annotate(arts, layers=("entity",)), tmp_path / export.__name__)
            assert not (tmp_path / export.__name__).exists() or not any((tmp_path / export.__name__).iterdir())


class TestFiles:
    def test_a_fifo_or_a_link_to_dev_zero_is_refused_unread(self, tmp_path):
        arts_dir, corr = tmp_path / "arts", tmp_path / "annotations"
        arts_dir.mkdir()
        corr.mkdir()
        (arts_dir / "good.txt").write_text(GOOD["text"], encoding="utf-8")
        os.mkfifo(arts_dir / "fifo.txt")
        os.mkfifo(corr / "good.csv")
        (corr / "zero.csv").symlink_to("/dev/zero")
        with pytest.warns(akhbar.ArticleSkipped, match="fifo.txt: not a regular file"):
            arts = akhbar.load_articles(arts_dir)
        assert arts["article_id"].tolist() == ["good"]
        spans, _ = apply_corrections(akhbar.annotate(arts), arts, corr)  # a FIFO is not a correction file
        assert len(spans)
        with pytest.raises(OSError, match="not a regular file"):
            read_manual(corr / "zero.csv", "")
        assert cli.main(["annotate", str(arts_dir), "--out", str(tmp_path / "o.csv"), "--quiet",
                         "--annotations", str(corr)]) == cli.EXIT_INPUT  # named, not read for ever

    def test_an_offset_beyond_int64_is_a_drifted_row(self, tmp_path):
        path = tmp_path / "a1.csv"
        path.write_text("action,start,end,surface,layer\nreject,0,99999999999999999999999,قال,entity\n",
                        encoding="utf-8")
        valid, drifted = read_manual(path, "قال حفتر")
        assert valid.empty and drifted["problem"].str.contains("beyond the text").all()

    def test_an_inception_zip_member_is_read_with_a_cap(self, tmp_path, monkeypatch):
        """Scaled down: a 10,000-byte cap and a 1 MB member (as 2.4 GB from a 1.1 MB ZIP)."""
        monkeypatch.setattr(inception, "MAX_XMI_BYTES", 10_000)
        with zipfile.ZipFile(tmp_path / "export.zip", "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("a1.xmi", b" " * 1_000_000)
        arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"], "text": ["قال"]}))
        with pytest.raises(ValueError, match=r"export.zip!a1.xmi: unpacks to more than 10,000 bytes"):
            inception.from_inception(tmp_path / "export.zip", arts, tmp_path / "annotations")

    def test_to_inception_writes_characters_xml_cannot_hold(self, tmp_path):
        text = "قال\x0bأردوغان\x0c إن \x1b تركيا\ufffe تدعم طرابلس"
        arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"], "text": [text]}))
        spans = akhbar.annotate(arts)
        [xmi] = inception.to_inception(arts, spans, tmp_path / "xmi")
        cas = inception.read_xmi(xmi.read_bytes(), (tmp_path / "xmi" / "TypeSystem.xml").read_bytes())
        assert len(cas.sofa_string) == len(text)  # offsets hold
        assert inception.from_inception(tmp_path / "xmi", arts, tmp_path / "annotations").empty  # no edit


def test_correction_files_merge_in_linear_time(tmp_path):
    """Was 8.6 / 31 / 134 s for 1,000 / 2,000 / 4,000 rows (quadratic)."""
    text = " ".join(["تركيا"] * 4000)
    arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"], "text": [text]}))
    spans = akhbar.annotate(arts, layers=("entity",))

    def merge(n):
        (tmp_path / "a1.csv").write_text("action,start,end,surface,layer,label,canonical_id,type,note\n" + "".join(
            f"correct,{6 * i},{6 * i + 5},تركيا,entity,NAM,turkiye,state,\n" for i in range(n)), encoding="utf-8")
        out, drifted = apply_corrections(spans, arts, tmp_path)
        assert (out["canonical_id"] == "turkiye").sum() == n and drifted.empty

    merge(100)  # warm up
    ratio = best_seconds_ratio(merge, 300)
    assert ratio < 8, ratio


class TestLocks:
    def test_a_lock_of_a_killed_run_in_a_container_is_taken_over(self, tmp_path):
        """The killed run was PID 1 of its container: PID 1 runs here too, but not that run."""
        out = tmp_path / "spans.csv"
        lock = tmp_path / ".spans.csv.lock"
        lock.write_text("pid=1 host=gone boot=b pidns=pid:[1] start=1\n")
        (tmp_path / ".spans.csv.1.partial.csv").write_text("half")
        (tmp_path / ".spans.themes.csv.1.partial.csv").write_text("half")
        (tmp_path / ".spans.xlsx.1.partial.xlsx.sheet2").write_text("<row/>")  # a workbook's sheet stream
        with output_lock(out):
            assert "pid=" in lock.read_text() and f"pid={os.getpid()} " in lock.read_text()
        assert list(tmp_path.iterdir()) == []  # the killed run's partial files too

    def test_a_live_lock_is_respected_and_a_reused_pid_is_not(self, tmp_path):
        from akhbar.files import _identity

        out = tmp_path / "spans.csv"
        lock = tmp_path / ".spans.csv.lock"
        mine = _identity()
        lock.write_text(mine.replace(f"pid={os.getpid()}", f"pid={os.getppid()}").replace(
            "start=", "start=1"))  # a live process id, but it started at another time: a later process
        with output_lock(out):
            with pytest.raises(OutputLocked, match="another run is writing it"):
                with output_lock(out):
                    pass

    def test_two_runs_racing_for_a_stale_lock(self, tmp_path):
        (tmp_path / ".spans.csv.lock").write_text("pid=999999999 host=x\n")
        go = tmp_path / "go"
        code = ("import importlib.util, os, sys, time\n"  # files.py alone: no pandas to import, a quick start
                "spec = importlib.util.spec_from_file_location('files', sys.argv[3])\n"
                "files = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(files)\n"
                "output_lock, OutputLocked = files.output_lock, files.OutputLocked\n"
                "print('ready', flush=True)\n"
                "while not os.path.exists(sys.argv[2]):\n    time.sleep(0.001)\n"
                "try:\n    with output_lock(sys.argv[1]):\n        time.sleep(1.0)\n    print('took')\n"
                "except OutputLocked:\n    print('refused')\n")
        module = str(Path(akhbar.files.__file__))
        runs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "spans.csv"), str(go), module],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
        assert [r.stdout.readline().strip() for r in runs] == ["ready", "ready"]
        go.touch()  # both start at once
        results = [r.communicate(timeout=60) for r in runs]
        assert sorted(out.strip() for out, _ in results) == ["refused", "took"], results
        assert not any(err for _, err in results)


@pytest.mark.parametrize("form", [".", "،", "و", "ب" * 1_000_000])
def test_a_gazetteer_form_without_two_letters_or_too_long_is_refused(tmp_path, form):
    path = tmp_path / "actors.csv"
    pd.DataFrame([{"form": form, "canonical_id": "x_y", "type": "person", "kind": "name", "name_en": "X",
                   "resolves_to": ""}]).to_csv(path, index=False)
    with pytest.raises(ValueError, match="a form needs at least two letters or digits and at most 200"):
        load_actors(path)
