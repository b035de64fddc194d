"""The exported workbook in Debian's headless Chromium: pages load fast, images show, article markup never runs."""

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
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


def _chromium_or_fail():
    if CHROMIUM.exists():
        return
    msg = f"{CHROMIUM} not found: run `make browser` (installs Debian's chromium; never a downloaded browser)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(msg)
    pytest.skip(msg)


@pytest.fixture(scope="module")
def exported(tmp_path_factory, seeds_dir):
    _chromium_or_fail()
    folder = tmp_path_factory.mktemp("articles")
    for f in seeds_dir.glob("*.*"):  # the texts and articles.csv (not readings/)
        shutil.copy(f, folder / f.name)
    (folder / f"{EVIL_ID}.txt").write_text(EVIL, encoding="utf-8")
    with (folder / "articles.csv").open("a", encoding="utf-8") as fh:
        fh.write(f'{EVIL_ID},{EVIL_ID}.txt,"<script>alert(2)</script> عنوان",'
                 f'"<b onmouseover=alert(3)>مصدر</b>",2021-05-06,ar,,test\n')
    exports = folder / "exports"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "scripts" / "run_workbook.py"), "--articles", str(folder),
                    "--exports", str(exports)], check=True, cwd=ROOT, capture_output=True, timeout=600)
    return exports, time.perf_counter() - t0


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
    exports, run_seconds = exported
    pages = sorted(exports.glob("*.html"))
    names = [p.name for p in pages]
    assert "index.html" in names and any(n.startswith("04-") for n in names), names
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    timings = {}
    for path in pages:
        page, dialogs, seconds = open_page(browser, path)
        timings[path.name] = round(seconds, 2)
        expected_title = page.evaluate("document.querySelector('title')?.textContent ?? ''")
        page.screenshot(path=str(SCREENSHOTS / f"{path.stem}.png"), full_page=path.name == "index.html")
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
        if path.name.startswith("01-"):
            body = page.inner_text("body")
            assert "<script>alert(1)</script>" in body  # shown as text, never run
            assert "onerror" in body
        page.context.close()
    shots = sorted(SCREENSHOTS.glob("*.png"))
    assert len(shots) >= len(pages) and all(s.stat().st_size > 5000 for s in shots)
    print(f"workbook run {run_seconds:.1f}s; page loads {timings}")



def test_pages_have_their_title_and_a_way_back(exported):
    exports, _ = exported
    for page in sorted(exports.glob("[0-9][0-9]-*.html")):
        text = page.read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", text).group(1)
        assert title.startswith(page.stem[:2] + " · "), (page.name, title)  # «03 · Thematic comparison»
        assert '<a href="index.html">' in text
    index = (exports / "index.html").read_text(encoding="utf-8")
    assert "2021-05-06" in index and "اجتماعات متسارعة" in index  # the compared articles, with dates
