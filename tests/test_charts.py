"""Charts: what they plot (their data), and Arabic joined and right to left in the saved PNG."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from arabic_reshaper import reshape  # noqa: E402
from bidi import get_display  # noqa: E402

import akhbar  # noqa: E402
from akhbar.views import charts, style as plot  # noqa: E402
from akhbar.views.style import NATIVE_RTL, label  # noqa: E402
from pixels import best_column, components, ink, render  # noqa: E402

A2025, A2020 = "000_36100a86710d4ed9", "004_89c82ba38a398626"
TITLES = {  # chart -> the Arabic first line of its title
    "actor_bars": "الفاعلون الأكثر ذكراً في كل مقال",
    "theme_shares": "موضوعات الفقرات في كل مقال",
    "keyness": "الكلمات المفتاحية",
    "framing_by_target": "التأطير حسب الفاعل المستهدف",
    "network": "الفاعلون المذكورون في الفقرة نفسها",
    "timeline": "الأحداث المؤرخة في المقالات",
    "theme_strip": "موضوعات المقال فقرةً فقرة",
}


@pytest.fixture(scope="module")
def data(articles):
    akhbar.setup_workbook()
    paras = akhbar.paragraphs(articles)
    return {"articles": articles, "paras": paras, "spans": akhbar.annotate(articles),
            "tokens": akhbar.tokens(articles), "themes": akhbar.paragraph_themes(articles, paras)}


def draw(name, d):
    a = d["articles"]
    return {
        "actor_bars": lambda: charts.plot_actor_bars(d["spans"], a),
        "theme_shares": lambda: charts.plot_theme_shares(d["themes"], a),
        "keyness": lambda: charts.plot_keyness(d["tokens"], a, A2020),
        "framing_by_target": lambda: charts.plot_framing_by_target(d["spans"], a),
        "network": lambda: charts.plot_network(d["spans"], d["paras"], a),
        "timeline": lambda: charts.plot_timeline(d["spans"], a),
        "theme_strip": lambda: charts.plot_theme_strip(d["themes"], a),
    }[name]()


def title_artist(fig):
    sup = fig._suptitle
    return sup if sup is not None and sup.get_text() else fig.axes[0].title


def first_line_mask(fig, artist, path):
    """Ink of the first line of ``artist`` cut from the chart saved as PNG at 100 dpi."""
    fig.set_dpi(100)
    fig.savefig(path, dpi=100)
    img = plt.imread(path)
    bb = artist.get_window_extent(fig.canvas.get_renderer())
    lines = artist.get_text().count("\n") + 1
    h = img.shape[0]
    top, bottom = int(h - bb.y1) - 1, int(h - bb.y1 + bb.height / lines) + 1
    return ink(img[max(0, top):bottom, max(0, int(bb.x0) - 1):int(bb.x1) + 1])


def word_positions(mask, phrase, size):
    """Columns where the first and second words of ``phrase`` best fit the mask, and the fit."""
    w1, w2 = phrase.split()[:2]
    n1 = render(label(w1), size)
    x1, x2 = best_column(mask, n1), best_column(mask, render(label(w2), size))
    region = np.zeros((max(mask.shape[0], n1.shape[0]) + 2, mask.shape[1] + 2 * n1.shape[1]), bool)
    region[1:mask.shape[0] + 1, n1.shape[1]:n1.shape[1] + mask.shape[1]] = mask
    grown = region.copy()  # one pixel of tolerance for anti-aliasing and sub-pixel placement
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            grown |= np.roll(np.roll(region, dy, axis=0), dx, axis=1)
    region = grown
    best = max((region[y:y + n1.shape[0], x1 + n1.shape[1]:x1 + 2 * n1.shape[1]] & n1).sum()
               for y in range(region.shape[0] - n1.shape[0] + 1))
    return x1, x2, best / n1.sum()


class TestChartData:
    def test_actor_bars(self, data):
        fig = charts.plot_actor_bars(data["spans"], data["articles"])
        t = fig.akhbar_data
        assert t.loc["qatar", A2020] == 13 and t.loc["turkey", A2025] == 11
        ticks = [x.get_text() for x in fig.axes[0].get_yticklabels()]
        # the seeds write «حفتر» more often than «خليفة حفتر»: the chart uses their own word, not the gazetteer's
        assert ticks[t.index.get_loc("khalifa_haftar")] == label("حفتر") + "\nKhalifa Haftar"
        legend = [x.get_text() for x in fig.legends[0].get_texts()]
        assert label("2020-07-21 التغيير") in legend
        bars = [p.get_width() for p in fig.axes[0].patches]
        assert sorted(bars) == sorted(t.to_numpy().ravel().tolist())
        plt.close(fig)

    def test_theme_shares(self, data):
        fig = charts.plot_theme_shares(data["themes"], data["articles"])
        m = fig.akhbar_data
        assert np.allclose(m.sum(axis=1), 1.0)
        assert sum(p.get_width() for p in fig.axes[0].patches) == pytest.approx(2.0)
        plt.close(fig)

    def test_keyness(self, data):
        fig = charts.plot_keyness(data["tokens"], data["articles"], A2020, n=5)
        right = [x.get_text() for x in fig.axes[1].get_yticklabels()]
        assert right[:2] == [label("قطر"), label("الدوحة")]
        assert set(fig.akhbar_data["side"]) == {"target", "reference"} and len(fig.akhbar_data) == 10
        plt.close(fig)

    def test_framing_by_target(self, data):
        fig = charts.plot_framing_by_target(data["spans"], data["articles"])
        t = fig.akhbar_data.set_index(["article_id", "target"])
        # targets read from the text: «لمقاتليه» and «مستثنياً حفتر» are Haftar's (codebook R4);
        # «قوات ... خليفة حفتر», like «قوات شرق ليبيا», frames the force he commands, the LNA
        assert t.loc[(A2020, "lna"), "-"] == 2 and t.loc[(A2020, "khalifa_haftar"), "-"] == 2
        ax2020 = fig.axes[[a.get_title() for a in fig.axes].index(label("2020-07-21 التغيير"))]
        assert sum(p.get_width() for p in ax2020.patches) == t.loc[A2020, "total"].sum()
        # cues with no target are drawn apart, in their own last row, not spread over actors
        ticks = [x.get_text() for x in ax2020.get_yticklabels()]
        assert ticks[-1] == "(no target)" and t.loc[(A2020, "(none)"), "total"] > 0
        plt.close(fig)

    def test_network(self, data):
        fig = charts.plot_network(data["spans"], data["paras"], data["articles"], top=10)
        g = fig.akhbar_data
        assert g.number_of_nodes() == 10 and g["khalifa_haftar"]["turkey"]["weight"] == 7
        texts = [t.get_text() for t in fig.axes[0].texts]
        assert "صدام حفتر\nSaddam Haftar" in texts  # Arabic name over English, as drawn by matplotlib >= 3.11
        plt.close(fig)

    def test_timeline(self, data):
        fig = charts.plot_timeline(data["spans"], data["articles"])
        ticks = [x.get_text() for x in fig.axes[0].get_yticklabels()]
        # the seeds' dated expressions, read off the two texts, earliest first («عام 2020» is the whole year)
        assert ticks == ["عام 2020", "وفي 18 يونيو الماضي", "وفي 23 يونيو", "في 4 يوليو الجاري", "في 8 يوليو الجاري",
                         "في 19 يوليو", "في 20 يوليو 2020", "في 20 يوليو", "هذا الأسبوع", "العام الماضي",
                         "في أكتوبر الماضي"]
        assert {"2020-07-20", "2024-10"} <= {t.get_text() for t in fig.axes[0].texts}
        plt.close(fig)

    def test_theme_strip(self, data):
        fig = charts.plot_theme_strip(data["themes"], data["articles"])
        kept = fig.akhbar_data
        n_cells = kept["themes"].str.split("|").str.len().sum()
        assert len(fig.axes[0].patches) == n_cells
        assert not kept["zone"].isin(["byline", "boilerplate"]).any()
        plt.close(fig)


@pytest.mark.parametrize("name", list(TITLES))
def test_saved_png_arabic_joined_and_rtl(name, data, tmp_path):
    fig = draw(name, data)
    paths = akhbar.save_fig(fig, name, tmp_path)
    assert all(p.stat().st_size > 1000 for p in paths)
    artist = title_artist(fig)
    assert artist.get_text().split("\n")[0] == label(TITLES[name])
    mask = first_line_mask(fig, artist, tmp_path / "check.png")
    x1, x2, fit = word_positions(mask, TITLES[name], artist.get_fontsize())
    plt.close(fig)
    assert x1 > x2, f"{name}: first word drawn left of the second ({x1} <= {x2})"
    assert fit > 0.8, f"{name}: the joined first word is not found in the chart ({fit:.2f})"


def test_tick_label_joined_and_rtl(data, tmp_path):
    fig = charts.plot_actor_bars(data["spans"], data["articles"])
    # the first actor named in two words (the seeds' «حكومة الوفاق»)
    tick = next(t for t in fig.axes[0].get_yticklabels() if len(t.get_text().split("\n")[0].split()) == 2)
    words = tick.get_text().split("\n")[0]
    mask = first_line_mask(fig, tick, tmp_path / "tick.png")
    x1, x2, fit = word_positions(mask, words, tick.get_fontsize())
    plt.close(fig)
    assert x1 > x2 and fit > 0.8
    joined = components(render(label("خليفة"), tick.get_fontsize()))
    assert joined <= components(render(" ".join("خليفة"), tick.get_fontsize())) - 2


def test_reshaped_chart_fails_the_check(data, tmp_path, monkeypatch):
    if not NATIVE_RTL:
        pytest.skip("old matplotlib draws reshaped text in order")
    def reshaped(s):
        return get_display(reshape(s)) if isinstance(s, str) else s

    monkeypatch.setattr(charts, "label", reshaped)
    monkeypatch.setattr(plot, "label", reshaped)  # the bilingual title is drawn by plot.title
    fig = charts.plot_actor_bars(data["spans"], data["articles"])
    mask = first_line_mask(fig, title_artist(fig), tmp_path / "bad.png")
    x1, x2, _fit = word_positions(mask, TITLES["actor_bars"], title_artist(fig).get_fontsize())
    plt.close(fig)
    assert not x1 > x2


def test_actors_are_labelled_as_the_articles_name_them_never_by_a_coded_label():
    """«فرنسا» twice beats the gazetteer's first form «الجمهورية الفرنسية»; «برلمان طبرق», which
    the framing lexicon codes as a localising label, never names the House of Representatives,
    even in an article that calls it nothing else (the gazetteer's plain name is used)."""
    from akhbar.analysis.naming import own_names

    arts = akhbar.inputs.as_articles([
        "صوت برلمان طبرق على القرار، وقال رئيس مجلس النواب الليبي إن برلمان طبرق سيجتمع. "
        "وأكدت فرنسا دعمها، وقالت الجمهورية الفرنسية إن فرنسا ستشارك.",
        "أعلن برلمان طبرق تأجيل الجلسة."])
    spans = akhbar.annotate(arts)
    own = own_names(spans)
    assert own["france"] == "فرنسا" and own["hor"] == "مجلس النواب الليبي"
    alone = own_names(spans[spans["article_id"] == "text2"])
    assert "hor" not in alone
    assert charts.actor_label("hor", alone).split("\n")[0] == label("مجلس النواب الليبي")


def test_themes_say_what_the_paragraph_is_about():
    """«سيطرته» (a pronoun on سيطرة) gives a fighting title its theme; the army named once is
    no theme at all; only cooperation between forces is MIL, fighting by them is WAR."""
    import pandas as pd

    arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a"], "text": [
        "الجيش يعلن سيطرته على المدينة\n"
        "وصل قائد الجيش إلى العاصمة مساء أمس.\n"
        "وقع البلدان اتفاقية تعاون عسكري تشمل مناورات مشتركة.\n"
        "قصفت القوات مواقع المسلحين وقتل عشرة جنود في الاشتباكات."]}))
    themes = akhbar.paragraph_themes(arts)
    assert themes["themes"].tolist() == ["WAR", "NONE", "MIL", "WAR"]
