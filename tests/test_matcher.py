"""Phrase matching (akhbar.matcher): payload columns, leftmost-longest, one pass for every layer."""

import numpy as np
import pandas as pd
import pytest

from akhbar.matcher import PhraseMatcher, find_all
from akhbar.pipeline.engine import layer_matchers
from akhbar.scan import scan


def surfaces(sc, found):
    return [sc.text[s:e] for s, e in zip(found.start.tolist(), found.end.tolist())]


def test_payload_columns_travel_with_the_matches():
    table = pd.DataFrame({"form": ["حفتر", "صدام حفتر", "تركيا"], "id": ["haftar", "saddam_haftar", "turkey"]})
    m = PhraseMatcher.from_table(table, "form", ["id"])
    sc = scan("التقى صدام حفتر في أنقرة مسؤولين من تركيا، ثم عاد حفتر")
    found = m.find_in(sc)
    assert surfaces(sc, found) == ["صدام حفتر", "تركيا", "حفتر"]  # the longest at each place
    assert m.columns["id"][found.entry].tolist() == ["saddam_haftar", "turkey", "haftar"]


def test_proclitics_and_open_forms():
    m = PhraseMatcher([("ليبيا", "ly"), ("عسكري*", "mil")])
    sc = scan("وصلت قوات عسكرية إلى طرابلس لليبيا وبليبيا")
    found = m.find_in(sc)
    assert surfaces(sc, found) == ["عسكرية", "لليبيا", "وبليبيا"]
    assert found.prefix.tolist() == ["", "ل", "وب"]


def test_a_payload_column_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="payload column 'id' has 1 values for 2 entries"):
        PhraseMatcher([("تركيا", 0), ("قطر", 1)], {"id": np.array(["tr"])})


def test_per_key_first_and_any():
    # two entries share a form: the key's first entry, and whether any of them is dated
    m = PhraseMatcher([("حكومة طرابلس", 0), ("حكومة طرابلس", 1), ("ليبيا", 2)])
    key = m.find_in(scan("حكومة طرابلس في ليبيا")).key
    dated = m.per_key(np.array([False, True, False]), "any")
    assert dated[key].tolist() == [True, False]
    assert m.per_key(np.array(["gna", "gnu", "libya"]))[key].tolist() == ["gna", "libya"]
    assert m.key_entries[key[0]] == [0, 1]


def test_names_inside_a_title_only_where_allowed():
    m = PhraseMatcher([("وزير خارجية تركيا", "title"), ("تركيا", "name"), ("وزير", "noun")],
                      inner=np.array([False, True, False]))
    sc = scan("قال وزير خارجية تركيا")
    title = m.find_in(sc)
    inner, owner = m.find_inside(sc, title.vstart, title.key)
    assert surfaces(sc, inner) == ["تركيا"] and owner.tolist() == [0]


def test_one_pass_for_all_layers_finds_what_each_finds_alone(articles):
    texts = list(articles["text"])
    matchers = layer_matchers()
    together = find_all(scan(texts), matchers)
    for m, found in zip(matchers, together):
        alone = m.find_in(scan(texts))
        for col in ("start", "end", "entry", "key"):
            assert getattr(found, col).tolist() == getattr(alone, col).tolist()
    assert sum(len(f) for f in together) > 500  # the seeds hold hundreds of matches
