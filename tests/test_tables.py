"""Long tables: paginated, sortable and searchable offline (DataTables from itables), right to
left, escaped; checked in the HTML and in Debian's headless Chromium on an exported page."""

import base64
import gzip
import importlib.util
import json
import os
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from akhbar.views import tables as display
from akhbar.views.tables import InteractiveTable, RTLTable, interactive_html, show_table

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
CITIES = ["مسقط", "بغداد", "عمان", "تونس", "قطر", "جدة", "صنعاء", "دمشق", "طرابلس", "رام الله",
          "الرباط", "نواكشوط"]
"""Twelve cities, ten rows each; their first letters sort the same by code point and by
the Unicode collation Chromium's DataTables uses."""
EVIL_TITLE = "<script>alert(2)</script> عنوان"
EVIL_SOURCE = "<img src=x onerror=alert(3)>"


def long_table() -> pd.DataFrame:
    rows = []
    for i in range(120):
        city = CITIES[i % len(CITIES)]
        title = f"المشير يزور {city}" if i % 7 == 0 else f"وفد رسمي في {city}"
        rows.append({"الرقم": f"r{i:03d}", "المدينة": city, "العنوان": EVIL_TITLE if i == 5 else title,
                     "المصدر": EVIL_SOURCE if i == 6 else "وكالة", "الكلمات": 1000 + i * 37})
    return pd.DataFrame(rows)


def payload(page: str) -> list[list[str]]:
    """The rows a table's script carries (gzip, base64), decoded as the page decodes them."""
    b64 = re.search(r'build\(box, "([A-Za-z0-9+/=]+)"\)', page).group(1)
    return json.loads(gzip.decompress(base64.b64decode(b64)).decode("utf-8"))


class TestChoice:
    def test_short_tables_stay_plain_and_whole(self):
        t = show_table(long_table().head(50))
        assert type(t) is RTLTable and t.max_rows is None
        assert t._repr_html_().count("<tr>") == 51 and "<script" not in t._repr_html_()

    def test_long_tables_are_interactive(self):
        t = show_table(long_table())
        assert type(t) is InteractiveTable
        assert show_table(long_table(), interactive_from=200).__class__ is RTLTable
        assert "r059" in repr(t) and "r060" not in repr(t)  # the plain text nbval compares: 60 rows

    def test_the_loader_comes_once_per_session(self, monkeypatch):
        monkeypatch.setattr(display, "_loader_sent", False)
        first, second = (show_table(long_table())._repr_html_() for _ in range(2))
        assert first.count("akhbarTables") > second.count("akhbarTables")
        assert first.startswith(display.loader_html()) and "akhbar=\"loader\"" not in second


class TestInteractiveHtml:
    @pytest.fixture(scope="class")
    def page(self):
        return interactive_html(long_table(), caption="المدن", loader=False)

    def test_rows_are_escaped_in_the_payload_and_the_preview(self, page):
        rows = payload(page)
        assert len(rows) == 120 and rows[0][:2] == ["r000", "مسقط"]
        assert rows[5][2] == "&lt;script&gt;alert(2)&lt;/script&gt; عنوان"
        assert rows[6][3] == "&lt;img src=x onerror=alert(3)&gt;"
        assert rows[1][4] == "1037" and rows[1][1] == "بغداد"
        assert "<script>alert" not in page and "<img" not in page
        assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page  # the preview shows it as text

    def test_right_to_left_with_arabic_headers(self, page):
        live = re.search(r'<div class="akhbar-live".*?</div>', page, re.S).group(0)
        assert 'hidden="hidden"' in live and '<table dir="rtl"' in live
        assert re.findall(r'<th dir="auto">(.*?)</th>', live) == ["الرقم", "المدينة", "العنوان", "المصدر",
                                                                  "الكلمات"]
        assert '<caption dir="auto">المدن</caption>' in live

    def test_preview_shows_the_first_rows_and_says_how_many(self, page):
        preview = re.search(r'<div class="akhbar-preview">(.*?)</div><div class="akhbar-live"', page, re.S).group(1)
        assert preview.count("<tr>") == 61 and ">r059<" in preview and ">r060<" not in preview
        assert "120 rows: showing the first 60" in preview

    def test_index_becomes_leading_columns(self):
        df = long_table().set_index(["المدينة", "الرقم"])
        page = interactive_html(df, loader=False)
        assert payload(page)[1][:3] == ["بغداد", "r001", "وفد رسمي في بغداد"]

    def test_same_html_every_run(self, page):
        assert interactive_html(long_table(), caption="المدن", loader=False) == page


# --- In the browser ------------------------------------------------------------------------
NOTEBOOK_CELLS = [
    "import pandas as pd\nfrom akhbar.views.tables import show_table",
    "import sys\nsys.path.insert(0, {tests!r})\nfrom test_tables import long_table\nshow_table(long_table())",
    "show_table(pd.DataFrame({{'الفاعل': ['تركيا', 'قطر']}}))",
    "show_table(long_table().set_index('المدينة').head(60), caption='الجدول الثاني')",
]


def _export_html():
    """The workbook runner's exporter (``akhbar.cli.runner`` or the script it grew from)."""
    try:
        from akhbar.cli.runner import export_html
    except ImportError:
        spec = importlib.util.spec_from_file_location("run_workbook", ROOT / "scripts" / "run_workbook.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        export_html = module.export_html
    return export_html


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    if not CHROMIUM.exists():
        msg = f"{CHROMIUM} not found: run `make browser` (Debian's chromium; never a downloaded browser)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    from nbclient import NotebookClient

    folder = tmp_path_factory.mktemp("tables")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 99 · Long tables")]
    nb.cells += [nbformat.v4.new_code_cell(c.format(tests=str(ROOT / "tests"))) for c in NOTEBOOK_CELLS]
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}},
                   env=env).execute()
    nb_path = folder / "99-tables.ipynb"
    nbformat.write(nb, nb_path)
    html_path = folder / "99-tables.html"
    _export_html()(nb_path, html_path)
    return html_path


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


def open_page(browser, path, scripts=True):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True, java_script_enabled=scripts)
    page = ctx.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri(), wait_until="load", timeout=15000)
    return page, dialogs, errors


def column(page, table, n):
    return page.locator(f"{table} tbody tr td:nth-child({n})").all_inner_texts()


def test_exported_page_sorts_and_searches_arabic(exported, browser):
    page, dialogs, errors = open_page(browser, exported)
    page.wait_for_function("document.querySelectorAll('div.akhbar-table[data-ready]').length === 2", timeout=15000)
    first = "div.akhbar-table >> nth=0"
    table = f"{first} >> table.akhbar-interactive"
    assert page.locator(table).get_attribute("dir") == "rtl"
    assert page.locator(f"{first} >> .akhbar-preview").is_hidden()
    assert page.locator(f"{table} tbody tr").count() == 25  # one page of 120 rows
    assert page.locator(f"{table} tbody td[dir='auto']").count() == 25 * 5
    assert "of 120 entries" in page.locator(f"{first} >> .dt-info").inner_text()

    page.locator(f"{table} thead th", has_text="المدينة").click()  # ascending by city
    by_city = long_table().sort_values("المدينة", kind="stable")
    assert column(page, table, 2) == by_city["المدينة"].head(25).tolist()
    assert column(page, table, 1) == by_city["الرقم"].head(25).tolist()
    assert column(page, table, 2)[:10] == ["الرباط"] * 10 and column(page, table, 2)[10] == "بغداد"

    page.locator(f"{first} >> input[type='search']").fill("المشير")
    expected = long_table()[long_table()["العنوان"].str.contains("المشير")].sort_values("المدينة", kind="stable")
    assert column(page, table, 1) == expected["الرقم"].tolist() and len(expected) == 18
    assert "(filtered from 120 total entries)" in page.locator(f"{first} >> .dt-info").inner_text()

    page.locator(f"{first} >> input[type='search']").fill("alert")  # the markup is text, and found as text
    assert column(page, table, 1) == ["r005", "r006"]
    assert column(page, table, 3) == [EVIL_TITLE, "وفد رسمي في صنعاء"]
    assert column(page, table, 4) == ["وكالة", EVIL_SOURCE]
    assert page.evaluate("document.querySelectorAll('tbody script, tbody img').length") == 0

    second = "div.akhbar-table >> nth=1"  # a second table on the page, with its index as a column
    assert page.locator(f"{second} >> table.akhbar-interactive caption").inner_text() == "الجدول الثاني"
    assert page.locator(f"{second} >> table.akhbar-interactive tbody tr").count() == 25
    assert page.locator("table[dir='rtl']:not(.akhbar-interactive)").count() >= 3  # the short table, previews
    assert dialogs == [] and errors == []
    scripts = page.evaluate("[...document.querySelectorAll('script')].map(s => s.dataset.akhbar)")
    assert scripts == ["loader", "table", "table"]  # akhbar's own, marked: no other script on the page
    page.context.close()


def test_without_scripts_the_preview_shows(exported, browser):
    page, dialogs, _ = open_page(browser, exported, scripts=False)
    first = "div.akhbar-table >> nth=0"
    assert page.locator(f"{first} >> .akhbar-live").is_hidden()
    preview = page.locator(f"{first} >> .akhbar-preview table")
    assert preview.get_attribute("dir") == "rtl" and preview.locator("tbody tr").count() == 60
    assert "120 rows: showing the first 60" in page.locator(f"{first} >> .akhbar-preview").inner_text()
    assert EVIL_TITLE in preview.inner_text() and dialogs == []
    page.context.close()
