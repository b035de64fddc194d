"""Chart layout on any input: legends never cover a title or the data, tick labels never
collide, on the seed pair, on one article alone and on the twelve unseen dev articles.

Boxes are the rendered extents (matplotlib's renderer, in pixels) of the drawn artists.
"""


import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

import akhbar  # noqa: E402
from akhbar.views import charts, corpus_charts  # noqa: E402
from conftest import shared_path  # noqa: E402

CHARTS = ["actor_bars", "theme_shares", "keyness", "framing_by_target", "network", "timeline", "theme_strip"]
SLACK = 1.0  # pixels: anti-aliasing lets neighbouring boxes touch


def _dev_articles():
    return akhbar.load_articles(shared_path("dev/articles", "the charts must be checked on unseen articles"))


def _tables(articles):
    paras = akhbar.paragraphs(articles)
    return {"articles": articles, "paras": paras, "spans": akhbar.annotate(articles),
            "tokens": akhbar.tokens(articles), "themes": akhbar.paragraph_themes(articles, paras)}


@pytest.fixture(scope="module", params=["seeds", "one article", "dev"])
def tables(request, articles):
    akhbar.setup_workbook()
    if request.param == "seeds":
        return _tables(articles)
    if request.param == "one article":
        return _tables(articles.iloc[:1].reset_index(drop=True))
    return _tables(_dev_articles())


def _draw(name, t):
    a = t["articles"]
    first = charts.article_order(a)[0]
    return {
        "actor_bars": lambda: charts.plot_actor_bars(t["spans"], a),
        "theme_shares": lambda: charts.plot_theme_shares(t["themes"], a),
        "keyness": lambda: charts.plot_keyness(t["tokens"], a, first),
        "framing_by_target": lambda: charts.plot_framing_by_target(t["spans"], a),
        "network": lambda: charts.plot_network(t["spans"], t["paras"], a),
        "timeline": lambda: charts.plot_timeline(t["spans"], a),
        "theme_strip": lambda: charts.plot_theme_strip(t["themes"], a),
    }[name]()


def _box(artist, renderer) -> Bbox | None:
    if not artist.get_visible() or (hasattr(artist, "get_text") and not artist.get_text().strip()):
        return None
    box = artist.get_window_extent(renderer)
    return box if box.width > 0 and box.height > 0 else None


def _clash(a: Bbox, b: Bbox) -> bool:
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > SLACK) and (min(a.y1, b.y1) - max(a.y0, b.y0) > SLACK)


def _named_boxes(fig, renderer, besides=None):
    """What a legend must not cover: titles, axis labels, tick labels, plotting areas, texts
    (of every axes but ``besides``)."""
    out = []
    texts = [fig._suptitle] if fig._suptitle is not None else []
    for ax in fig.axes:
        if ax is besides or not ax.get_visible() or not ax.axison and not ax.texts and not ax.collections:
            continue
        texts += [ax.title, *ax.texts]
        if ax.axison:
            texts += [ax.xaxis.label, ax.yaxis.label, *ax.get_xticklabels(), *ax.get_yticklabels()]
        if ax.axison or ax.collections:
            out.append((f"plotting area of {ax.get_title()[:30]!r}", ax.get_window_extent(renderer)))
    for t in texts:
        box = _box(t, renderer)
        if box is not None:
            out.append((repr(t.get_text()[:40]), box))
    return out


TICKED = [c for c in CHARTS if c != "network"]
"""Charts with axes and tick labels (the network is drawn without axes)."""


def _nothing_to_compare(name, tables) -> bool:
    """Keyness on one article draws no chart, only a note saying why (a second group is needed)."""
    if name != "keyness" or len(tables["articles"]) > 1:
        return False
    fig = _draw(name, tables)
    notes = [t.get_text() for ax in fig.axes for t in ax.texts]
    plt.close(fig)
    assert notes == ["Keyness compares two groups of articles; only one article was given."]
    assert "Not drawn" in fig.akhbar_caption
    return True


@pytest.mark.parametrize("name", CHARTS)
def test_legends_cover_no_title_and_no_data(name, tables):
    if _nothing_to_compare(name, tables):
        return
    fig = _draw(name, tables)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    others = _named_boxes(fig, renderer)
    for legend in legends:
        box = legend.get_window_extent(renderer)
        clashes = [what for what, other in others if _clash(box, other)]
        assert not clashes, f"{name}: the legend covers {clashes}"
    # a chart of many articles is a heat map: its colour bar stands for the legend
    bars = [ax for ax in fig.axes if hasattr(ax, "_colorbar")]
    for bar in bars:
        box = bar.get_window_extent(renderer)
        clashes = [what for what, other in _named_boxes(fig, renderer, besides=bar) if _clash(box, other)]
        assert not clashes, f"{name}: the colour bar covers {clashes}"
    assert legends or bars, f"{name}: neither a legend nor a colour bar to check"
    assert others, f"{name}: nothing a legend could cover"
    plt.close(fig)


@pytest.mark.parametrize("name", TICKED)
def test_tick_labels_and_titles_do_not_collide(name, tables):
    if _nothing_to_compare(name, tables):
        return
    fig = _draw(name, tables)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    pairs = 0  # tick labels compared with each other or with their axis label
    for ax in fig.axes:
        if not ax.axison:
            continue
        for ticks, axis_label in ((ax.get_xticklabels(), ax.xaxis.label), (ax.get_yticklabels(), ax.yaxis.label)):
            boxes = [(t.get_text(), b) for t in ticks if (b := _box(t, renderer)) is not None]
            for i, (ta, a) in enumerate(boxes):
                for tb, b in boxes[i + 1:]:
                    pairs += 1
                    assert not _clash(a, b), f"{name}: tick labels {ta!r} and {tb!r} overlap"
            label_box = _box(axis_label, renderer)
            if label_box is not None:
                pairs += len(boxes)
                hit = [t for t, b in boxes if _clash(b, label_box)]
                assert not hit, f"{name}: tick labels {hit} overlap the axis label"
    assert pairs > 0, f"{name}: no tick labels to compare"
    titles = [t for t in [fig._suptitle, *(ax.title for ax in fig.axes)] if t is not None]
    boxes = [(t.get_text(), b) for t in titles if (b := _box(t, renderer)) is not None]
    for i, (ta, a) in enumerate(boxes):
        for tb, b in boxes[i + 1:]:
            assert not _clash(a, b), f"{name}: titles {ta!r} and {tb!r} overlap"
    plt.close(fig)


def test_the_network_titles_do_not_collide(tables):
    """The network has no axes: its title is checked against the legend's other texts."""
    fig = _draw("network", tables)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    titles = [(t.get_text(), b) for t in [fig._suptitle, *(ax.title for ax in fig.axes)]
              if t is not None and (b := _box(t, renderer)) is not None]
    texts = [(t.get_text(), b) for legend in fig.legends for t in legend.get_texts()
             if (b := _box(t, renderer)) is not None]
    assert titles and texts
    hit = [(a, b) for a, x in titles for b, y in texts if _clash(x, y)]
    assert not hit, f"network: titles overlap legend texts {hit}"
    plt.close(fig)


def test_one_colour_per_article_in_every_chart(tables):
    """An article's colour is the same in every chart; twelve articles get twelve colours."""
    colors = charts.article_colors(tables["articles"])
    assert len(set(colors.values())) == min(len(colors), len(charts.ARTICLE_COLORS))
    fig = charts.plot_network(tables["spans"], tables["paras"], tables["articles"])
    names = akhbar.article_labels(tables["articles"])
    for legend in fig.legends:
        for handle, text in zip(legend.legend_handles, legend.get_texts()):
            aid = next((a for a, n in names.items() if text.get_text().startswith(akhbar.label(n))), None)
            if aid is not None:
                assert matplotlib.colors.to_hex(handle.get_facecolor()) == colors[aid]
    plt.close(fig)


def test_partial_dates_are_spans_not_first_days(articles):
    """«عام 2020» covers 2020 and is drawn at its middle, never on 1 January."""
    tables = _tables(articles)
    fig = charts.plot_timeline(tables["spans"], articles)
    tl = fig.akhbar_data
    years = tl[tl["precision"] == "year"]
    assert len(years) and (years["period_end"] - years["period_start"]).dt.days.isin([365, 366]).all()
    assert (years["middle"].dt.month.isin([6, 7])).all()
    days = tl[tl["precision"] == "day"]
    assert (days["middle"] == days["period_start"]).all()
    plt.close(fig)


def test_captions_are_written_from_the_data(articles):
    tables = _tables(articles)
    fig = charts.plot_actor_bars(tables["spans"], articles, top=5)
    assert fig.akhbar_caption.startswith("**Actors.** The 5 most named actors of 2 articles")
    # Libya is named 6 + 20 times in the seeds (counted by hand, see test_annotate's actor counts)
    assert "Most named in all: Libya (<bdi>ليبيا</bdi>) 26;" in fig.akhbar_caption
    plt.close(fig)
    one = articles.iloc[:1].reset_index(drop=True)
    fig = charts.plot_network(_tables(one)["spans"], _tables(one)["paras"], one, top=6)
    assert "The 6 most named actors" in fig.akhbar_caption and "sixteen" not in fig.akhbar_caption
    plt.close(fig)


def _corpus_figures():
    """Notebook 05's charts on tables with uneven months: 2019-04, 2019-05 and 2021-01,
    and undated articles."""
    months = ["2019-04", "2019-05", "2021-01", "unknown"]
    mentions = pd.DataFrame({"month": months * 2, "outlet": "x",
                             "canonical_id": ["turkey"] * 4 + ["qatar"] * 4, "mentions": [3, 1, 4, 2, 0, 5, 1, 1]})
    labels = pd.DataFrame({"month": months, "label": ["المشير", "المشير", "اللواء المتقاعد", "المشير"],
                           "n": [2, 1, 3, 1]})
    shares = pd.DataFrame({"MIL": [0.5, 1.0, 0.25, 0.5], "DIP": [0.5, 0.0, 0.75, 0.5]}, index=months)
    return {"corpus_mentions": corpus_charts.plot_corpus_mentions(mentions, ["turkey", "qatar"]),
            "corpus_labels": corpus_charts.plot_label_years(labels, "title cues for Khalifa Haftar"),
            "corpus_themes": corpus_charts.plot_corpus_themes(shares)}


def test_corpus_charts_keep_true_time_and_clear_legends():
    figs = _corpus_figures()
    mentions = figs["corpus_mentions"]
    line = mentions.axes[0].lines[0]
    x = [pd.Timestamp(v) for v in line.get_xdata()]
    # one point a month from 2019-04 to 2021-01 (gaps are NaN): April and May 2019 are a month
    # apart, May 2019 and January 2021 twenty months apart, as on a calendar
    assert len(x) == 22
    assert [d.strftime("%Y-%m") for d in (x[0], x[1], x[-1])] == ["2019-04", "2019-05", "2021-01"]
    assert mentions.akhbar_data["turkey"].notna().sum() == 3  # the months with articles
    assert "unknown" not in mentions.akhbar_data.index and "3 mentions of undated articles" in mentions.akhbar_caption
    themes = figs["corpus_themes"]
    bars = themes.axes[0].patches
    assert not themes.axes[0].collections  # bars, not a stacked area drawing wedges between months
    lefts = sorted({round(b.get_x()) for b in bars})
    assert len(lefts) == 3 and (lefts[2] - lefts[1]) > 15 * (lefts[1] - lefts[0])
    assert list(figs["corpus_labels"].akhbar_data.index) == [2019, 2021]
    for name, fig in figs.items():
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        others = _named_boxes(fig, renderer)
        for legend in fig.legends:
            box = legend.get_window_extent(renderer)
            assert not [w for w, o in others if _clash(box, o)], name
        plt.close(fig)


def test_network_labels_do_not_overlap(tables):
    """Every actor's label in the network is clear of every other: none hides a name."""
    fig = charts.plot_network(tables["spans"], tables["paras"], tables["articles"])
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text().replace("\n", " "), b) for ax in fig.axes for t in ax.texts
             if (b := _box(t, renderer)) is not None]
    assert len(boxes) >= min(2, fig.akhbar_data.number_of_nodes())
    for i, (ta, a) in enumerate(boxes):
        for tb, b in boxes[i + 1:]:
            assert not _clash(a, b), f"network: labels {ta!r} and {tb!r} overlap"
    plt.close(fig)


def _whole_time_ticks(ax) -> list[str]:
    """The ticks of a time axis that are not a whole year, month or day, as text."""
    import matplotlib.dates as mdates

    bad = []
    for t in ax.get_xticks():
        if ax.xaxis.converter is not None and isinstance(ax.xaxis.get_major_locator(), mdates.DateLocator):
            d = mdates.num2date(t)
            if (d.hour, d.minute, d.second) != (0, 0, 0):
                bad.append(d.isoformat())
        elif abs(t - round(t)) > 1e-9:
            bad.append(str(t))
    return bad


def test_every_time_axis_has_whole_year_or_month_ticks(tables):
    """Years, months or days, never 2017.68: one chart of the comparison and three of the corpus."""
    figs = {"timeline": charts.plot_timeline(tables["spans"], tables["articles"]), **_corpus_figures()}
    one_year = pd.DataFrame({"month": ["2018-03", "2018-07"], "label": ["المشير", "المشير"], "n": [2, 1]})
    figs["one year"] = corpus_charts.plot_label_years(one_year, "title cues")
    months = ["2018-02", "2018-03", "2018-05", "2018-10"]
    figs["months of one year"] = corpus_charts.plot_corpus_themes(pd.DataFrame({"MIL": [1.0] * 4}, index=months))
    for name, fig in figs.items():
        ax = fig.axes[0]
        fig.canvas.draw()
        ticks = ax.get_xticks()
        lo, hi = ax.get_xlim()
        shown = [t for t in ticks if lo <= t <= hi]
        assert shown, f"{name}: no tick on the time axis"
        assert not _whole_time_ticks(ax), f"{name}: ticks between whole days {_whole_time_ticks(ax)}"
        if name in ("corpus_labels", "one year"):  # years as plain numbers: whole ones, each a drawn year's
            assert all(float(t).is_integer() for t in shown), f"{name}: {shown}"
            assert set(int(t) for t in shown) <= set(range(2000, 2100)), f"{name}: {shown}"
        if name == "months of one year":
            import matplotlib.dates as mdates

            days = {mdates.num2date(t).day for t in shown}
            assert days == {1}, f"{name}: monthly data on day ticks {sorted(days)}"
        plt.close(fig)


def test_a_century_long_time_axis_ticks_in_years_without_a_flood_of_ticks(caplog):
    """A history article names 1917 and 2018: year ticks, and no minor tick per month."""
    import matplotlib.dates as mdates

    arts = akhbar.inputs.as_articles(pd.DataFrame({
        "article_id": ["a"], "published": pd.to_datetime(["2018-05-14"]),
        "text": ["ذكرى الوعد\nصدر وعد بلفور في عام 1917، وتظاهر الفلسطينيون في مايو 2018."]}))
    spans = akhbar.annotate(arts)
    fig = charts.plot_timeline(spans, arts)
    with caplog.at_level("WARNING", logger="matplotlib"):
        fig.canvas.draw()
    assert not [r for r in caplog.records if "MAXTICKS" in r.getMessage()]
    years = [mdates.num2date(t) for t in fig.axes[0].get_xticks()]
    assert years and all((d.month, d.day) == (1, 1) for d in years)
    plt.close(fig)
