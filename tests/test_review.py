"""Reviewing the coding in the notebook, and the agreement figures drawn from the review.

The decisions are made through :meth:`akhbar.views.review_panel.ReviewPanel.decide`, the method the
panel's buttons call (the JupyterLab test clicks the buttons themselves).
"""

import math

import numpy as np
import pandas as pd
import pytest

import akhbar
from akhbar.analysis.reliability import agreement, agreement_note, nominal_alpha, review_items, wilson_interval
from akhbar.views.review_panel import review, review_sample

TEXT = ("اتهمت تركيا الحكومة السورية بالتصعيد. "
        "وقال وزير الخارجية التركي مولود جاويش أوغلو إن أنقرة تدعم الحوار مع دمشق. "
        "ودعت الحكومة الشرعية اليمنية إلى وقف إطلاق النار.")


@pytest.fixture()
def one_article():
    return pd.DataFrame({"article_id": ["a1"], "title": ["تركيا وسوريا"], "published": [pd.Timestamp("2018-02-20")],
                         "source": [""], "text": [TEXT]})


@pytest.fixture()
def seed_spans(articles):
    return akhbar.annotate(articles)


def test_the_sample_is_the_same_for_the_same_seed_and_differs_for_another(seed_spans):
    a = review_sample(seed_spans, "framing", 12, seed=7)
    b = review_sample(seed_spans, "framing", 12, seed=7)
    c = review_sample(seed_spans, "framing", 12, seed=8)
    key = ["article_id", "start", "end"]
    assert a[key].values.tolist() == b[key].values.tolist()
    assert a[key].values.tolist() != c[key].values.tolist()


def test_every_code_of_the_seeds_gets_an_item_when_the_sample_is_large_enough(seed_spans):
    body = seed_spans[(seed_spans["layer"] == "framing") & seed_spans["zone"].isin(["body", "title", "subhead"])]
    codes = set(body["label"])
    sample = review_sample(seed_spans, "framing", 2 * len(codes), seed=0)
    assert set(sample["label"]) == codes
    assert len(sample) == 2 * len(codes)
    # proportional: the most frequent code is never given fewer items than a rarer one
    counts = sample["label"].value_counts()
    top = body["label"].value_counts().index[0]
    assert counts[top] == counts.max()


def test_a_sample_never_offers_boilerplate_or_an_item_already_reviewed(seed_spans, articles, tmp_path):
    first = review_sample(seed_spans, "framing", 10, seed=3, annotations_dir=tmp_path)
    panel = review(seed_spans, articles, "framing", sample=first, annotations_dir=tmp_path)
    for action in ("keep", "reject", "skip", "keep"):
        panel.decide(action)
    decided = {tuple(r) for r in first.iloc[[0, 1, 3]][["article_id", "start", "end"]].values.tolist()}
    again = review_sample(seed_spans, "framing", 200, seed=3, annotations_dir=tmp_path)
    offered = {tuple(r) for r in again[["article_id", "start", "end"]].values.tolist()}
    assert not decided & offered
    skipped = tuple(first.iloc[2][["article_id", "start", "end"]])
    assert skipped in offered  # skip writes nothing, so it may come again
    assert set(again["zone"]) <= {"body", "title", "subhead"}


def test_keep_correct_and_reject_each_append_one_row_and_change_the_next_run(one_article, tmp_path):
    auto = akhbar.annotate(one_article)
    cues = auto[auto["layer"] == "framing"].sort_values("start")
    assert len(cues) >= 3, cues[["surface", "label"]]
    folder = tmp_path / "annotations"
    folder.mkdir()
    mine = "# my own note, kept byte for byte\naction,start,end,surface,layer,label,canonical_id,type,note,polarity\n"
    (folder / "a1.csv").write_bytes(mine.encode("utf-8"))
    panel = review(auto, one_article, "framing", sample=cues.iloc[:3], annotations_dir=folder)
    kept, corrected, rejected = (cues.iloc[i].to_dict() for i in range(3))
    panel.decide("keep")
    panel.decide("correct", canonical_id="syria", polarity="+")
    panel.decide("reject")
    raw = (folder / "a1.csv").read_bytes()
    assert raw.startswith(mine.encode("utf-8"))
    rows = [r for r in raw.decode("utf-8").splitlines()[2:] if not r.startswith("#")]
    assert [r.split(",")[0] for r in rows] == ["keep", "correct", "reject"]

    redone = akhbar.annotate(one_article, annotations_dir=folder)
    cue = redone[(redone["layer"] == "framing")]
    at = {(int(s), int(e)): r for s, e, r in zip(cue["start"], cue["end"], cue.to_dict("records"))}
    k = at[(kept["start"], kept["end"])]
    assert (k["canonical_id"], k["source"]) == (kept["canonical_id"], "auto")
    c = at[(corrected["start"], corrected["end"])]
    assert (c["canonical_id"], c["polarity"], c["source"]) == ("syria", "+", "manual")
    assert (rejected["start"], rejected["end"]) not in at


def test_a_polarity_correction_is_refused_by_a_file_without_that_column(one_article, tmp_path):
    auto = akhbar.annotate(one_article)
    (tmp_path / "a1.csv").write_text("action,start,end,surface,layer,label,canonical_id,type,note\n", encoding="utf-8")
    panel = review(auto, one_article, "framing", sample=1, annotations_dir=tmp_path)
    with pytest.raises(ValueError, match=r"a1\.csv: its header has no polarity column"):
        panel.decide("correct", polarity="+")
    panel.decide("keep")  # a keep needs no polarity column
    assert (tmp_path / "a1.csv").read_text(encoding="utf-8").splitlines()[-1].startswith("keep,")


def test_a_kept_proposal_goes_into_the_project_gazetteer_and_is_known_next_run(tmp_path):
    text = "قال المتحدث باسم الجيش سالم الورفلي إن الوضع مستقر. وأضاف الورفلي أن الحوار مستمر."
    arts = pd.DataFrame({"article_id": ["b1"], "published": [None], "source": [""], "text": [text]})
    auto = akhbar.annotate(arts)
    proposed = auto[(auto["layer"] == "entity") & auto["canonical_id"].str.startswith("new:")]
    assert len(proposed), auto[["surface", "canonical_id"]]
    gaz = tmp_path / "actors.csv"
    panel = review(auto, arts, "entity", sample=proposed.iloc[:1], annotations_dir=tmp_path, gazetteer=gaz)
    panel.decide("keep")
    again = akhbar.annotate(arts, gazetteer=gaz)
    ents = again[again["layer"] == "entity"]
    name = proposed.iloc[0]["surface"]
    assert ents.loc[ents["surface"] == name, "canonical_id"].tolist() == ["salm_alwrfly"]
    assert ents.loc[ents["surface"] == name, "source"].tolist() == ["auto"]


def test_a_rejected_proposal_is_excluded_from_the_next_run(tmp_path):
    text = "قال المتحدث باسم الجيش سالم الورفلي إن الوضع مستقر."
    arts = pd.DataFrame({"article_id": ["b1"], "published": [None], "source": [""], "text": [text]})
    auto = akhbar.annotate(arts)
    proposed = auto[(auto["layer"] == "entity") & auto["canonical_id"].str.startswith("new:")]
    gaz = tmp_path / "actors.csv"
    review(auto, arts, "entity", sample=proposed.iloc[:1], annotations_dir=tmp_path, gazetteer=gaz).decide("reject")
    again = akhbar.annotate(arts, gazetteer=gaz)
    assert not (again["layer"].eq("entity") & again["surface"].eq("سالم الورفلي")).any()


def test_wilson_interval_by_hand():
    # 2 of 4: p = 0.5, z = 1.96: centre 0.5, half = 1.96 * sqrt(0.0625 + 0.0600) / 1.9604
    low, high = wilson_interval(2, 4)
    assert (round(low, 3), round(high, 3)) == (0.150, 0.850)
    assert wilson_interval(5, 5)[1] == 1.0 and 0.56 < wilson_interval(5, 5)[0] < 0.57


def test_alpha_matches_the_packages_documented_example():
    nan = None
    data = [[nan, nan, nan, nan, nan, 3, 4, 1, 2, 1, 1, 3, 3, nan, 3],
            [1, nan, 2, 1, 3, 3, 4, 3, nan, nan, nan, nan, nan, nan, nan],
            [nan, nan, 2, 1, 3, 4, 4, nan, 2, 1, 1, 3, 3, nan, 4]]
    assert round(nominal_alpha(data), 6) == 0.691358
    assert math.isnan(nominal_alpha([["gna", "gna"], ["gna", "gna"]]))


def test_the_agreement_table_is_the_one_computed_by_hand(one_article, tmp_path):
    auto = akhbar.annotate(one_article)
    cues = auto[auto["layer"] == "framing"].sort_values("start").reset_index(drop=True)
    panel = review(auto, one_article, "framing", sample=cues.iloc[:3], annotations_dir=tmp_path)
    panel.decide("keep")
    panel.decide("correct", canonical_id="syria")
    panel.decide("reject")
    table = agreement(auto, tmp_path)
    whole = table[(table["layer"] == "framing") & (table["code"] == "(all)")].iloc[0]
    assert (whole["reviewed"], whole["kept"], whole["corrected"], whole["rejected"], whole["added"]) == (3, 1, 1, 1, 0)
    assert whole["precision"] == pytest.approx(1 / 3)
    # Wilson for 1 of 3 by hand: centre (1/3 + 0.6402) / 2.2805, half 1.96 * sqrt(0.0741 + 0.1067) / 2.2805
    assert (round(whole["precision_low"], 3), round(whole["precision_high"], 3)) == (0.061, 0.792)
    # alpha by hand: pairs (v1, v1), (v2, v2'), (v3, ∅), six distinct-but-v1 values:
    # Do = 4/6 (the two disagreeing pairs, both ways); De = (6² - (2² + 4 * 1²)) / (6 * 5) = 28/30
    assert len(set(items_values := review_items(auto, tmp_path)[["auto_value", "reviewed_value"]].stack())) == 5
    assert whole["alpha"] == pytest.approx(1 - (4 / 6) / (28 / 30))
    per_code = table[(table["layer"] == "framing") & (table["code"] != "(all)")]
    assert per_code["reviewed"].sum() == 3
    items = review_items(auto, tmp_path)
    assert items["action"].tolist() == ["keep", "correct", "reject"]


def test_an_added_span_is_a_miss_outside_the_reviewed_count(one_article, tmp_path):
    auto = akhbar.annotate(one_article)
    start = TEXT.index("الحوار")
    (tmp_path / "a1.csv").write_text(
        "action,start,end,surface,layer,label,canonical_id,type,note\n"
        f"add,{start},{start + 6},الحوار,framing,RAPPROCHEMENT_DEESCALATION,turkey|syria,,a call for talks\n",
        encoding="utf-8")
    table = agreement(auto, tmp_path)
    row = table[(table["layer"] == "framing") & (table["code"] == "(all)")].iloc[0]
    assert (row["reviewed"], row["added"]) == (0, 1)
    assert math.isnan(row["precision"])


def test_the_note_says_so_when_a_layer_was_not_reviewed():
    empty = agreement(pd.DataFrame(columns=akhbar.SPAN_COLUMNS), "no-such-folder")
    assert "not reviewed yet" in agreement_note(empty, "framing", what="framing cues")


def test_the_exported_page_shows_the_reviewed_state_not_a_widget(one_article, tmp_path):
    auto = akhbar.annotate(one_article)
    panel = review(auto, one_article, "framing", sample=2, annotations_dir=tmp_path)
    panel.decide("keep")
    bundle = panel._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    page = bundle["text/html"]
    assert "agreement with the reviewed items" in page and "<script" not in page
    assert "framing" in page


def test_the_exported_page_of_a_reviewing_notebook_shows_the_agreement_table(one_article, tmp_path):
    import nbformat

    from akhbar.cli.runner import export_html

    auto = akhbar.annotate(one_article)
    panel = review(auto, one_article, "framing", sample=2, annotations_dir=tmp_path / "annotations")
    panel.decide("reject")
    bundle = panel._repr_mimebundle_()
    out = nbformat.v4.new_output("display_data", data={k: v for k, v in bundle.items()})
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("panel", outputs=[out])])
    nbformat.write(nb, tmp_path / "02-annotation.ipynb")
    export_html(tmp_path / "02-annotation.ipynb", tmp_path / "02-annotation.html")
    page = (tmp_path / "02-annotation.html").read_text(encoding="utf-8")
    assert "agreement with the reviewed items" in page
    assert 'type="application/vnd.jupyter.widget-view+json"' not in page


def test_the_reading_states_the_agreement_of_a_reviewed_layer_and_says_when_one_was_not(articles, seed_spans, tmp_path):
    legit = seed_spans[(seed_spans["layer"] == "framing") & (seed_spans["label"] == "LEGITIMACY")
                       & (seed_spans["zone"] == "body")].sort_values(["article_id", "start"]).iloc[:4]
    panel = review(seed_spans, articles, "framing", sample=legit, annotations_dir=tmp_path)
    for action in ("keep", "keep", "keep", "reject"):
        panel.decide(action)
    text = akhbar.reading(articles, seed_spans, agreement=agreement(seed_spans, tmp_path))
    low, high = wilson_interval(3, 4)
    assert f"legitimacy cues: 3 of 4 reviewed kept, precision 0.75 [{low:.2f}, {high:.2f}]" in text
    assert "reported statements: not reviewed yet" in text
    assert "Checked by hand" not in akhbar.reading(articles, seed_spans)


def test_a_chart_caption_states_the_agreement_of_the_coding_it_draws(articles, seed_spans, tmp_path):
    import matplotlib.pyplot as plt

    legit = seed_spans[(seed_spans["layer"] == "framing") & (seed_spans["label"] == "LEGITIMACY")
                       & (seed_spans["zone"] == "body")].sort_values(["article_id", "start"]).iloc[:2]
    panel = review(seed_spans, articles, "framing", sample=legit, annotations_dir=tmp_path)
    panel.decide("keep")
    panel.decide("reject")
    table = agreement(seed_spans, tmp_path)
    fig = akhbar.plot_framing_by_target(seed_spans, articles)
    low, high = wilson_interval(1, 2)
    assert akhbar.caption(fig, table).data.endswith(
        f"*Checked by hand: legitimacy cues: 1 of 2 reviewed kept, precision 0.50 [{low:.2f}, {high:.2f}]*")
    themes = akhbar.plot_theme_shares(akhbar.paragraph_themes(articles), articles)
    assert "Checked by hand" not in akhbar.caption(themes, table).data  # themes are not a reviewed layer
    plt.close("all")
