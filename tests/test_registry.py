"""The layer registry: the engine runs the layers asked for and what they require, and every
exporter covers every registered layer (a layer nobody registered is refused, never dropped
or read back as another)."""

import dataclasses
import re

import pandas as pd
import pytest
from openpyxl import load_workbook

import akhbar
from akhbar.io.brat import read_ann, to_brat
from akhbar.io.edits import correction_rows
from akhbar.io.export import write_spans
from akhbar.io.inception import article_cas, cas_spans
from akhbar.layers import registry
from akhbar.layers.registry import Field, Layer, UnknownLayer
from akhbar.pipeline.engine import annotate_texts
from akhbar.views.highlight import highlight_html

KEY = ["layer", "start", "end", "label"]


@pytest.fixture(scope="module")
def spans(articles):
    return akhbar.annotate(articles)


def _boom(run):
    raise AssertionError("the entity layer ran")


def test_a_layer_runs_with_what_it_requires_only(monkeypatch):
    text = "قال أردوغان في 5 مايو 2021 إن تركيا تدعم طرابلس"
    table = tuple(dataclasses.replace(lay, columns=_boom) if lay.name == "entity" else lay
                  for lay in registry.TABLE)
    monkeypatch.setattr(registry, "TABLE", table)
    dates = annotate_texts(["a1"], [text], layers=("date",))
    assert dates[["surface", "layer", "value"]].values.tolist() == [["في 5 مايو 2021", "date", "2021-05-05"]]
    with pytest.raises(AssertionError, match="entity layer ran"):  # quotes need speakers
        annotate_texts(["a1"], [text], layers=("quote",))


def test_the_run_order_follows_what_layers_read():
    order = lambda layers: [lay.name for lay in registry.run_order(layers)]  # noqa: E731
    assert order(("date",)) == ["date"]
    assert order(("group",)) == ["entity", "group"]
    assert order(registry.names_of()) == ["entity", "date", "name", "quote", "group", "framing"]
    assert order(("quote", "name")) == ["entity", "name", "quote", "framing"]
    with pytest.raises(UnknownLayer, match="no layer 'theme' in the layer registry"):
        order(("date", "theme"))


def test_vocabularies_are_the_layer_modules(spans):
    from akhbar.layers import entities, framing

    assert registry.layer("framing").labels is framing.CODES
    assert registry.layer("entity").types is entities.TYPES
    for lay in registry.table():  # every label the seeds have is in its layer's vocabulary
        found = set(spans.loc[spans["layer"] == lay.name, "label"])
        assert found <= set(lay.labels), (lay.name, found - set(lay.labels))


def _exports(articles, spans, tmp_path):
    """What every exporter makes of ``spans`` (of the first seed), read back as
    ``layer, start, end, label`` rows, by exporter; an exporter may raise instead."""
    aid = articles["article_id"].iat[0]
    text = articles["text"].iat[0]
    mine = spans[spans["article_id"] == aid].reset_index(drop=True)
    out = {}

    def run(name, fn):
        try:
            out[name] = fn()
        except UnknownLayer as exc:
            out[name] = exc

    def brat():
        [ann] = to_brat(articles.head(1), mine, tmp_path / "brat")
        return read_ann(ann, text)[KEY]

    def inception():
        return cas_spans(article_cas(text, mine))[KEY]

    def excel():
        path = write_spans(mine, tmp_path / "spans.xlsx")
        book = load_workbook(path)
        rows = []
        for sheet in book.worksheets:
            values = list(sheet.values)
            rows += [dict(zip(values[0], v)) for v in values[1:]]
        return pd.DataFrame(rows, columns=mine.columns)[KEY].assign(label=lambda d: d["label"].fillna(""))

    def highlighter():
        page = highlight_html(text, mine, layers=mine["layer"].unique())
        return len(re.findall(r"<mark (?:id=\"[^\"]*\" )?style=\"[^\"]*\" title=", page))

    def edits():
        auto = mine.copy()
        auto.attrs = {}
        return correction_rows(auto, auto.iloc[:-1], text)

    for name, fn in [("brat", brat), ("inception", inception), ("excel", excel), ("highlighter", highlighter),
                     ("edits", edits)]:
        run(name, fn)
    return mine, out


def _rows(df):
    return sorted(map(tuple, df[KEY].astype(str).values.tolist()))


def _check_covered(mine, out):
    for name in ("brat", "inception", "excel"):
        assert _rows(out[name]) == _rows(mine), name
    assert out["highlighter"] >= len(mine)  # a span crossing another's edge is drawn in pieces
    [row] = out["edits"]  # the last span, left out in the tool: one reject of its own layer
    assert (row["action"], row["layer"], row["start"]) == ("reject", mine["layer"].iat[-1], mine["start"].iat[-1])


def test_every_exporter_covers_every_registered_layer(articles, spans, tmp_path):
    mine, out = _exports(articles, spans, tmp_path)
    for lay in registry.table():  # every layer with rows of its own is in the seed, so in every export
        if not lay.rows_in:
            assert (mine["layer"] == lay.name).any(), lay.name
    _check_covered(mine, out)


FAKE = Layer("fake_count", "A count (a layer only this test registers)", lambda run: None, labels=("NUM",),
             fields=(Field("label", "kind", "NUM"), Field("value", "value", "its value"), Field("note", "note", "")),
             colour="#123456", shown_as="count", brat="Fakecount_", inception="Fakecount")


def _with_count(articles, spans, layer_name):
    """The first seed's spans with one more row, «2020» on a layer ``layer_name``."""
    aid, text = articles["article_id"].iat[0], articles["text"].iat[0]
    at = text.index("2020")
    row = {**dict.fromkeys(spans.columns, ""), "article_id": aid, "start": at, "end": at + 4, "surface": "2020",
           "layer": layer_name, "label": "NUM", "value": "2020", "paragraph": 0, "counts": False}
    return pd.concat([pd.DataFrame([row]), spans], ignore_index=True)


def test_a_registered_layer_goes_through_every_exporter(articles, spans, tmp_path, monkeypatch):
    monkeypatch.setattr(registry, "TABLE", registry.TABLE + (FAKE,))
    mine, out = _exports(articles, _with_count(articles, spans, "fake_count"), tmp_path)
    _check_covered(mine, out)  # the «2020» row comes back on its layer from brat, INCEpTION, Excel
    assert load_workbook(tmp_path / "spans.xlsx").sheetnames[-1] == "fake_count"  # after the registry's layers


def test_a_layer_nobody_registered_is_refused_by_every_exporter(articles, spans, tmp_path):
    mine, out = _exports(articles, _with_count(articles, spans, "fake_count"), tmp_path)
    for name, got in out.items():
        assert isinstance(got, UnknownLayer), name
        assert "'fake_count'" in str(got), name


def test_a_brat_type_of_no_layer_is_refused(tmp_path):
    ann = akhbar.files.write_text(tmp_path / "a.ann", "T1\tState 4 9\tتركيا\nT2\tFakecount_NUM 0 3\tقال\n")
    with pytest.raises(UnknownLayer, match=r"a\.ann: line 2: brat type 'Fakecount_NUM' is no layer's"):
        read_ann(ann, "قال تركيا")
