"""Normalisation folds, tokens, sentences, clitics and KWIC on literal Arabic and the seeds."""

import pytest

import akhbar
from akhbar.scan import scan
from akhbar.text import (clitic_splits, normalize, normalize_with_offsets,
                          strip_clitics, tokenize)


class TestNormalize:
    @pytest.mark.parametrize("raw, folded", [
        ("أنقرة", "انقرة"), ("إسطنبول", "اسطنبول"), ("آل", "ال"), ("ٱلله", "الله"),
        ("على", "علي"), ("ایران", "ايران"), ("کرد", "كرد"), ("ھذا", "هذا"),
        ("كـــبير", "كبير"), ("وقّع", "وقع"), ("عُقد", "عقد"), ("مُحَمَّدٌ", "محمد"),
        ("\u200fحفتر\u200e", "حفتر"), ("حف\u200cتر", "حفتر"), ("\u202bليبيا\u202c", "ليبيا"),
        ("٢٠ يوليو ٢٠٢٠", "20 يوليو 2020"), ("۱۴۰۳", "1403"),
        ("\uFEFB", "لا"), ("\uFEF7", "لا"),
    ])
    def test_each_fold(self, raw, folded):
        assert normalize(raw) == folded

    def test_ta_marbuta_only_on_request(self):
        assert normalize("الدوحة") == "الدوحة"
        assert normalize("الدوحة", ta_marbuta=True) == "الدوحه"
        assert normalize("أنقره", ta_marbuta=True) == normalize("أنقرة", ta_marbuta=True)

    def test_input_unchanged(self):
        s = "وقّع"
        normalize(s)
        assert s == "وقّع"

    def test_al_saud_stays_two_words(self):
        # آل folds to ال, but as a word of its own: no clitic is stripped from it
        assert normalize("مملكة آل سعود", ta_marbuta=True) == "مملكه ال سعود"
        assert [t[3] for t in tokenize("ومملكة آل سعود")] == ["ومملكه", "ال", "سعود"]
        assert ("", "ال") in clitic_splits("ال")
        assert all(stem for _p, stem in clitic_splits("ال"))

    @pytest.mark.parametrize("text", ["وقّع اتفاقية", "كـــبير جداً", "\uFEFB نؤيد", "أبوظبي"])
    def test_offsets_map_back(self, text):
        norm, index = normalize_with_offsets(text)
        if index is not None:  # each folded character came from the character it points at
            assert all(norm[j] in normalize(text[index[j]], ta_marbuta=True) for j in range(len(norm)))
        sc = scan(text)
        for k in range(len(sc.tok_start)):
            piece = text[sc.tok_start[k]:sc.tok_end[k]]
            assert normalize(piece, ta_marbuta=True) == sc.token(k) or piece == "\uFEFB"


class TestClitics:
    def test_names_keep_their_letters(self):
        known = {"تركيا", "ليبيا", "القياده"}
        assert strip_clitics("وتركيا", known) == "تركيا"
        assert strip_clitics("بتركيا", known) == "تركيا"
        assert strip_clitics("لليبيا", known) == "ليبيا"
        assert strip_clitics("للقياده", known) == "القياده"
        assert strip_clitics("وتر", known) == "وتر"       # not a stemmer: nothing known remains

    def test_detached_clitic_is_its_own_token(self):
        toks = tokenize("استقبال رسمي لـ نجل حفتر بـ”الاحتلال”")
        kinds = [(t[3], t[2]) for t in toks]
        assert ("ل", "clitic") in kinds and ("ب", "clitic") in kinds
        assert ("نجل", "word") in kinds and ("الاحتلال", "word") in kinds


class TestTokens:
    def test_arabic_punctuation_separated(self):
        toks = [t for t in tokenize("قال: «نعم»، وتابع؛ لماذا؟")]
        assert [t[3] for t in toks if t[2] == "punct"] == [":", "«", "»", "،", "؛", "؟"]

    def test_every_token_slices_back(self, articles):
        toks = akhbar.tokens(articles)
        texts = articles.set_index("article_id")["text"]
        assert len(toks) == 1713
        for aid, tok, s, e in zip(toks["article_id"], toks["token"], toks["start"], toks["end"]):
            assert texts[aid][s:e] == tok

    def test_sentences(self, articles):
        sents = akhbar.sentences(articles)
        first = sents[sents["article_id"] == "000_36100a86710d4ed9"]
        assert first["text"].iloc[0] == "تقارب جديد بين حفتر وتركيا.."
        assert first["text"].iloc[1] == "ما دلالة ذلك؟"
        text = articles.set_index("article_id")["text"]
        assert all(text[a][s:e] == t for a, s, e, t in sents[["article_id", "start", "end", "text"]].itertuples(index=False))
        assert sents.groupby("article_id").size().to_dict() == {
            "000_36100a86710d4ed9": 22, "004_89c82ba38a398626": 37}

    def test_stopwords_normalised(self):
        stops = akhbar.stopwords()
        assert normalize("إلى", True) == "الي" and "الي" in stops and "في" in stops
        assert "تركيا" not in stops and "حفتر" not in stops


class TestKwic:
    def test_clitics_found(self, articles):
        k = akhbar.kwic(articles, "تركيا")
        assert sorted(k["match"].unique()) == ["تركيا", "لتركيا", "وتركيا"]
        assert k.groupby("article_id").size().to_dict() == {
            "000_36100a86710d4ed9": 7, "004_89c82ba38a398626": 5}

    def test_haftar_with_prefixes(self, articles):
        k = akhbar.kwic(articles, "حفتر", window=3)
        assert len(k) == 19
        assert {"لحفتر", "وحفتر", "حفتر"} <= set(k["match"])
        texts = articles.set_index("article_id")["text"]
        assert all(texts[a][s:e] == m for a, s, e, m in k[["article_id", "start", "end", "match"]].itertuples(index=False))

    def test_multiword(self, articles):
        k = akhbar.kwic(articles, "صدام حفتر")
        assert len(k) == 5 and set(k["article_id"]) == {"000_36100a86710d4ed9"}


class TestLongTextPath:
    def test_long_and_short_paths_agree(self, articles):
        # normalize() folds long texts with chained replaces and short ones with translate
        for text in articles["text"]:
            assert len(text) > 200
            assert normalize(text, True) == "".join(normalize(ch, True) for ch in text)
            assert normalize(text) == "".join(normalize(ch) for ch in text)
        mixed = "أإآٱ ىی ک ھ ـ ًٌٍَُِّْ \u200f ٠١٢ ۱۲ \uFEFB ة" * 20
        assert normalize(mixed, True) == "".join(normalize(ch, True) for ch in mixed)
