"""The name tagger (akhbar.layers.names): training, the shipped model, and its place beside the gazetteer."""

import hashlib
import json
import tomllib
from pathlib import Path

import pytest

import akhbar
from akhbar.analysis.evaluation import read_iob, score_names
from akhbar.cli.main import main
from akhbar.layers import names

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "anercorp" / "train.txt"


def entities(spans):
    ent = spans[spans["layer"] == "entity"]
    return ent[["surface", "canonical_id", "type", "source", "counts"]].values.tolist()


def test_an_unknown_person_is_an_uncounted_proposal_of_the_model():
    # «جورج بوش» is in no list and no cue stands before him: the tagger proposes him,
    # with the new: id the pattern layer would give, not counted until reviewed
    spans = akhbar.annotate("وقال جورج بوش إن الحرب لن تطول")
    assert entities(spans) == [["جورج بوش", "new:جورج_بوش", "person", "model", False]]


def test_a_name_the_gazetteer_knows_keeps_the_gazetteers_id():
    # the tagger reads «رجب طيب أردوغان» as a person too; the gazetteer's row wins, no second row
    spans = akhbar.annotate("وقال رجب طيب أردوغان إن الحرب لن تطول")
    assert entities(spans) == [["رجب طيب أردوغان", "erdogan", "person", "auto", True]]


def test_the_tagger_is_a_layer_that_can_be_left_out():
    text = "وقال جورج بوش إن الحرب لن تطول"
    without = akhbar.annotate(text, layers=("entity", "framing", "date", "quote", "group"))
    assert "model" not in set(without["source"])
    assert "model" in set(akhbar.annotate(text)["source"])


def test_a_surname_alone_takes_the_id_of_the_full_name_before_it():
    # «بوش» alone after «جورج بوش» in the same article is the same person
    spans = akhbar.annotate("وقال جورج بوش إن الحرب لن تطول. وأضاف بوش أن القوات باقية")
    model = spans[spans["source"] == "model"]
    assert model["canonical_id"].tolist() == ["new:جورج_بوش", "new:جورج_بوش"]


def test_read_iob_names_the_line_without_a_tag(tmp_path):
    path = tmp_path / "gold.txt"
    path.write_text("زار O\nجورج B-PERS\nبوش\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"gold.txt:3: expected a token and an IOB tag"):
        read_iob(path)


def test_strict_scoring_needs_the_whole_name_overlap_one_token():
    # gold «جورج بوش» (tokens 1-2), found «بوش» alone: wrong strictly, right by overlap
    scores = score_names([[(1, 2, "PERS")]], [[(2, 2, "PERS")]]).set_index("type")
    assert scores.loc["PERS", ["strict_f1", "overlap_f1"]].tolist() == [0.0, 1.0]
    assert names.iob_spans(["B-PERS", "I-PERS", "O", "I-LOC"]) == [(0, 1, "PERS"), (3, 3, "LOC")]


def test_evaluate_iob_on_the_command_line(tmp_path, capsys):
    path = tmp_path / "gold.txt"
    path.write_text("وقال O\nجورج B-PERS\nبوش I-PERS\nفي O\nبغداد B-LOC\n\n", encoding="utf-8")
    assert main(["evaluate", "--iob", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("names (IOB gold), strict and overlap")
    row = next(line.split() for line in out.splitlines() if line.split()[:1] == ["all"])
    assert row[1:3] == ["2", "2"]  # two names in the gold, two found


def test_the_shipped_model_is_the_one_the_script_trained():
    info = names.model_info()
    assert hashlib.sha256(names.MODEL.read_bytes()).hexdigest() == info["sha256"]
    assert info["training"]["sentences"] == 3988 and info["parameters"] == {k: v for k, v in names.TRAINING.items() if k != "algorithm"}
    assert names.MODEL.stat().st_size < 5_000_000  # a few MB at most


def test_the_model_ships_with_its_licence_and_citation():
    licence = (names.MODEL.parent / "names.LICENSE.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in licence and "Benajiba" in licence and "Obeid" in licence
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    assert {"data/names.crfsuite", "data/names.json", "data/*.md"} <= set(data["akhbar"])


@pytest.mark.skipif(not TRAIN.is_file(), reason="the ANERcorp training split is not here")
def test_training_is_deterministic(tmp_path):
    # a slice of the training split, trained twice: the same bytes (the shipped model's
    # checksum can then be checked against what the script makes)
    seqs = names.training_sequences(read_iob(TRAIN)[:120])
    a = names.train(seqs, tmp_path / "a.crfsuite", max_iterations=20)
    b = names.train(seqs, tmp_path / "b.crfsuite", max_iterations=20)
    assert a.read_bytes() == b.read_bytes()
    assert json.loads(names.MODEL_INFO.read_text(encoding="utf-8"))["training"]["sha256"] == \
        hashlib.sha256(TRAIN.read_bytes()).hexdigest()


def test_tagging_with_the_weighed_features_only_gives_the_same_tags():
    # the tagger keeps only the features the model weighs (faster); CRFsuite ignores the
    # others, so every tag of real articles must be the same as with all the features
    from akhbar.layers.entities import entity_columns
    from akhbar.scan import scan
    from conftest import shared_path

    folder = shared_path("dev/articles", "real articles to tag")
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))[:6]]
    sc = scan(texts)
    ents = entity_columns(sc)
    t = names.tagger()
    every = ["O"] * sc.tok_start.size
    for a, seq in names.sentence_features(sc, ents):
        if len(seq) > 1 or sc.tok_kind[a] != names.MARK:
            every[a:a + len(seq)] = t.tag(seq)
    weighed = names.sentence_features(sc, ents, model="")
    assert sum(map(len, (f for _a, seqs in weighed for f in seqs))) < \
        0.8 * sum(map(len, (f for _a, seqs in names.sentence_features(sc, ents) for f in seqs)))
    assert names.propagate(every, sc.words, sc.tok_doc.tolist()) == names.tag_tokens(sc, ents)
    assert sum(tag != "O" for tag in every) > 100


def test_what_a_word_is_called_elsewhere_in_its_article_is_a_feature():
    # «دوبريه» follows a title once; the other sentence, where it stands alone, sees that
    sc = akhbar.scan.scan(["قال الوزير دوبريه إن الخطة جاهزة. وأضاف دوبريه أنها تنتظر", "وأضاف دوبريه أنها تنتظر"])
    feats = names.sentence_features(sc)
    second = feats[1][1][1]  # «دوبريه» in the second sentence of the first text
    alone = feats[2][1][1]  # the same sentence alone in another text
    assert "d<title" in second and "dn=2" in second
    assert "d<title" not in alone and "dn=1" in alone


def test_a_rare_word_that_ends_a_name_in_its_article_is_a_person_there_too():
    words = ["وقال", "سيغموند", "فرويد", "ان", "فرويد", "ولد", "و", "فرويد"]
    tags = ["O", "B-PERS", "I-PERS", "O", "O", "O", "O", "O"]
    assert names.propagate(tags, words, [0] * 6 + [1] * 2) == \
        ["O", "B-PERS", "I-PERS", "O", "B-PERS", "O", "O", "O"]  # not in another document
    # a common word is left alone even after it ended a name («حسن»)
    assert names.propagate(["B-PERS", "I-PERS", "O"], ["علي", "حسن", "حسن"], [0] * 3) == ["B-PERS", "I-PERS", "O"]


def test_an_organisation_tagged_once_is_tagged_where_its_words_stand_again_in_the_article():
    words = ["قال", "البنك", "التجاري", "ان", "للبنك", "التجاري", "فروعا", "البنك", "المركزي", "البنك", "التجاري"]
    tags = ["O", "B-ORG", "I-ORG"] + ["O"] * 8
    assert names.propagate(tags, words, [0] * 9 + [1] * 2) == \
        ["O", "B-ORG", "I-ORG", "O", "B-ORG", "I-ORG", "O", "O", "O", "O", "O"]  # «البنك المركزي» is another
