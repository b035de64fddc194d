"""Round trips with INCEpTION (CAS XMI) and brat: export the seeds, edit them as a researcher
would in the tool, import, and check that the corrected spans changed exactly as intended."""

import re
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

import akhbar
from akhbar.io.brat import from_brat, read_ann, to_brat
from akhbar.io.edits import UnsupportedEdit
from akhbar.io.inception import TYPE_PREFIX, from_inception, to_inception

ROOT = Path(__file__).resolve().parents[1]
NEW, OLD = "000_36100a86710d4ed9", "004_89c82ba38a398626"
KEY = ["article_id", "layer", "start", "end", "label", "canonical_id", "type"]


@pytest.fixture(scope="module")
def merged(articles):
    """The seeds' spans with the repository's corrections, as a researcher exports them."""
    return akhbar.annotate(articles, annotations_dir=ROOT / "annotations")


@pytest.fixture()
def ann_dir(tmp_path):
    """A copy of the repository's corrections: the researcher's own rows."""
    shutil.copytree(ROOT / "annotations", tmp_path / "annotations")
    return tmp_path / "annotations"


def edits(articles):
    """The three edits, with offsets found in the text: in NEW, the title's bare «حفتر» is
    Saddam (the article is about his visit) and «رئيس أركان القوات البرية التركية» is a NOM
    mention of Selçuk Bayraktaroğlu; in OLD, «في 20 يوليو 2020» is not wanted."""
    new = articles.set_index("article_id").loc[NEW, "text"]
    old = articles.set_index("article_id").loc[OLD, "text"]
    nom = "رئيس أركان القوات البرية التركية"
    add_start = new.index(nom)
    date_start = old.index("في 20 يوليو 2020")
    assert new[15:19] == "حفتر" and add_start == 240
    return {"change": (NEW, "entity", 15, 19), "add": (NEW, "entity", add_start, add_start + len(nom)),
            "gone": (OLD, "date", date_start, date_start + len("في 20 يوليو 2020"))}


def spans_key(spans):
    return {tuple(map(str, r)) for r in zip(*(spans[c] for c in KEY))}


def check_result(articles, merged, ann_dir, added):
    """The corrected spans differ from the export in exactly the three edits."""
    e = edits(articles)
    assert sorted(added["action"]) == ["add", "correct", "reject"]
    after = akhbar.annotate(articles, annotations_dir=ann_dir)
    assert not after.attrs["drifted"]
    gone, new = spans_key(merged) - spans_key(after), spans_key(after) - spans_key(merged)
    aid, layer, s, end = e["change"]
    assert gone == {(aid, layer, str(s), str(end), "NAM", "khalifa_haftar", "person"),
                    tuple(map(str, e["gone"][:4])) + ("DATE", "", "")}
    assert new == {(aid, layer, str(s), str(end), "NAM", "saddam_haftar", "person"),
                   tuple(map(str, e["add"][:4])) + ("NOM", "selcuk_bayraktaroglu", "person")}
    assert len(after) == len(merged)  # one added, one gone; everything else as it was
    row = after[(after["article_id"] == NEW) & (after["start"] == e["add"][2])
                & (after["layer"] == "entity")].iloc[0]
    assert row["source"] == "manual" and row["zone"] == "body" and row["paragraph"] == 1


def check_files(ann_dir, before: bytes, added):
    """The researcher's rows are kept byte for byte, the new ones follow a comment line."""
    old_file = ann_dir / f"{OLD}.csv"
    assert old_file.read_bytes().startswith(before)
    tail = old_file.read_bytes()[len(before):].decode("utf-8")
    assert tail.startswith("# 1 rows from ") and tail.endswith("\r\n")  # the file's own line ends
    assert "reject,1203,1219,في 20 يوليو 2020,date,,,," in tail
    new_file = (ann_dir / f"{NEW}.csv").read_text(encoding="utf-8")
    assert "action,start,end,surface,layer,label,canonical_id,type,note" in new_file
    assert "correct,15,19,حفتر,entity,NAM,saddam_haftar,person," in new_file
    assert "add,240,272,رئيس أركان القوات البرية التركية,entity,NOM,selcuk_bayraktaroglu,person," in new_file
    assert set(added["file"]) == {str(old_file), str(ann_dir / f"{NEW}.csv")}


def edit_xmi(folder: Path, articles):
    """Edit the exported CAS as an INCEpTION user would: change an id, add a span, delete one."""
    from cassis import load_cas_from_xmi, load_typesystem

    e = edits(articles)
    ts = load_typesystem((folder / "TypeSystem.xml").read_bytes().decode("utf-8"))
    for aid in (NEW, OLD):
        path = folder / f"{aid}.xmi"
        with path.open("rb") as f:
            cas = load_cas_from_xmi(f, typesystem=ts)
        if aid == NEW:
            title = next(a for a in cas.select(TYPE_PREFIX + "Entity") if (a.begin, a.end) == e["change"][2:])
            title.actor = "saddam_haftar"
            entity = ts.get_type(TYPE_PREFIX + "Entity")
            cas.add(entity(begin=e["add"][2], end=e["add"][3], mention="NOM", actor="selcuk_bayraktaroglu",
                           actorType="person"))
        else:
            date = next(a for a in cas.select(TYPE_PREFIX + "Date") if (a.begin, a.end) == e["gone"][2:])
            cas.remove(date)
        cas.to_xmi(path)


class TestInception:
    def test_edits_come_back_as_correction_rows(self, articles, merged, ann_dir, tmp_path):
        before = (ann_dir / f"{OLD}.csv").read_bytes()
        xmi = tmp_path / "xmi"
        paths = to_inception(articles, merged, xmi)
        assert [p.name for p in paths] == [f"{NEW}.xmi", f"{OLD}.xmi"] and (xmi / "TypeSystem.xml").exists()
        edit_xmi(xmi, articles)
        added = from_inception(xmi, articles, ann_dir)
        assert len(added) == 3
        check_files(ann_dir, before, added)
        check_result(articles, merged, ann_dir, added)
        # importing the same files again adds nothing
        files = {p: p.read_bytes() for p in ann_dir.iterdir()}
        assert from_inception(xmi, articles, ann_dir).empty
        assert {p: p.read_bytes() for p in ann_dir.iterdir()} == files

    def test_unedited_export_adds_nothing(self, articles, merged, ann_dir, tmp_path):
        before = {p.name: p.read_bytes() for p in ann_dir.iterdir()}
        for spans in (merged, akhbar.annotate(articles)):  # with and without the corrections
            to_inception(articles, spans, tmp_path / "xmi")
            assert from_inception(tmp_path / "xmi", articles, ann_dir).empty
        assert {p.name: p.read_bytes() for p in ann_dir.iterdir()} == before

    def test_zip_export_is_read(self, articles, merged, ann_dir, tmp_path):
        import zipfile

        edit_dir = tmp_path / "xmi"
        to_inception(articles, merged, edit_dir)
        edit_xmi(edit_dir, articles)
        with zipfile.ZipFile(tmp_path / "export.zip", "w") as z:  # as INCEpTION names its exports
            for aid in (NEW, OLD):
                z.write(edit_dir / f"{aid}.xmi", f"annotation/{aid}.txt/{aid}.xmi")
            z.write(edit_dir / "TypeSystem.xml", "TypeSystem.xml")
        added = from_inception(tmp_path / "export.zip", articles, ann_dir)
        check_result(articles, merged, ann_dir, added)

    def test_offsets_are_utf16_in_the_file_and_python_in_akhbar(self, tmp_path):
        text = "عنوان 🇹🇷\nقال أردوغان 😀 إن تركيا 𝟚𝟘𝟚𝟘 تدعم طرابلس 🙂"
        arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["emoji"], "text": [text]}))
        spans = akhbar.annotate(arts)
        tripoli = spans[(spans["layer"] == "entity") & (spans["literal_id"] == "tripoli")].iloc[0]
        assert text[tripoli["start"]:tripoli["end"]] == "طرابلس"
        to_inception(arts, spans, tmp_path / "xmi")
        xml = (tmp_path / "xmi" / "emoji.xmi").read_text(encoding="utf-8")
        # two flag letters, one emoji and four mathematical digits lie before it: 7 astral characters
        begins = re.findall(r'<custom:AkhbarEntity [^>]*begin="(\d+)" end="(\d+)"[^>]*actor="libya"', xml)
        assert begins == [(str(tripoli["start"] + 7), str(tripoli["end"] + 7))]
        assert len(text.encode("utf-16-le")) // 2 == len(text) + 8  # the last astral one is after it
        lines = re.findall(r'<type:Sentence [^>]*begin="(\d+)" end="(\d+)"', xml)
        assert lines[-1] == (str(text.index("\n") + 1 + 2), str(len(text) + 8))  # after the flag, to after 🙂
        ann = tmp_path / "ann"
        ann.mkdir()
        assert from_inception(tmp_path / "xmi", arts, ann).empty  # read back: the same offsets

    def test_polarity_edit_is_reported_not_imported(self, articles, merged, ann_dir, tmp_path):
        from cassis import load_cas_from_xmi, load_typesystem

        xmi = tmp_path / "xmi"
        to_inception(articles, merged, xmi)
        ts = load_typesystem((xmi / "TypeSystem.xml").read_bytes().decode("utf-8"))
        with (xmi / f"{NEW}.xmi").open("rb") as f:
            cas = load_cas_from_xmi(f, typesystem=ts)
        cue = next(a for a in cas.select(TYPE_PREFIX + "Framing") if a.begin == 0)
        assert (cue.code, cue.polarity) == ("RAPPROCHEMENT_DEESCALATION", "+")
        cue.polarity = "-"
        cas.to_xmi(xmi / f"{NEW}.xmi")
        with pytest.warns(UnsupportedEdit, match=r"framing «تقارب» \(0-5\): polarity '\+' -> '-' is not imported"):
            assert from_inception(xmi, articles, ann_dir).empty

    def test_a_text_that_differs_is_refused(self, articles, merged, ann_dir, tmp_path):
        xmi = tmp_path / "xmi"
        changed = articles.assign(text=articles["text"].str.replace("حفتر", "حفتـر", n=1, regex=False))
        to_inception(changed, merged, xmi)
        with pytest.raises(ValueError, match=rf"{NEW}.xmi: its text differs from article {NEW}'s"):
            from_inception(xmi / f"{NEW}.xmi", articles, ann_dir)
        assert sorted(p.name for p in ann_dir.iterdir()) == [f"{OLD}.csv"]

    def test_an_article_in_two_files_is_refused(self, articles, merged, ann_dir, tmp_path):
        to_inception(articles, merged, tmp_path / "a")
        to_inception(articles, merged, tmp_path / "b")
        with pytest.raises(ValueError, match=f"article {NEW} is also in"):
            from_inception([tmp_path / "a", tmp_path / "b"], articles, ann_dir)


def edit_ann(folder: Path, articles):
    """Edit the brat files as a brat user would: change a normalization, add a span with its
    attribute and id, delete a span with its notes."""
    e = edits(articles)
    new = folder / f"{NEW}.ann"
    lines = new.read_text(encoding="utf-8").splitlines()
    tid = next(line.split("\t")[0] for line in lines if line.split("\t")[1] == "Person 15 19")
    lines = [line.replace(f"Reference {tid} akhbar:khalifa_haftar", f"Reference {tid} akhbar:saddam_haftar")
             for line in lines]
    s, end = e["add"][2:]
    lines += [f"T9999\tPerson {s} {end}\tرئيس أركان القوات البرية التركية", "A9999\tMention T9999 NOM",
              "N9999\tReference T9999 akhbar:selcuk_bayraktaroglu\tSelçuk Bayraktaroğlu"]
    new.write_text("\n".join(lines) + "\n", encoding="utf-8")
    old = folder / f"{OLD}.ann"
    lines = old.read_text(encoding="utf-8").splitlines()
    s, end = e["gone"][2:]
    tid = next(line.split("\t")[0] for line in lines if line.split("\t")[1] == f"Time_DATE {s} {end}")
    lines = [line for line in lines if line.split("\t")[0] != tid and not line.split("\t")[1].endswith(f" {tid}")]
    old.write_text("\n".join(lines) + "\n", encoding="utf-8")


class TestBrat:
    def test_edits_come_back_as_correction_rows(self, articles, merged, ann_dir, tmp_path):
        before = (ann_dir / f"{OLD}.csv").read_bytes()
        brat = tmp_path / "brat"
        to_brat(articles, merged, brat)
        edit_ann(brat, articles)
        added = from_brat(brat, articles, ann_dir)
        assert len(added) == 3
        check_files(ann_dir, before, added)
        check_result(articles, merged, ann_dir, added)
        files = {p: p.read_bytes() for p in ann_dir.iterdir()}
        assert from_brat(brat, articles, ann_dir).empty
        assert {p: p.read_bytes() for p in ann_dir.iterdir()} == files

    def test_unedited_export_adds_nothing(self, articles, merged, ann_dir, tmp_path):
        before = {p.name: p.read_bytes() for p in ann_dir.iterdir()}
        for spans in (merged, akhbar.annotate(articles)):
            to_brat(articles, spans, tmp_path / "brat")
            assert from_brat(tmp_path / "brat", articles, ann_dir).empty
        assert {p.name: p.read_bytes() for p in ann_dir.iterdir()} == before

    def test_attributes_normalizations_and_configuration(self, articles, merged, tmp_path):
        brat = tmp_path / "brat"
        to_brat(articles, merged, brat)
        lines = (brat / f"{NEW}.ann").read_text(encoding="utf-8").splitlines()
        assert lines[:4] == ["T1\tFrame_RAPPROCHEMENT_DEESCALATION 0 5\tتقارب", "A1\tPolarity T1 positive",
                             "N1\tReference T1 akhbar:khalifa_haftar|turkey\tkhalifa_haftar|turkey",
                             "#1\tAnnotatorNotes T1\tvoice=author; source=auto; note=rapprochement"]
        assert "A2\tMention T2 NAM" in lines
        conf = (brat / "annotation.conf").read_text(encoding="utf-8")
        assert "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>" in conf
        assert "Polarity\tArg:Frame_TITLE|Frame_LEGITIMACY|" in conf
        assert "Time_DURATION\n" in conf and "Group_party\n" in conf and "Armed_force\n" in conf
        # one colour per layer, the registry's, in brat as in the highlighter
        assert "Frame_LEGITIMACY\tbgColor:#ffe2b8" in (brat / "visual.conf").read_text(encoding="utf-8")
        assert "akhbar\tDB:akhbar, <URL>:akhbar.tsv" in (brat / "tools.conf").read_text(encoding="utf-8")
        norm = (brat / "akhbar.tsv").read_text(encoding="utf-8").splitlines()
        assert "turkey\tname:Arabic:تركيا\tname:English:Turkey" in norm
        # read back: the spans and their fields, polarity as the span table writes it
        text = articles.set_index("article_id").loc[NEW, "text"]
        back = read_ann(brat / f"{NEW}.ann", text)
        mine = merged[merged["article_id"] == NEW]
        assert len(back) == len(mine)
        cols = ["start", "end", "layer", "label", "canonical_id", "polarity"]
        assert [list(map(str, r)) for r in zip(*(back[c] for c in cols))] == \
            [list(map(str, r)) for r in zip(*(mine[c] for c in cols))]

    def test_a_file_with_no_span_is_skipped(self, articles, merged, ann_dir, tmp_path):
        brat = tmp_path / "brat"
        to_brat(articles, merged, brat)
        (brat / f"{NEW}.ann").write_text("", encoding="utf-8")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert from_brat(brat, articles, ann_dir).empty
        assert any(f"{NEW}.ann: no annotation in it; skipped" in str(w.message) for w in caught)
