"""Entity evaluation: the scoring rules on a small hand-made case, the issue's targets on
the unseen dev articles, state-name coverage on the dev archive, and the command line."""

import gzip
import json
import subprocess
import sys
import warnings

import pandas as pd
import pytest

import akhbar
from akhbar.analysis.evaluation import align_ids, read_gold_entities, score_entities, state_name_coverage

from conftest import ROOT, shared_path


@pytest.fixture()
def dev():
    """../shared/dev: the unseen articles and their hand-made gold (skips locally, fails in CI)."""
    shared_path("dev/gold/entities.csv", "the gold behind the README's accuracy figures")
    shared_path("dev/gold/framing.csv", "the gold behind the README's accuracy figures")
    return shared_path("dev/articles").parent

GOLD_HEADER = ("article,canonical_id,type,mention,char_start,char_end,resolves_to,mention_kind,metonymy,parent,"
               "count_as_actor_mention,paragraph,zone,note\n")


def span(start, end, cid, counts=True, label="NAM", typ="state", source="auto"):
    return {"article_id": "a", "start": start, "end": end, "surface": "", "layer": "entity", "label": label,
            "canonical_id": cid, "type": typ, "counts": counts, "source": source}


class TestScoring:
    """«قال وزير خارجية تركيا إن أنقرة وقطر ...»: gold has تركيا, أنقرة (as turkey) and قطر counted."""

    @pytest.fixture()
    def gold(self, tmp_path):
        path = tmp_path / "entities.csv"
        path.write_text(GOLD_HEADER
                        + "a.txt,turkey,state,تركيا,14,19,turkey,NAM,0,,1,1,body,\n"
                        + "a.txt,ankara,place,أنقرة,23,28,turkey,NAM,1,,1,1,body,R1\n"
                        + "a.txt,qatar,state,وقطر,29,33,qatar,NAM,0,,1,1,body,\n"
                        + "a.txt,cavusoglu,person,وزير خارجية تركيا,4,19,cavusoglu,NOM,0,,0,1,body,\n",
                        encoding="utf-8")
        return read_gold_entities(path)

    def test_naming_is_free_and_counts_are_right(self, gold):
        tool = pd.DataFrame([span(14, 19, "TR"), span(23, 28, "TR"), span(29, 33, "QA"),
                             span(40, 45, "XX")])  # a false alarm outside any gold span
        scores = score_entities(tool, gold)
        assert dict(zip(align_ids(tool, gold)["tool_id"], align_ids(tool, gold)["gold_id"])) == \
            {"QA": "qatar", "TR": "turkey"}
        assert (scores.precision, scores.recall) == (0.75, 1.0)
        assert round(scores.f1, 4) == round(2 * 0.75 / 1.75, 4)
        assert scores.false_alarms["start"].tolist() == [40]

    def test_a_wrong_actor_is_a_miss_and_a_false_alarm(self, gold):
        # قطر given Turkey's id: the id aligns with Turkey (two overlaps to one), so قطر is wrong
        tool = pd.DataFrame([span(14, 19, "T"), span(23, 28, "T"), span(29, 33, "T")])
        scores = score_entities(tool, gold)
        assert scores.recall == pytest.approx(2 / 3)
        assert scores.misses["mention"].tolist() == ["وقطر"]
        assert scores.false_alarms["start"].tolist() == [29]
        assert scores.false_alarms["gold_there"].tolist() == ["وقطر=qatar"]

    def test_uncounted_tool_spans_do_not_score(self, gold):
        tool = pd.DataFrame([span(14, 19, "turkey"), span(29, 33, "qatar", counts=False)])
        scores = score_entities(tool, gold)
        assert (scores.summary["tool_mentions"].iloc[0], scores.recall) == (1, pytest.approx(1 / 3))

    def test_missing_gold_column_names_the_file(self, tmp_path):
        bad = tmp_path / "gold.csv"
        bad.write_text("article,canonical_id\n", encoding="utf-8")
        with pytest.raises(ValueError, match="gold.csv: missing columns"):
            read_gold_entities(bad)


def test_dev_articles_meet_the_targets(dev):
    """The 12 unseen 2018 articles and their hand-made gold (../shared/dev)."""
    scores = akhbar.evaluate_folder(dev / "gold" / "entities.csv", dev / "articles")
    assert scores.recall >= 0.85
    assert scores.precision >= 0.95
    assert scores.f1 >= 0.90
    assert set(scores.by_article.index) == {p.stem for p in (dev / "articles").glob("*.txt")}
    # every type of actor is found, not only states
    assert (scores.by_type.loc[["person", "organization", "armed_force", "place", "event"], "recall"] >= 0.75).all()


def test_archive_state_names_are_annotated_as_states():
    with gzip.open(shared_path("dev/ant_dev.jsonl.gz", "the 2,358-article archive"), "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    articles = pd.DataFrame({"article_id": [r["id"] for r in rows], "text": [r["text"] for r in rows],
                             "source": [r["source"] for r in rows], "published": [None] * len(rows)})
    spans = akhbar.annotate(articles, layers=("entity",))
    names, missed = state_name_coverage(articles, spans, "name")
    assert names["mentions"] > 10_000
    assert names["share"] >= 0.97
    assert names["share_of_state_mentions"] >= 0.99
    # what is missed is mostly part of another actor's name (SPA, the SDF, Amman's عمان)
    assert (missed["other_actor"] != "").mean() > 0.9
    nisbas, _ = state_name_coverage(articles, spans, "adjective")
    assert nisbas["share"] >= 0.97


def test_command_line(dev):
    res = subprocess.run([sys.executable, "-m", "akhbar", "evaluate", str(dev / "gold" / "entities.csv"),
                          str(dev / "articles")], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "precision recall" in res.stdout and "by article" in res.stdout and "misses (" in res.stdout


def test_command_line_names_a_missing_gold_file(tmp_path):
    """A gold file that is not there: exit 3 (bad input), naming it; the seeds stand for the articles."""
    res = subprocess.run([sys.executable, "-m", "akhbar", "evaluate", str(tmp_path / "none.csv"),
                          str(ROOT / "seeds")], capture_output=True, text=True, timeout=60)
    assert res.returncode == 3 and "none.csv: no such file" in res.stderr  # EXIT_INPUT
    assert not res.stdout.strip()  # no scores printed for a missing gold file


class TestProjectGazetteer:
    TEXT = "قال المتحدث باسم الحزب سالم الورفلي إن قطر وحزب النور يرفضان القرار."

    def spans(self, gazetteer=None):
        arts = pd.DataFrame({"article_id": ["a"], "text": [self.TEXT], "published": [None], "source": [""]})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            s = akhbar.annotate(arts, layers=("entity",), gazetteer=gazetteer)
        return dict(zip(s["surface"], zip(s["canonical_id"], s["source"])))

    def test_extends_and_overrides_the_package(self, tmp_path):
        path = tmp_path / "actors.csv"
        path.write_text("canonical_id,type,form,kind,resolves_to,name_en\n"
                        "salem_warfalli,person,سالم الورفلي,name,,Salem al-Warfalli\n"
                        "nour_party,organization,حزب النور,name,,Al-Nour Party\n"
                        "qatar_team,organization,قطر,name,,Qatar (the team)\n", encoding="utf-8")
        before = path.read_bytes()
        plain = self.spans()
        assert plain["سالم الورفلي"] == ("new:سالم_الورفلي", "pattern")  # found, but not yet reviewed
        assert plain["قطر"] == ("qatar", "auto")
        mine = self.spans(path)
        assert mine["سالم الورفلي"] == ("salem_warfalli", "auto")
        assert mine["وحزب النور"] == ("nour_party", "auto")
        assert mine["قطر"] == ("qatar_team", "auto")  # the researcher's row replaces the package's
        assert path.read_bytes() == before  # akhbar never writes it

    def test_exclude_blocks_a_form_and_a_proposal(self, tmp_path):
        path = tmp_path / "actors.csv"
        path.write_text("canonical_id,type,form,kind,resolves_to,name_en\n,,قطر,exclude,,\n"
                        ",,سالم الورفلي,exclude,,\n", encoding="utf-8")
        found = self.spans(path)
        assert "قطر" not in found and "سالم الورفلي" not in found
        assert found["وحزب النور"] == ("nour_party", "auto")  # Egypt's al-Nour party is in the package

    def test_a_missing_file_is_an_error(self, tmp_path):
        with pytest.raises(FileNotFoundError, match="none.csv: gazetteer file not found"):
            self.spans(tmp_path / "none.csv")


def test_dev_framing_is_read_from_the_text(dev):
    """Framing on the unseen dev articles (issue 21's targets are 0.75 / 0.85 / 0.75). These
    floors keep what was reached from slipping back: recall 0.71, precision 0.86, target 0.61
    (0.52 before the argument rules for hostile acts, support given by a named agent, proxies,
    group labels and relative clauses), with no fallback on the states an article names most
    (the issue's first change: those fallbacks gave 0.52 before it, partly by luck, and 0.42
    once removed)."""
    from akhbar.analysis.evaluation import read_gold_framing, score_framing

    scores = akhbar.evaluate_folder(dev / "gold" / "entities.csv", dev / "articles")
    framing = score_framing(scores.spans, read_gold_framing(dev / "gold" / "framing.csv"), scores.alignment)
    assert framing.recall >= 0.70
    assert framing.precision >= 0.85
    assert framing.target_accuracy >= 0.60
    assert framing.by_code.loc["ALIGNMENT", "target_accuracy"] >= 0.55
    assert framing.polarity_accuracy >= 0.76 and framing.voice_accuracy >= 0.63
    # the seed lexicon alone found 8% of the cues, a fifth of them with the right target
    assert framing.by_code.loc["LEGITIMACY", "target_accuracy"] >= 0.62
