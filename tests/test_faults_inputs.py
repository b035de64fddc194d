"""Nothing lost, nothing silently wrong in what researchers write by hand: ``articles.csv``
(duplicate ids, missing columns, the ``file`` column, mixed and ambiguous dates) and the
correction files (bad files skipped alone, encodings, real line numbers, impossible
offsets). Every problem names its file and line."""

import warnings

import pandas as pd
import pytest

import akhbar
from akhbar.articles.loading import MetadataWarning, read_metadata
from akhbar.pipeline.corrections import AnnotationDrift, CorrectionSkipped, apply_corrections, read_manual
from akhbar.pipeline.engine import spans_frame

A1 = "عنوان أول\nقال إن تركيا وقطر اتفقتا.\n"
A2 = "عنوان ثان\nزار وزير مصري ليبيا.\n"
HEADER = "article_id,title,source,published,url,language"


def folder_with(tmp_path, csv_text, texts=None, encoding="utf-8"):
    """A folder of articles (``{relative path: text}``) with ``articles.csv``."""
    for name, text in (texts or {"a1.txt": A1, "a2.txt": A2}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "articles.csv").write_bytes(csv_text.encode(encoding))
    return tmp_path


def load_quietly(folder):
    """Load and return ``(articles, warning messages)``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = akhbar.load_articles(folder)
    return df, [str(w.message) for w in caught]


# --- articles.csv ------------------------------------------------------------------------
class TestDuplicates:
    def test_second_row_of_an_id_is_skipped_and_named(self, tmp_path):
        folder = folder_with(tmp_path, f"{HEADER}\na1,الأول,الجزيرة,2020-07-21,,ar\n"
                                       f"a2,الثاني,,,,ar\na1,مكرر,العربية,2021-01-01,,ar\n")
        with pytest.warns(MetadataWarning, match=r"articles\.csv: line 4: duplicate article_id 'a1' "
                                                 r"\(first at line 2\); line 4 skipped, line 2 kept"):
            df = akhbar.load_articles(folder)
        a = df.set_index("article_id")
        assert list(df["article_id"]) == ["a1", "a2"]
        assert a.loc["a1", "title"] == "الأول" and isinstance(a.loc["a1", "title"], str)
        assert a.loc["a1", "source"] == "الجزيرة"
        assert a.loc["a1", "published"] == pd.Timestamp("2020-07-21")

    def test_two_rows_naming_one_file(self, tmp_path):
        folder = folder_with(tmp_path, "article_id,file,title\nx1,a1.txt,الأول\nx2,a1.txt,غيره\na2,,الثاني\n")
        with pytest.warns(MetadataWarning, match=r"line 3: duplicate file 'a1\.txt' \(first at line 2\)"):
            df = akhbar.load_articles(folder)
        assert df.set_index("article_id")["title"].to_dict() == {"a2": "الثاني", "x1": "الأول"}


class TestColumns:
    def test_no_article_id_column_uses_the_file_stem(self, tmp_path):
        folder = folder_with(tmp_path, "file,title,source\na1.txt,الأول,الجزيرة\na2.txt,الثاني,العربية\n")
        df, messages = load_quietly(folder)
        assert messages == []
        assert df[["article_id", "title", "source"]].values.tolist() == [
            ["a1", "الأول", "الجزيرة"], ["a2", "الثاني", "العربية"]]

    def test_neither_id_nor_file_column_loads_the_texts(self, tmp_path):
        folder = folder_with(tmp_path, "title,source\nالأول,الجزيرة\n")
        df, messages = load_quietly(folder)
        assert messages == [f"{folder / 'articles.csv'}: no article_id or file column; "
                            "metadata left empty for every article"]
        assert list(df["article_id"]) == ["a1", "a2"]
        assert list(df["title"]) == ["عنوان أول", "عنوان ثان"]  # the texts' first lines
        assert list(df["source"]) == ["", ""] and df["published"].isna().all()

    def test_file_column_names_texts_in_a_subfolder(self, tmp_path):
        folder = folder_with(tmp_path, "article_id,file,title\nx1,texts/a1.txt,الأول\n,texts\\a2.txt,الثاني\n",
                             texts={"texts/a1.txt": A1, "texts/a2.txt": A2})
        df, messages = load_quietly(folder)
        assert messages == []
        assert df[["article_id", "title", "text"]].values.tolist() == [
            ["a2", "الثاني", A2], ["x1", "الأول", A1]]
        assert df.set_index("article_id").loc["x1", "path"] == str(folder / "texts" / "a1.txt")

    def test_file_column_matches_a_file_of_another_name(self, tmp_path):
        folder = folder_with(tmp_path, "article_id,file,title\nx1,a1.txt,الأول\na2,a2.txt,الثاني\n")
        df, messages = load_quietly(folder)
        assert messages == []
        assert df.set_index("article_id").loc["x1", "text"] == A1
        assert list(df["article_id"]) == ["a2", "x1"]

    def test_a_second_file_for_an_id_is_skipped_and_named(self, tmp_path):
        folder = folder_with(tmp_path, "article_id,file,title\na1,texts/a1.txt,الأول\n",
                             texts={"a1.txt": A2, "texts/a1.txt": A1})
        with pytest.warns(akhbar.ArticleSkipped, match=r"a1\.txt: article_id 'a1' is already that of .*texts/a1\.txt"):
            df = akhbar.load_articles(folder)
        assert df[["article_id", "title", "text"]].values.tolist() == [["a1", "الأول", A1]]
        assert list(df.attrs["skipped"]) == [str(folder / "a1.txt")]

    def test_file_not_found_is_named_with_its_line(self, tmp_path):
        folder = folder_with(tmp_path, "article_id,file,title\na1,a1.txt,الأول\nz9,texts/z9.txt,مفقود\n")
        df, messages = load_quietly(folder)
        assert f"{folder / 'articles.csv'}: line 3: file 'texts/z9.txt' not found; matching article_id " \
               "'z9' to a file name instead" in messages
        assert f"{folder / 'articles.csv'}: line 3: row z9 has no text file (z9.txt)" in messages
        assert any(m == f"{folder / 'a2.txt'}: no row in articles.csv, metadata left empty" for m in messages)
        assert list(df["article_id"]) == ["a1", "a2"]

    def test_row_with_too_many_fields_is_skipped_and_named(self, tmp_path):
        folder = folder_with(tmp_path, "article_id,title,source\na1,الأول,الجزيرة\na2,الثاني,قناة,الجزيرة\n")
        df, messages = load_quietly(folder)
        assert messages == [f"{folder / 'articles.csv'}: line 3: 4 fields but the header has 3 columns "
                            "(an unquoted comma?); row skipped",
                            f"{folder / 'a2.txt'}: no row in articles.csv, metadata left empty"]
        assert df.set_index("article_id")["source"].to_dict() == {"a1": "الجزيرة", "a2": ""}

    def test_malformed_csv_names_the_line_and_loads_the_texts(self, tmp_path):
        folder = folder_with(tmp_path, 'article_id,title\na1,الأول\na2,"الثاني\n')
        with pytest.warns(MetadataWarning, match=r"articles\.csv: line 3: malformed CSV"):
            df = akhbar.load_articles(folder)
        assert list(df["article_id"]) == ["a1", "a2"] and list(df["title"]) == ["عنوان أول", "عنوان ثان"]

    def test_cp1256_metadata_is_decoded(self, tmp_path):
        folder = folder_with(tmp_path, "article_id,title,source\na1,الأول,الجزيرة\na2,الثاني,العربية\n",
                             encoding="cp1256")
        df, messages = load_quietly(folder)
        assert messages == [] and list(df["source"]) == ["الجزيرة", "العربية"]

    def test_read_metadata_gives_lines_and_strings(self, tmp_path):
        folder = folder_with(tmp_path, f"{HEADER}\n\na1,الأول,,2020-07-21,,ar\na2,الثاني,,,,ar\n")
        meta = read_metadata(folder)
        assert meta[["article_id", "line", "published"]].values.tolist() == [
            ["a1", 3, "2020-07-21"], ["a2", 4, ""]]


class TestDates:
    VALUES = {  # value as written -> UTC without zone
        "2020-07-21": "2020-07-21 00:00:00",
        "2018-06-10 14:23:09": "2018-06-10 14:23:09",
        "2018-06-10T14:23:09Z": "2018-06-10 14:23:09",
        "2018-06-10T14:23:09+03:00": "2018-06-10 11:23:09",
        "Sun, 18 Feb 2018 20:50:44 GMT": "2018-02-18 20:50:44",
        "Sun, 18 Feb 2018 20:50:44 +0400": "2018-02-18 16:50:44",
        "13/04/2020": "2020-04-13 00:00:00",
    }

    def folder(self, tmp_path, values):
        rows = "".join(f'a{i},عنوان {i},,"{v}",,ar\n' for i, v in enumerate(values, start=1))
        texts = {f"a{i}.txt": f"عنوان {i}\nقال إن تركيا وقطر\n" for i in range(1, len(values) + 1)}
        return folder_with(tmp_path, f"{HEADER}\n{rows}", texts)

    def test_mixed_formats_and_zones_in_one_file(self, tmp_path):
        df, messages = load_quietly(self.folder(tmp_path, list(self.VALUES)))
        assert messages == []
        assert str(df["published"].dtype).startswith("datetime64")
        assert df["published"].dt.tz is None
        assert [str(t) for t in df["published"]] == list(self.VALUES.values())
        assert list(df["published_raw"]) == list(self.VALUES)

    def test_ambiguous_day_month_is_not_guessed(self, tmp_path):
        folder = self.folder(tmp_path, ["2020-07-21", "03/04/2020"])
        with pytest.warns(MetadataWarning, match=r"articles\.csv: line 3: published '03/04/2020': "
                                                 r"ambiguous day/month order"):
            df = akhbar.load_articles(folder)
        assert df["published"].isna().tolist() == [False, True]
        assert list(df["published_raw"]) == ["2020-07-21", "03/04/2020"]

    def test_unreadable_dates_are_named(self, tmp_path):
        folder = self.folder(tmp_path, ["yesterday", "2020-02-30", "Sun, 18 Feb 2018 20:50:44 XYZ"])
        df, messages = load_quietly(folder)
        csv = folder / "articles.csv"
        assert messages == [
            f"{csv}: line 2: published 'yesterday': not a date akhbar reads (ISO 8601 or RFC 822); left empty",
            f"{csv}: line 3: published '2020-02-30': not a valid date "
            "(day is out of range for month: 2020-02-30); left empty",
            f"{csv}: line 4: published 'Sun, 18 Feb 2018 20:50:44 XYZ': unknown time zone 'XYZ'; left empty"]
        assert df["published"].isna().all()

    def test_seeds_keep_their_dates(self, articles):
        assert list(articles["published_raw"]) == ["2025-04-04", "2020-07-21"]
        assert list(articles["published"]) == [pd.Timestamp("2025-04-04"), pd.Timestamp("2020-07-21")]


# --- correction files ----------------------------------------------------------------------
COLUMNS = "action,start,end,surface,layer,label,canonical_id"


@pytest.fixture
def two():
    """Two invented articles and no automatic spans (the corrections add them)."""
    return pd.DataFrame({"article_id": ["a1", "a2"], "text": [A1, A2], "source": ["", ""]})


def add_row(text, surface, canonical):
    s = text.index(surface)
    return f"add,{s},{s + len(surface)},{surface},entity,NAM,{canonical}"


def apply(two, folder):
    return apply_corrections(spans_frame([]), two, folder)


class TestCorrectionFiles:
    def test_one_bad_file_does_not_stop_the_others(self, two, tmp_path):
        (tmp_path / "a1.csv").write_text(f'{COLUMNS}\n{add_row(A1, "تركيا", "turkey")}\nadd,"1,2\n',
                                         encoding="utf-8")
        (tmp_path / "a2.csv").write_text(f'{COLUMNS}\n{add_row(A2, "ليبيا", "libya")}\n', encoding="utf-8")
        with pytest.warns(CorrectionSkipped, match=r"a1\.csv: line 3: malformed CSV .*; file not applied"):
            spans, drifted = apply(two, tmp_path)
        assert spans[["article_id", "surface", "canonical_id", "source"]].values.tolist() == [
            ["a2", "ليبيا", "libya", "manual"]]
        assert list(spans.attrs["skipped_corrections"]) == [str(tmp_path / "a1.csv")]
        assert len(drifted) == 0

    @pytest.mark.parametrize("content, message", [
        (f"{COLUMNS}\nadd,10,15,تركيا,entity,,\nmaybe,0,1,x,entity,,\n",
         r"a1\.csv: row 3: action must be one of \['add', 'correct', 'keep', 'reject'\].*'maybe'/'entity'"),
        (f"{COLUMNS}\nadd,10,15,تركيا,actors,,\n", r"a1\.csv: row 2: .*got 'add'/'actors'"),
        ("action,start,end,layer\nadd,10,15,entity\n", r"a1\.csv: row 1: header lacks columns \['surface'\]"),
        (f"{COLUMNS}\nadd,10,15,تركيا,entity,NAM,turkey,x,y\n",
         r"a1\.csv: row 2: 9 fields but the header has 7 columns"),
    ])
    def test_unusable_file_is_skipped_and_named(self, two, tmp_path, content, message):
        (tmp_path / "a1.csv").write_text(content, encoding="utf-8")
        (tmp_path / "a2.csv").write_text(f'{COLUMNS}\n{add_row(A2, "ليبيا", "libya")}\n', encoding="utf-8")
        with pytest.warns(CorrectionSkipped, match=message):
            spans, _ = apply(two, tmp_path)
        assert list(spans["article_id"]) == ["a2"]
        with pytest.raises(ValueError, match=message):
            read_manual(tmp_path / "a1.csv", A1)

    def test_undecodable_bytes_name_the_line(self, two, tmp_path):
        (tmp_path / "a1.csv").write_bytes(f"{COLUMNS}\n".encode() + b"add,0,5,caf\xe9 cr\xe8me,entity,,\n")
        with pytest.warns(CorrectionSkipped, match=r"a1\.csv: line 2: not UTF-8, UTF-16 or Windows-1256"):
            spans, _ = apply(two, tmp_path)
        assert len(spans) == 0 and str(tmp_path / "a1.csv") in spans.attrs["skipped_corrections"]

    def test_skipped_file_is_heard_by_whoever_listens_for_drift(self, two, tmp_path):
        """Code that collects drift warnings (the command line's error list) hears of a skipped file."""
        (tmp_path / "a1.csv").write_text("action,start\nadd,0\n", encoding="utf-8")
        with pytest.warns(AnnotationDrift, match=r"a1\.csv: row 1: header lacks columns"):
            apply(two, tmp_path)

    def test_missing_folder_is_named(self, two, tmp_path):
        with pytest.warns(CorrectionSkipped, match=r"nowhere: no such folder of corrections"):
            spans, drifted = apply(two, tmp_path / "nowhere")
        assert len(spans) == 0 and len(drifted) == 0


class TestEncodings:
    @pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1256"])
    def test_correction_file_in_each_encoding(self, two, tmp_path, encoding):
        content = f"# تصحيح يدوي\n{COLUMNS}\n{add_row(A1, 'تركيا', 'turkey')}\n{add_row(A1, 'قطر', 'qatar')}\n"
        (tmp_path / "a1.csv").write_bytes(content.encode(encoding))
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            spans, drifted = apply(two, tmp_path)
        assert spans[["surface", "canonical_id"]].values.tolist() == [["تركيا", "turkey"], ["قطر", "qatar"]]
        assert len(drifted) == 0


class TestRowsAndOffsets:
    def test_row_is_the_file_line(self, two, tmp_path):
        s = A1.index("تركيا")
        (tmp_path / "a1.csv").write_text(
            f"# corrections for a1\n# action: add | correct | reject\n{COLUMNS}\n"
            f"{add_row(A1, 'قطر', 'qatar')}\n\n# moved by one\nadd,{s + 1},{s + 6},تركيا,entity,NAM,turkey\n",
            encoding="utf-8")
        with pytest.warns(AnnotationDrift, match=rf"a1\.csv: row 7: offsets {s + 1}-{s + 6} no longer slice to "
                                                 rf"'تركيا' \(found at {s}-{s + 5}\); row not applied"):
            spans, drifted = apply(two, tmp_path)
        assert list(drifted["row"]) == [7]
        assert list(spans["surface"]) == ["قطر"]

    def test_impossible_offsets_are_rejected_and_named(self, two, tmp_path):
        rows = ["add,-3,2,عن,entity,,", "add,8,8,,entity,,", "add,12,10,تر,entity,,",
                f"add,10,{len(A1) + 5},تركيا,entity,,", "add,1.5,4,نوا,entity,,", "add,,4,عنوا,entity,,",
                add_row(A1, "تركيا", "turkey")]
        (tmp_path / "a1.csv").write_text(COLUMNS + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            spans, drifted = apply(two, tmp_path)
        problems = ["start -3 is negative", "end 8 is not after start 8", "end 10 is not after start 12",
                    f"end {len(A1) + 5} is beyond the text ({len(A1)} characters)",
                    "start '1.5' is not an integer offset", "start '' is not an integer offset"]
        assert list(drifted["row"]) == [2, 3, 4, 5, 6, 7]
        assert list(drifted["problem"]) == problems
        messages = [str(w.message) for w in caught if w.category is AnnotationDrift]
        assert [m.split(": ", 2)[1] for m in messages] == [f"row {r}" for r in range(2, 8)]
        assert all(m.startswith(str(tmp_path / "a1.csv")) and m.endswith("row not applied") for m in messages)
        assert list(spans["surface"]) == ["تركيا"]  # only the good row is applied

    def test_spreadsheet_export_with_empty_trailing_columns(self, two, tmp_path):
        (tmp_path / "a1.csv").write_bytes(
            f"\ufeff{COLUMNS},,\r\n{add_row(A1, 'قطر', 'qatar')},,\r\n".encode("utf-8"))
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            spans, drifted = apply(two, tmp_path)
        assert spans[["surface", "canonical_id"]].values.tolist() == [["قطر", "qatar"]]
