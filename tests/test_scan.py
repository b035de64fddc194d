"""The scan view every layer reads: tokens, sentences and offsets, and batches that do not leak."""

import numpy as np
import pandas as pd
import pytest

from akhbar.pipeline.engine import annotate_texts
from akhbar.scan import BREAK, scan
from akhbar.text import normalize, sentence_spans, tokenize


def doc_tokens(sc, d):
    """``(start, end, normalised)`` of the tokens of text ``d`` (line breaks left out)."""
    keep = np.flatnonzero((sc.tok_doc == d) & (sc.tok_kind != BREAK))
    base = sc.starts[d]
    return [(int(sc.tok_start[k] - base), int(sc.tok_end[k] - base), sc.token(k)) for k in keep]


class TestScan:
    def test_tokens_and_sentences_match_the_tokeniser_on_the_seeds(self, articles):
        texts = list(articles["text"])
        sc = scan(texts)
        starts, ends = sc.sentence_bounds()
        for d, text in enumerate(texts):
            assert [(s, e) for s, e, _k, _n in tokenize(text)] == [(s, e) for s, e, _n in doc_tokens(sc, d)]
            base = sc.starts[d]
            mine = [(int(s - base), int(e - base)) for s, e in zip(starts, ends) if sc.doc_of(s) == d]
            assert mine == sentence_spans(text)
        assert sc.doc_text(1) == texts[1]

    def test_view_is_folded_words_two_spaces_apart(self):
        sc = scan("أكّد أردوغـــان: «الدوحة»\nفي ٢٠ يوليو ٢٠٢٠، 3.5 مليار")
        assert sc.view == ("  اكد  اردوغان  :  «  الدوحه  »  ¶  في  20  يوليو  2020  ،  3.5  مليار  ")

    def test_offsets_survive_diacritics_tatweel_ligatures_and_emoji(self):
        text = "😀 قال أردوغـــان إن تُركيّا ستدعم ﻻ بل ليبيا"
        spans = annotate_texts(["x"], [text], [None], [""])
        ents = spans[spans["layer"] == "entity"]
        assert list(ents["surface"]) == ["أردوغـــان", "تُركيّا", "ليبيا"]
        for s, e, surface in ents[["start", "end", "surface"]].itertuples(index=False):
            assert text[s:e] == surface
        assert scan("ﻻ").view.strip() == "لا"

    def test_a_word_written_with_tatweel_only_inside_is_one_token(self):
        sc = scan("كـــبير جدا")
        assert [sc.token(k) for k in range(len(sc.tok_start))] == ["كبير", "جدا"]
        assert normalize("كـــبير") == "كبير"


class TestBatches:
    def test_spans_do_not_depend_on_which_articles_are_annotated_together(self, articles):
        extra = ["وقال أردوغان إن أنقرة ستدعم حكومة الوفاق في 20 يوليو الجاري. المشير",
                 "خليفة حفتر زار القاهرة، وأكد أن «الجيش الليبي» سيبقى."]
        ids = list(articles["article_id"]) + ["x1", "x2"]
        texts = list(articles["text"]) + extra
        pubs = list(articles["published"]) + [pd.Timestamp("2020-07-21"), None]
        sources = list(articles["source"].fillna("")) + ["", ""]
        together = annotate_texts(ids, texts, pubs, sources)
        alone = pd.concat([annotate_texts([i], [t], [p], [s]) for i, t, p, s in zip(ids, texts, pubs, sources)],
                          ignore_index=True)
        alone = alone.sort_values("article_id", kind="stable").reset_index(drop=True)
        pd.testing.assert_frame_equal(together, alone)
        # a window never reaches into the next article: the cue ending x1 finds no
        # target at the start of x2
        cue = together[(together["article_id"] == "x1") & (together["layer"] == "framing")
                       & (together["surface"] == "المشير")]
        assert list(cue["canonical_id"]) == [""]

    @pytest.mark.parametrize("texts", [[], [""], ["", "تركيا"]])
    def test_empty_articles(self, texts):
        spans = annotate_texts([f"a{i}" for i in range(len(texts))], texts, [None] * len(texts), None)
        assert list(spans.columns)[:4] == ["article_id", "start", "end", "surface"]
        assert list(spans["surface"]) == (["تركيا"] if "تركيا" in texts else [])
