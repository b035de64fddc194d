"""The exported workbook in Debian's headless Chromium, run on articles it has never seen.

The whole workbook runs on the 12 unseen dev articles (``../shared/dev/articles``, read at run
time, never copied into the repository) plus an article carrying markup: every page loads
fast and offline, shows its charts, never runs the article's markup, is screenshotted, and
carries none of the seed pair's hand-written reading (``seeds/readings``). The committed
seed run is checked by nbval on the notebooks themselves.
"""

import csv
import html
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "dev" / "articles"
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
EVIL_ID = "999_injection"
EVIL = """مقال تجريبي عن تركيا وقطر
<script>alert(1)</script>
زار وزير الدفاع التركي خلوصي أكار الدوحة في 5 مايو 2021 لبحث التعاون العسكري مع قطر.
<img src=x onerror="document.title='pwned'">
وقال أكار إن العلاقات بين البلدين قوية، مؤكداً دعم حكومة الوفاق في ليبيا.
"""
RECORDER = """
window.__akhbar = {alerts: 0, scripts: 0};
window.alert = () => { window.__akhbar.alerts += 1; };
window.confirm = window.prompt = window.alert;
new MutationObserver(ms => ms.forEach(m => m.addedNodes.forEach(n => {
  if (n.tagName === 'SCRIPT') window.__akhbar.scripts += 1;
}))).observe(document, {childList: true, subtree: true});
"""
SEED_ONLY = [
    # sentences of the seed pair's hand-written reading (seeds/readings/*.md), none of them in
    # the notebooks' own cells: on other articles they could only come from a leaked reading
    "twice as long (1043 words against 455)", "Haftar family and Ankara", "Saddam 5, Belqasem once",
    "Qatar–Turkey story", "Turkey–Haftar story", "Qatar not at all", "six reporting events",
    "From a Qatari–Turkish axis against Haftar", "rank changes sign", "His forces change name and standing",
    "Majed al-Ansari 6 reports", "SAHA Expo", "No Turkish official speaks in 2025",
    # and two phrases of the seed articles that the reading quotes
    "الحلف القطري - التركي", "تقارب جديد بين حفتر وتركيا",
]


def _needed_or_skip(what: Path, msg: str):
    if what.exists():
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(msg)
    pytest.skip(msg)


def _chromium_or_fail():
    _needed_or_skip(CHROMIUM, f"{CHROMIUM} not found: run `make browser` "
                    "(installs Debian's chromium; never a downloaded browser)")


def prose(page: str) -> str:
    """A page's visible text: no style, script or tags; entities decoded; spaces folded."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The whole workbook on the dev articles and the injection article, as ``akhbar workbook`` runs it."""
    _chromium_or_fail()
    _needed_or_skip(DEV, f"{DEV} not found: the browser test runs the workbook on the unseen dev articles "
                    "(../shared/dev beside the checkout)")
    folder = tmp_path_factory.mktemp("articles")
    for f in DEV.glob("*.txt"):
        shutil.copy(f, folder / f.name)
    (folder / f"{EVIL_ID}.txt").write_text(EVIL, encoding="utf-8")
    with (DEV / "articles.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    rows.append({"article_id": EVIL_ID, "file": f"{EVIL_ID}.txt", "title": "<script>alert(2)</script> عنوان",
                 "source": "<b onmouseover=alert(3)>مصدر</b>", "published": "2021-05-06", "language": "ar"})
    with (folder / "articles.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    exports = folder / "exports"
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "akhbar", "workbook", str(folder), "--exports", str(exports)],
                          cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    return exports, time.perf_counter() - t0, sorted(f.stem for f in DEV.glob("*.txt"))


@pytest.fixture(scope="module")
def browser():
    _chromium_or_fail()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


def open_page(browser, path: Path):
    """Open one exported page offline; returns the page, its dialogs and the load time."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
    page = ctx.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.add_init_script(RECORDER)
    t0 = time.perf_counter()
    page.goto(path.as_uri(), wait_until="load", timeout=15000)
    return page, dialogs, time.perf_counter() - t0


def test_every_exported_page(exported, browser):
    exports, run_seconds, _ = exported
    pages = sorted(exports.glob("*.html"))
    names = [p.name for p in pages]
    assert names == ["01-reading.html", "02-annotation.html", "03-thematic-comparison.html", "04-charts.html",
                     "05-corpus-trends.html", "index.html"], names
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    timings = {}
    for path in pages:
        page, dialogs, seconds = open_page(browser, path)
        timings[path.name] = round(seconds, 2)
        expected_title = page.evaluate("document.querySelector('title')?.textContent ?? ''")
        shot = SCREENSHOTS / f"{path.stem}.png"
        shot.unlink(missing_ok=True)
        page.screenshot(path=str(shot), full_page=path.name == "index.html")
        assert not_blank(shot), path.name
        rec = page.evaluate("window.__akhbar")
        assert page.title() == expected_title and "pwned" not in page.title(), path.name
        assert dialogs == [] and rec["alerts"] == 0, (path.name, dialogs, rec)
        assert page.evaluate("document.querySelectorAll('script').length") == 0, path.name
        assert rec["scripts"] == 0, path.name
        assert seconds < 5, f"{path.name} took {seconds:.1f}s to load"
        if path.name != "index.html":
            assert page.locator("table[dir='rtl']").count() > 0, path.name
            assert page.locator(".jp-Cell").count() > 5, path.name
        if path.name.startswith("04-"):
            widths = page.evaluate("[...document.images].map(i => i.complete ? i.naturalWidth : 0)")
            assert len(widths) >= 7 and all(w > 0 for w in widths), widths
        if path.name.startswith("02-"):  # the reading's evidence links land on the cue in the article view
            links = page.locator("a[href^='#span-']")
            assert links.count() >= 3, links.count()
            link = links.nth(links.count() - 1)
            target = link.get_attribute("href")[1:]
            link.click()
            page.wait_for_function("id => location.hash === '#' + id", arg=target)
            box = page.evaluate("id => document.getElementById(id).getBoundingClientRect().top", target)
            assert -2 <= box < 900, box  # scrolled into view (to a fraction of a pixel)
            assert page.evaluate(
                "[...document.querySelectorAll(\"a[href^='#span-']\")].every(a => document.getElementById(a.hash.slice(1)))")
        if path.name.startswith("01-"):
            body = page.inner_text("body")
            assert "<script>alert(1)</script>" in body  # shown as text, never run
            assert "onerror" in body
        page.context.close()
    print(f"workbook run {run_seconds:.1f}s; page loads {timings}")


def not_blank(png: Path) -> bool:
    """The screenshot shows something: its pixels vary and over 1% of them are not background."""
    from PIL import Image, ImageStat

    img = Image.open(png).convert("L")
    inked = sum(n for level, n in enumerate(img.histogram()) if level < 200)
    return ImageStat.Stat(img).stddev[0] > 5 and inked > 0.01 * img.width * img.height


def test_pages_have_their_title_and_a_way_back(exported):
    exports, _, dev_ids = exported
    for page in sorted(exports.glob("[0-9][0-9]-*.html")):
        text = page.read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", text).group(1)
        assert title.startswith(page.stem[:2] + " · "), (page.name, title)  # «03 · Thematic comparison»
        assert '<a href="index.html">' in text
    index = (exports / "index.html").read_text(encoding="utf-8")
    assert "2021-05-06" in index and "&lt;script&gt;alert(2)&lt;/script&gt; عنوان" in index
    assert all(f">{aid}<" in index for aid in dev_ids), dev_ids  # every compared article, listed


def test_no_page_carries_the_seed_reading(exported):
    """On other articles no page may show the seed pair's reading: each phrase below is in
    seeds/readings, in none of the notebooks' own cells, and in the committed seed run."""
    exports, _, _ = exported
    readings = prose(" ".join(p.read_text(encoding="utf-8").replace("**", "")
                              for p in sorted((ROOT / "seeds" / "readings").glob("*.md"))))
    books = [nbformat.read(b, 4) for b in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))]
    cells = " ".join(c.source for nb in books for c in nb.cells)
    seed_run = prose(" ".join(str(o.get("text", "")) + " ".join(map(str, o.get("data", {}).values()))
                              for nb in books for c in nb.cells if c.cell_type == "code" for o in c.outputs)
                     .replace("**", ""))
    for phrase in SEED_ONLY:
        assert phrase in readings and phrase not in cells and phrase in seed_run, phrase
    for page in sorted(exports.glob("*.html")):
        text = prose(page.read_text(encoding="utf-8"))
        assert len(text) > 500, page.name
        found = [phrase for phrase in SEED_ONLY if phrase in text]
        assert not found, (page.name, found)


def test_every_section_shows_output_on_the_dev_articles(exported):
    """On articles it has never seen, every section of every notebook shows a table, a figure
    or text (a table left undisplayed in a loop or a branch leaves its heading bare)."""
    from test_notebook_sections import silent_sections, undisplayed_tables

    exports, _, _ = exported
    books = sorted(exports.glob("[0-9][0-9]-*.ipynb"))
    assert len(books) == 5
    silent = {b.name: s for b in books
              if (s := silent_sections(nb := nbformat.read(b, 4)) + undisplayed_tables(nb))}
    assert not silent, silent
