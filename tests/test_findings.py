"""The closing reading written from the data (akhbar.findings, akhbar.reading)."""

import re
import shutil

import pandas as pd

import akhbar
from akhbar.views.written import findings, reading

SEED_ONLY = ("Qatari–Turkish axis", "The 2020 article", "Haftar's rank changes sign")


def test_findings_on_the_seeds_state_the_counts(articles):
    spans = akhbar.annotate(articles)
    text = findings(articles, spans, akhbar.tokens(articles))
    counts = akhbar.actor_counts(spans)
    assert counts.loc["turkey", "000_36100a86710d4ed9"] == 11 and "Turkey (11)" in text
    assert "named here only: Qatar" in text  # Qatar is in the 2020 article only
    # names first, then the titles: Haftar is «اللواء المتقاعد» in 2020, and each list says what it leaves out
    assert ("in 2020-07-21 <bdi>التغيير</bdi> «<bdi>حفتر</bdi>», «<bdi>خليفة حفتر</bdi>», titled "
            "«<bdi>اللواء المتقاعد</bdi>»") in text
    assert "«<bdi>حكومة الوفاق الوطني</bdi>», and 5 more." in text
    assert "Majed al-Ansari (6)" in text and "«<bdi>قطر</bdi>» (11:0)" in text


def test_arabic_is_isolated_in_the_prose(articles):
    text = findings(articles, akhbar.annotate(articles))
    outside = re.sub(r"<bdi>.*?</bdi>", "", text)
    assert not re.search("[\u0600-\u06FF]", outside)  # every Arabic run sits inside <bdi>


def test_the_hand_reading_only_for_the_articles_it_describes(articles, tmp_path, seeds_dir):
    spans = akhbar.annotate(articles)
    assert any(s in reading(articles, spans, notebook="03") for s in SEED_ONLY)
    one = tmp_path / "one"
    shutil.copytree(seeds_dir, one)
    (one / "000_36100a86710d4ed9.txt").unlink()
    fewer = akhbar.load_articles(one)
    text = reading(fewer, akhbar.annotate(fewer), notebook="03")
    assert "What the data say" in text and not any(s in text for s in SEED_ONLY)


def test_other_articles_get_no_seed_sentence():
    arts = akhbar.inputs.as_articles(pd.DataFrame({
        "article_id": ["a", "b"],
        "text": ["تركيا وقطر\nقال الرئيس التركي إن بلاده تدعم قطر.", "حفتر\nوقال المشير خليفة حفتر إن قواته ستقاتل."]}))
    text = reading(arts, akhbar.annotate(arts), akhbar.tokens(arts))
    assert not any(s in text for s in SEED_ONLY)
    assert "named here only: Khalifa Haftar" in text and text._repr_markdown_() == str(text)


def test_the_legitimacy_line_shows_the_cue_and_its_sentence():
    arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a"], "text": [
        "ووصل الوفد. وقال المتحدث إن قوات حفتر تتقدم نحو المدينة. وانتهى اللقاء."]}))
    text = findings(arts, akhbar.annotate(arts), sections=["legitimacy"])
    assert "LNA (Haftar's forces) 0+ / 1−." in text
    anchor = akhbar.views.highlight.span_anchor("a", "framing", 28, 37)
    assert (f"  - LNA (Haftar's forces): [«<bdi>قوات حفتر</bdi>»](#{anchor}) in "
            "«<bdi>وقال المتحدث إن قوات حفتر تتقدم نحو المدينة.</bdi>».") in text


def test_a_target_framed_only_descriptively_says_so_rather_than_0_plus_0_minus():
    arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a"], "text": [
        "وقال رئيس برلمان طبرق عقيلة صالح إن الحوار مستمر."]}))
    spans = akhbar.annotate(arts)
    legit = spans[(spans["layer"] == "framing") & (spans["label"] == "LEGITIMACY")]
    assert (legit["polarity"] == "0").any(), legit[["surface", "polarity", "canonical_id"]]
    text = akhbar.findings(arts, spans, sections=["legitimacy"])
    assert "0+ / 0−" not in text
    assert "descriptive" in text


def linked_marks(articles, section, layer):
    """For each link of a reading section: the linked words and the words of the mark it points
    to in the annotated articles (None when no mark has its id); and every mark id of the page."""
    from akhbar.views.highlight import show_article

    spans = akhbar.annotate(articles)
    text = reading(articles, spans, sections=(section,))
    links = re.findall(rf"\[«<bdi>(.*?)</bdi>»\]\(#(span-{layer}-\d+-\d+-[0-9a-f]{{10}})\)", text)
    page = "".join(show_article(articles, spans, aid).html for aid in articles["article_id"])
    marks = [re.search(rf'<mark id="{anchor}"[^>]*>(.*?)</mark>', page, re.S) for _words, anchor in links]
    return ([(words, re.sub(r"<[^>]+>", "", m.group(1)) if m else None) for (words, _a), m in zip(links, marks)],
            re.findall(r'<mark id="([^"]+)"[^>]*>', page))


def test_each_legitimacy_example_links_to_its_cue_in_the_annotated_article(articles):
    """The reading's evidence links go to the cue's mark in the article view of the same page (notebook 02)."""
    links, ids = linked_marks(articles, "legitimacy", "framing")
    assert len(links) >= 5
    assert len(ids) == len(set(ids))  # one id a mark
    for cue, marked in links:
        assert marked == cue, (cue, marked)


def test_each_speaker_line_links_its_verb_to_the_report_in_the_annotated_article(articles):
    links, _ids = linked_marks(articles, "speakers", "quote")
    assert len(links) >= 4
    for verb, marked in links:
        assert marked is not None and marked.startswith(verb), (verb, marked)
