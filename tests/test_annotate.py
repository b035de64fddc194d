"""Annotation layers on literal Arabic and on the seed articles, manual corrections, exports, CLI."""

import shutil
import subprocess
import sys

import pandas as pd
import pytest

import akhbar
from akhbar.io.export import to_brat
from akhbar.pipeline.corrections import AnnotationDrift
from akhbar.pipeline.engine import annotate_text
from akhbar.views.highlight import highlight_html

NEW, OLD = "000_36100a86710d4ed9", "004_89c82ba38a398626"


def spans_of(text, published="2020-07-21", layer=None):
    rows = annotate_text("t", text, pd.Timestamp(published))
    df = pd.DataFrame(rows)
    return df[df["layer"] == layer] if layer else df


@pytest.fixture(scope="module")
def spans(articles):
    return akhbar.annotate(articles)


class TestEntities:
    def test_offsets_slice_back(self, articles, spans):
        texts = articles.set_index("article_id")["text"]
        assert len(spans) > 400
        for aid, s, e, surf in spans[["article_id", "start", "end", "surface"]].itertuples(index=False):
            assert texts[aid][s:e] == surf

    def test_clitics_only_on_known_names(self):
        e = spans_of("زار وتركيا بتركيا لتركيا وتر وللقيادة العامة لليبيا", layer="entity")
        assert list(e["surface"]) == ["وتركيا", "بتركيا", "لتركيا", "وللقيادة العامة", "لليبيا"]
        assert list(e["canonical_id"]) == ["turkey"] * 3 + ["lna", "libya"]

    def test_longest_match_and_bare_haftar(self):
        e = spans_of("التقى صدام حفتر ثم خليفة حفتر ثم حفتر وبلقاسم حفتر", layer="entity")
        assert list(e["canonical_id"]) == ["saddam_haftar", "khalifa_haftar", "khalifa_haftar", "belqasem_haftar"]
        assert list(e["surface"]) == ["صدام حفتر", "خليفة حفتر", "حفتر", "وبلقاسم حفتر"]

    def test_al_saud_matches_after_alef_folding(self):
        e = spans_of("دول كالإمارات ومملكة آل سعود", layer="entity")
        assert list(e["surface"]) == ["كالإمارات", "ومملكة آل سعود"]
        assert list(e["canonical_id"]) == ["uae", "saudi_arabia"]

    def test_detached_particle_left_out(self):
        e = spans_of("استقبال رسمي لـ نجل حفتر في تركيا وعلاقات تركيا بـ حفتر", layer="entity")
        assert list(e["surface"]) == ["حفتر", "تركيا", "تركيا", "حفتر"]

    @pytest.mark.parametrize("sentence, surface, expected", [
        ("التي تسعى أنقرة إلى تكريسها", "أنقرة", "turkey"),
        ("العلاقة بين أنقرة والقيادة العامة", "أنقرة", "turkey"),
        ("تدعمه أبوظبي والرياض", "والرياض", "saudi_arabia"),
        ("مواجهة عسكرية مباشرة مع القاهرة", "القاهرة", "egypt"),
        ("أجرى زيارة رسمية إلى أنقرة", "أنقرة", "ankara"),
        ("بمقر وزارة الدفاع في أنقرة", "أنقرة", "ankara"),
        ("بعد زيارة أكار للدوحة", "للدوحة", "doha"),
        ("كما زار شقيقه بلقاسم حفتر أنقرة العام الماضي", "أنقرة", "ankara"),
        ("الحكومة المعترف بها ومقرها طرابلس", "طرابلس", "tripoli"),
        ("المسؤولين يتحركون بين أنقرة والدوحة", "والدوحة", "doha"),
    ])
    def test_capital_acting_or_venue(self, sentence, surface, expected):
        e = spans_of(sentence, layer="entity")
        row = e[e["surface"] == surface].iloc[0]
        assert row["canonical_id"] == expected

    def test_seed_actor_counts(self, spans):
        c = akhbar.actor_counts(spans)
        expected = {  # read and counted by hand on the seed texts (codebook counting rule)
            "turkey": (11, 6), "qatar": (0, 13), "libya": (6, 20), "gna": (1, 16),
            "khalifa_haftar": (6, 7), "saddam_haftar": (5, 0), "belqasem_haftar": (1, 0),
            "egypt": (0, 4), "uae": (0, 3), "saudi_arabia": (0, 3), "lna": (5, 1),
            "hulusi_akar": (0, 5), "khalid_al_attiyah": (0, 3), "tebboune": (0, 2), "qna": (0, 1),
        }
        got = {k: (int(c.loc[k, NEW]) if k in c.index else 0, int(c.loc[k, OLD]) if k in c.index else 0)
               for k in expected}
        assert got == expected

    def test_boilerplate_and_byline_not_counted(self, spans):
        ent = spans[spans["layer"] == "entity"]
        assert not ent[ent["zone"].isin(["boilerplate", "byline"])]["counts"].any()
        assert "gaza_strip" not in akhbar.actor_counts(spans).index


class TestDatedForms:
    @pytest.mark.parametrize("published, actor", [("2020-07-21", "gna"), ("2021-03-14", "gna"),
                                                   ("2021-03-15", "gnu"), ("2025-04-04", "gnu")])
    def test_the_tripoli_government_by_publication_day(self, published, actor):
        s = spans_of("انتقدت حكومة طرابلس الزيارة، وقالت الحكومة الشرعية إنها ترفضها.", published)
        named = s[s["surface"].isin(["حكومة طرابلس", "الحكومة الشرعية"])]
        assert set(named["canonical_id"]) == {actor}
        assert list(named["layer"]) == ["entity", "framing", "entity", "framing"]

    def test_an_article_without_a_date_takes_no_dated_row(self):
        # «حكومة طرابلس» was three governments in turn: no date, no government
        rows = pd.DataFrame(akhbar.annotate_text("t", "حكومة طرابلس", None, "", ("entity",)))
        assert not set(rows["canonical_id"]) & {"gna", "gnu", "national_salvation_government"}

    def test_a_bad_date_names_file_and_row(self, tmp_path):
        bad = tmp_path / "actors.csv"
        bad.write_text("canonical_id,type,form,kind,resolves_to,name_en,from,until\n"
                       "gna,organization,حكومة طرابلس,name,,GNA,,15/03/2021\n", encoding="utf-8")
        with pytest.raises(ValueError, match=r"actors.csv: row 1 .*until must be a date"):
            akhbar.load_actors(bad)


class TestFraming:
    def test_haftar_titles(self, spans):
        t = spans[(spans["layer"] == "framing") & (spans["label"] == "TITLE")
                  & (spans["canonical_id"] == "khalifa_haftar")]
        assert sorted(zip(t["article_id"], t["surface"], t["polarity"])) == [
            (NEW, "المشير", "+"), (NEW, "المشير", "+"), (OLD, "اللواء المتقاعد", "-")]

    def test_legitimacy_of_gna_and_voice(self, spans):
        f = spans[(spans["layer"] == "framing") & (spans["article_id"] == OLD)]
        sharia = f[f["surface"] == "للحكومة الشرعية"].iloc[0]
        assert (sharia["label"], sharia["polarity"], sharia["canonical_id"]) == ("LEGITIMACY", "+", "gna")
        assert sharia["voice"] == "hulusi_akar"
        occupation = spans[(spans["layer"] == "framing") & (spans["surface"] == "الاحتلال")].iloc[0]
        assert (occupation["label"], occupation["canonical_id"]) == ("OCCUPATION_LIBERATION", "turkey")


class TestDates:
    @pytest.mark.parametrize("text, published, value", [
        ("في 20 يوليو 2020", "2020-07-21", "2020-07-20"),
        ("في 4 يوليو الجاري", "2020-07-21", "2020-07-04"),
        ("وفي 18 يونيو الماضي", "2020-07-21", "2020-06-18"),
        ("في أكتوبر الماضي", "2025-04-04", "2024-10"),
        ("زار أنقرة العام الماضي", "2025-04-04", "2024"),
        ("قال هذا الأسبوع", "2020-07-21", "2020-W30"),
        ("في 20 تموز 2020", "2020-07-21", "2020-07-20"),
        ("في ٢٠ يوليو ٢٠٢٠", "2020-07-21", "2020-07-20"),
        ("منذ نحو شهرين", "2020-07-21", "P2M"),
        ("بعد سنوات من القطيعة", "2025-04-04", "PXY"),
    ])
    def test_resolution(self, text, published, value):
        d = spans_of(text, published, layer="date")
        assert list(d["value"]) == [value]

    def test_unresolvable_kept(self):
        rows = annotate_text("t", "في 4 يوليو الجاري", None)
        d = [r for r in rows if r["layer"] == "date"]
        assert d[0]["surface"] == "في 4 يوليو الجاري" and d[0]["value"] == ""

    def test_seed_dates(self, spans):
        d = spans[(spans["layer"] == "date") & (spans["label"] == "DATE")]
        # «مؤخراً» (recently) twice is a vague past; «مستقبلاً» a vague future
        assert sorted(d[d["article_id"] == OLD]["value"]) == [
            "2020-06-18", "2020-06-23", "2020-07-04", "2020-07-08", "2020-07-19", "2020-07-20",
            "2020-07-20", "2020-W30", "PAST_REF", "PAST_REF"]
        assert set(d[d["article_id"] == NEW]["value"]) == {"2024-10", "2024", "2020", "PAST_REF", "FUTURE_REF"}


class TestQuotes:
    def test_seed_speakers(self, spans):
        q = spans[spans["layer"] == "quote"]
        counts = q[q["article_id"] == OLD]["canonical_id"].value_counts()
        assert counts["majed_al_ansari"] == 6 and counts["qatar"] == 3 and counts["tebboune"] == 3
        akar = q[(q["canonical_id"] == "hulusi_akar") & (q["label"] == "direct")].iloc[0]
        assert akar["verb"] == "قائلاً" and akar["via"] == "anadolu"
        khater = q[q["canonical_id"] == "lolwah_al_khater"].iloc[0]
        assert khater["via"] == "al_jazeera"
        new = q[q["article_id"] == NEW]
        assert list(new["canonical_id"]) == ["unnamed_observers", "saddam_haftar", "saddam_haftar",
                                             "khalifa_haftar", "unnamed_reports", "unnamed_observers"]

    def test_mode(self):
        q = spans_of('وقال تبون إن بلاده تدعم الحل. وتابع: "لا نؤيد أي قرار منفرد".', layer="quote")
        assert list(q["label"]) == ["indirect", "direct"]
        assert list(q["canonical_id"]) == ["tebboune", "tebboune"]


UNRESOLVED = pytest.mark.xfail(reason="the members are named paragraphs before the group word: "
                                       "not yet resolved", strict=False)
# Every «البلدين»/«الجانبين» of the seeds with its members, as a reader resolves them: in the 2025
# article the two sides are always Haftar's command (LNA) and Turkey; in the 2020 one Qatar and
# Turkey, except Egypt and Libya («للبلدين» after Sisi's remarks) and Sisi and Trump («الرئيسين»).
SEED_GROUPS = [
    (NEW, 463, "الجانبين", "lna|turkey"),
    pytest.param(NEW, 606, "الطرفين", "lna|turkey", marks=UNRESOLVED),  # closed session, Saddam Haftar and the Turkish chief
    pytest.param(NEW, 1265, "الجانبين", "lna|turkey", marks=UNRESOLVED),  # Belqasem Haftar's contract with a Turkish firm
    pytest.param(NEW, 2467, "الجانبين", "lna|turkey", marks=UNRESOLVED),  # Saddam Haftar's visit to Ankara
    (OLD, 414, "البلدان", "qatar|turkey"),
    (OLD, 467, "البلدين", "qatar|turkey"),
    (OLD, 548, "الطرفين", "qatar|turkey"),
    pytest.param(OLD, 1407, "البلدين", "qatar|turkey", marks=UNRESOLVED),  # Akar on the partnership, after Doha
    (OLD, 1735, "البلدين", "qatar|turkey"),
    (OLD, 3053, "كلتا الدولتين", "qatar|turkey"),
    (OLD, 3296, "الدولتين", "qatar|turkey"),
    (OLD, 5744, "للبلدين", "egypt|libya"),
    (OLD, 6031, "الرئيسين", "sisi|trump"),
]


class TestGroups:
    def test_seed_group_words_are_found(self, spans):
        g = spans[spans["layer"] == "group"]
        found = list(zip(g["article_id"], g["start"], g["surface"]))
        assert found == [p.values[:3] if hasattr(p, "values") else p[:3] for p in SEED_GROUPS]
        assert set(g["type"]) == {"group"} and set(g["label"]) == {"state", "party", "person"}

    @pytest.mark.parametrize("article, start, surface, members", SEED_GROUPS)
    def test_seed_group_members_as_a_reader_resolves_them(self, spans, article, start, surface, members):
        g = spans[(spans["layer"] == "group") & (spans["article_id"] == article) & (spans["start"] == start)]
        assert g["surface"].tolist() == [surface]
        assert g["canonical_id"].iloc[0] == members

    def test_a_pair_named_side_by_side(self):
        g = spans_of("التقى أردوغان وتميم بن حمد في الدوحة. وقال الزعيمان إن التعاون مستمر.", layer="group")
        assert list(zip(g["surface"], g["label"], g["canonical_id"])) == [("الزعيمان", "person", "erdogan|tamim_bin_hamad")]

    def test_an_adjective_before_a_name_is_not_a_pair(self):
        g = spans_of("التقى وزير الدفاع التركي يشار غولر بالوفد. وبحث الجانبان التعاون.", layer="group")
        assert list(g["canonical_id"]) == [""]
        assert list(g["note"]) == ["members not found"]

    def test_one_state_is_not_a_pair(self):
        g = spans_of("تدعم مصر الحل السياسي. وقال مسؤول إن البلدين متفقان.", layer="group")
        assert list(g["canonical_id"]) == [""]


class TestManual:
    def test_correction_applied(self, articles, tmp_path):
        shutil.copy("annotations/004_89c82ba38a398626.csv", tmp_path)
        s = akhbar.annotate(articles, tmp_path)
        manual = s[s["source"] == "manual"]
        assert len(manual) == 2
        assert manual[manual["layer"] == "quote"].iloc[0]["canonical_id"] == "egypt"
        assert s.attrs["drifted"] == []
        assert (tmp_path / "004_89c82ba38a398626.csv").read_text(encoding="utf-8") == \
            open("annotations/004_89c82ba38a398626.csv", encoding="utf-8").read()

    def test_reject_removes(self, articles, tmp_path):
        (tmp_path / f"{NEW}.csv").write_text(
            "action,start,end,surface,layer,label\nreject,15,19,حفتر,entity,\n", encoding="utf-8")
        s = akhbar.annotate(articles, tmp_path)
        assert akhbar.actor_counts(s).loc["khalifa_haftar", NEW] == 5

    def test_drift_reported_not_dropped(self, articles, tmp_path):
        (tmp_path / f"{NEW}.csv").write_text(
            "action,start,end,surface,layer,label,canonical_id\nadd,16,20,حفتر,entity,NAM,khalifa_haftar\n",
            encoding="utf-8")
        with pytest.warns(AnnotationDrift, match=r"row 2: offsets 16-20 no longer slice to 'حفتر' \(found at 15-19\)"):
            s = akhbar.annotate(articles, tmp_path)
        assert [r["surface"] for r in s.attrs["drifted"]] == ["حفتر"]
        assert s.astype(str).shape == s.shape  # attrs of plain records: pandas operations still work
        assert (s["source"] == "manual").sum() == 0

    def test_bad_action_names_file(self, articles, tmp_path):
        (tmp_path / f"{NEW}.csv").write_text("action,start,end,surface,layer\nmaybe,0,1,x,entity\n", encoding="utf-8")
        from akhbar.pipeline.corrections import CorrectionSkipped  # a bad file is skipped, no longer fatal

        with pytest.warns(CorrectionSkipped, match=f"{NEW}.csv: row 2"):
            s = akhbar.annotate(articles, tmp_path)
        assert list(s.attrs["skipped_corrections"]) == [str(tmp_path / f"{NEW}.csv")]


class TestOutputs:
    def test_script_article_is_escaped(self):
        text = "عنوان\nقال أردوغان <script>alert(1)</script> و<img src=x onerror=alert(2)> في أنقرة"
        rows = pd.DataFrame(annotate_text("x", text, None))
        html = highlight_html(text, rows)
        assert "<script>" not in html and "<img" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert html.count("<mark") == html.count("</mark>")

    def test_brat(self, articles, spans, tmp_path):
        paths = to_brat(articles, spans, tmp_path)
        text = (tmp_path / f"{OLD}.txt").read_text(encoding="utf-8")
        ann = (tmp_path / f"{OLD}.ann").read_text(encoding="utf-8").splitlines()
        t_lines = [line for line in ann if line.startswith("T")]
        assert len(paths) == 2 and len(t_lines) == (spans["article_id"] == OLD).sum()
        for line in t_lines:
            _tid, type_offsets, surface = line.split("\t")
            frags = [tuple(map(int, f.split())) for f in type_offsets.split(" ", 1)[1].split(";")]
            assert " ".join(text[s:e] for s, e in frags) == surface

    def test_candidates_find_unknown_actor(self, articles):
        extra = pd.DataFrame([{"article_id": "x", "text": "قال رئيس المجلس سالم الورفلي إن الوضع مستقر. "
                                                          "وأضاف سالم الورفلي أن الحوار مستمر.",
                               "published": None, "source": ""}])
        both = pd.concat([articles, extra], ignore_index=True)
        spans = akhbar.annotate(both)
        c = akhbar.new_actors(spans, both).set_index("name")
        assert c.loc["سالم الورفلي", "mentions"] == 2
        assert c.loc["سالم الورفلي", "cue"] == "after «رئيس»"
        assert c.loc["سالم الورفلي", "kwic"] == ["قال رئيس المجلس [سالم الورفلي] إن الوضع مستقر. وأضاف سالم الورفلي",
                                                  "سالم الورفلي إن الوضع مستقر. وأضاف [سالم الورفلي] أن الحوار مستمر."]
        # the seed articles' known actors are not proposed again
        assert not set(c.index) & {"خليفة حفتر", "حفتر", "أردوغان"}

    def test_cli_skips_bad_file(self, seeds_dir, tmp_path):
        for f in seeds_dir.glob("*.*"):
            shutil.copy(f, tmp_path)
        (tmp_path / "broken.txt").write_bytes(b"\x00\x01\x02")
        out = tmp_path / "out" / "spans.parquet"
        res = subprocess.run([sys.executable, "-m", "akhbar", "annotate", str(tmp_path), "--out", str(out),
                              "--quiet"], capture_output=True, text=True, timeout=120)
        assert res.returncode == 0, res.stderr
        assert "broken.txt: binary file" in res.stderr
        assert "annotated 2 articles" in res.stdout
        got = pd.read_parquet(out)
        assert set(got["article_id"]) == {NEW, OLD}
        assert got["counts"].astype(str).isin(["True", "False"]).all()


def test_cli_merges_corrections_and_reports_drift(seeds_dir, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    shutil.copy("annotations/004_89c82ba38a398626.csv", notes)
    (notes / f"{NEW}.csv").write_text(
        "action,start,end,surface,layer,label\nreject,16,20,حفتر,entity,\n", encoding="utf-8")
    out = tmp_path / "spans.csv"
    res = subprocess.run([sys.executable, "-m", "akhbar", "annotate", str(seeds_dir), "--out", str(out),
                          "--annotations", str(notes), "--quiet"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert f"{NEW}.csv: row 2: offsets 16-20 no longer slice to 'حفتر' (found at 15-19)" in res.stderr
    got = pd.read_csv(out)
    assert (got["source"] == "manual").sum() == 2
    assert got[(got["source"] == "manual") & (got["layer"] == "quote")]["canonical_id"].tolist() == ["egypt"]


def test_cli_workers_give_the_same_file(seeds_dir, tmp_path):
    for f in seeds_dir.glob("*.*"):
        shutil.copy(f, tmp_path)
    (tmp_path / "broken.txt").write_bytes(b"\x00\x01\x02")
    outs = {}
    for workers in ("1", "2"):
        out = tmp_path / f"spans_{workers}.csv"
        res = subprocess.run([sys.executable, "-m", "akhbar", "annotate", str(tmp_path), "--out", str(out),
                              "--batch", "1", "--workers", workers, "--quiet"],
                             capture_output=True, text=True, timeout=120)
        assert res.returncode == 0, res.stderr
        assert "broken.txt: binary file" in res.stderr
        outs[workers] = out.read_bytes(), out.with_name(f"spans_{workers}.themes.csv").read_bytes()
    assert outs["1"] == outs["2"]  # the spans and the paragraph themes beside them
    assert len(pd.read_csv(tmp_path / "spans_2.themes.csv")) > 20
    assert pd.read_csv(tmp_path / "spans_2.csv")["article_id"].unique().tolist() == [NEW, OLD]
    res = subprocess.run([sys.executable, "-m", "akhbar", "annotate", str(tmp_path), "--out",
                          str(tmp_path / "x.csv"), "--workers", "0"], capture_output=True, text=True, timeout=60)
    assert res.returncode == 2 and "--workers must be at least 1, got 0" in res.stderr
