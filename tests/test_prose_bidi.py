"""Arabic inside English prose keeps its order in the browser: the written findings, a
paragraph of several Arabic quotes and a list, rendered as the exported pages render
Markdown, then laid out by Debian's headless Chromium.

In an English (left-to-right) sentence, words isolated in ``<bdi>`` must appear left to
right in the order they are written: «قطر», «الدوحة», «القطري» and not the reverse,
which is what a browser shows when the Arabic and the punctuation between it form one
right-to-left run.
"""

import os
from pathlib import Path

import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune

import akhbar
from akhbar.views.written import isolate_arabic

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

PROSE = "\n".join([
    "The 2020 article names Qatar as " + isolate_arabic("«قطر», «الدوحة», «القطري»")
    + " and cites " + isolate_arabic("(التغيير, 21 July 2020)") + ".",
    "",
    "- Labels of the same actor: " + isolate_arabic("«حكومة الوفاق», «المجلس الرئاسي», «حكومة طرابلس»") + ";",
    "- titles: " + isolate_arabic("«المشير», «اللواء المتقاعد»") + ", then a number: 13.",
])
LAYOUT = """() => [...document.querySelectorAll('p, li')].map(block => {
  const words = [...block.querySelectorAll('bdi')].map(b => {
    // the first line box: a long run (a quoted sentence) that wraps starts where it is written,
    // while its bounding box reaches back to the left edge of the next line
    const r = b.getClientRects()[0] || b.getBoundingClientRect();
    return {text: b.textContent, x: r.left, y: Math.round(r.top)};
  });
  return {block: block.textContent.slice(0, 60), words};
})"""


def _chromium():
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{CHROMIUM} not found: run `make browser`")
        pytest.skip(f"{CHROMIUM} not found")
    from playwright.sync_api import sync_playwright

    return sync_playwright()


def _layout(html: str, shot: str) -> list[dict]:
    page_html = f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body style="width:900px">{html}</body></html>'
    with _chromium() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 900})
        page.set_content(page_html)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        png = page.screenshot(path=str(SCREENSHOTS / shot), full_page=True)
        blocks = page.evaluate(LAYOUT)
        browser.close()
    assert len(png) > 5000  # a page with text, not a blank one
    return blocks


def _in_writing_order(blocks: list[dict]) -> list[str]:
    """Blocks where two isolated Arabic runs on one line appear right to left (reversed)."""
    wrong = []
    for b in blocks:
        words = b["words"]
        for first, second in zip(words, words[1:]):
            if first["y"] == second["y"] and first["x"] > second["x"]:
                wrong.append(f"{b['block']!r}: {first['text']!r} is right of {second['text']!r}")
    return wrong


def test_quotes_and_list_keep_their_order():
    blocks = _layout(markdown2html_mistune(PROSE), "prose-bidi.png")
    runs = [w["text"] for b in blocks for w in b["words"]]
    assert runs[:2] == ["قطر", "الدوحة"] or runs[0].startswith("قطر")
    assert sum(len(b["words"]) for b in blocks) >= 5
    assert not _in_writing_order(blocks)
    # without isolation the same sentence comes out reversed: the check can fail
    bare = markdown2html_mistune("The 2020 article names Qatar as «قطر», «الدوحة», «القطري».")
    bare = bare.replace("«", "<bdi>«").replace("»", "»</bdi>")  # mark words only to measure them
    reversed_blocks = _layout(bare.replace("<bdi>", "<span class=w>").replace("</bdi>", "</span>")
                              .replace("<span class=w>", "<bdi style='unicode-bidi:normal'>")
                              .replace("</span>", "</bdi>"), "prose-bidi-unisolated.png")
    assert _in_writing_order(reversed_blocks)


def test_written_findings_keep_their_order(articles):
    spans = akhbar.annotate(articles)
    text = akhbar.findings(articles, spans, akhbar.tokens(articles))
    blocks = _layout(markdown2html_mistune(text), "findings-bidi.png")
    assert sum(len(b["words"]) for b in blocks) > 20
    assert not _in_writing_order(blocks)
