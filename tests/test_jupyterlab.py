"""JupyterLab, as a researcher opens it: an untrusted notebook still shows Arabic tables right to left.

JupyterLab sanitises the HTML output of untrusted notebooks (it drops ``<style>``); akhbar's
tables carry ``dir="rtl"`` / ``dir="auto"`` as attributes, which survive. This test starts a
JupyterLab server on localhost with an empty trust database, opens the committed
notebooks/01-reading.ipynb in Debian's headless Chromium through Playwright, and reads the
computed direction of the rendered tables.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
TOKEN = "akhbar-test-token"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab(str):
    """The server's address (a str, as the tests use it) with its ``root`` folder."""

    def __new__(cls, url: str, root: Path):
        lab = super().__new__(cls, url)
        lab.root = root
        return lab


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if not CHROMIUM.exists():
        msg = f"{CHROMIUM} not found: run `make browser`"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    root = tmp_path_factory.mktemp("lab")
    shutil.copy(ROOT / "notebooks" / "01-reading.ipynb", root / "01-reading.ipynb")
    env = {**os.environ, "JUPYTER_DATA_DIR": str(root / ".data"), "JUPYTER_CONFIG_DIR": str(root / ".config"),
           "JUPYTER_RUNTIME_DIR": str(root / ".runtime")}
    # render every cell at once (no windowing), as a reader scrolling through would see it
    settings = root / ".config" / "lab" / "user-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    env["JUPYTERLAB_SETTINGS_DIR"] = str(root / ".config" / "lab" / "user-settings")
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--ServerApp.token={TOKEN}", f"--ServerApp.root_dir={root}", "--LabApp.news_url=",
         "--ServerApp.open_browser=False", "--allow-root"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("JupyterLab did not start within 60 s")
    yield Lab(url, root)
    proc.terminate()
    proc.wait(timeout=20)


def test_untrusted_notebook_tables_are_rtl(lab):
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{lab}/lab/tree/01-reading.ipynb?token={TOKEN}", timeout=90_000)
        page.wait_for_function(
            "document.querySelectorAll('.jp-OutputArea-output table').length >= 5", timeout=90_000)
        info = page.evaluate("""() => {
            const tables = [...document.querySelectorAll('.jp-OutputArea-output table')];
            const cells = [...document.querySelectorAll('.jp-OutputArea-output td')];
            return {
              tables: tables.length,
              rtl: tables.filter(t => getComputedStyle(t).direction === 'rtl').length,
              attr: tables.filter(t => t.getAttribute('dir') === 'rtl').length,
              autoCells: cells.filter(c => c.getAttribute('dir') === 'auto').length,
              cells: cells.length,
              arabic: cells.some(c => /[\\u0600-\\u06FF]/.test(c.textContent)),
              trusted: document.querySelector('.jp-NotebookTrustedStatus')?.getAttribute('title') || '',
            };
        }""")
        page.screenshot(path=str(SCREENSHOTS / "jupyterlab-01-reading.png"))
        browser.close()
    assert info["tables"] >= 5
    assert info["rtl"] == info["tables"] and info["attr"] == info["tables"]
    assert info["arabic"] and info["autoCells"] == info["cells"]


REVIEW_CELLS = [
    "import akhbar\n"
    f"arts = akhbar.load_articles({str(ROOT / 'seeds')!r})\n"
    "auto = akhbar.annotate(arts)\n"
    "sample = akhbar.review_sample(auto, 'framing', 3, seed=11)\n"
    "panel = akhbar.review(auto, arts, 'framing', sample=sample, annotations_dir='annotations')\n"
    "panel",
]


def _review_notebook(path: Path) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in REVIEW_CELLS]
    nb.metadata["kernelspec"] = {"name": "akhbar", "display_name": "akhbar (Python 3.11)", "language": "python"}
    nbformat.write(nb, path)


def test_review_panel_clicks_append_rows_that_the_next_run_applies(lab):
    """Keep, correct and reject clicked in JupyterLab each append one row; the rerun uses them."""
    import pandas as pd
    from playwright.sync_api import sync_playwright

    import akhbar

    _review_notebook(lab.root / "review.ipynb")
    arts = akhbar.load_articles(ROOT / "seeds")
    auto = akhbar.annotate(arts)
    sample = akhbar.review_sample(auto, "framing", 3, seed=11)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{lab}/lab/tree/review.ipynb?reset&token={TOKEN}", timeout=90_000)
        cell = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell .cm-content").first
        cell.wait_for(timeout=90_000)
        page.wait_for_function("document.body.innerText.includes('Idle')", timeout=90_000)
        cell.click()
        page.keyboard.press("Shift+Enter")
        keep = page.get_by_role("button", name="keep (k)")
        keep.wait_for(timeout=120_000)
        panel = page.locator(".widget-vbox").first
        box = panel.bounding_box()
        page.screenshot(path=str(SCREENSHOTS / "jupyterlab-review-panel.png"))
        keep.click()
        page.wait_for_function("document.body.innerText.includes('2 of 3')", timeout=30_000)
        select = page.locator(".widget-dropdown select").first
        options = select.locator("option").all_inner_texts()
        choice = next(o for o in options if o != "(none)" and not o.endswith(f"({sample.iloc[1]['canonical_id']})"))
        select.select_option(label=choice)
        page.get_by_role("button", name="correct (c)").click()
        page.wait_for_function("document.body.innerText.includes('3 of 3')", timeout=30_000)
        page.get_by_role("button", name="reject (r)").click()
        page.wait_for_function("document.body.innerText.includes('Sample done')", timeout=30_000)
        browser.close()
    assert box is not None and box["height"] < 1000 - 150, box  # one screen, no scrolling
    new_id = choice.rsplit("(", 1)[1].rstrip(")")
    rows = {}
    for path in (lab.root / "annotations").glob("*.csv"):
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()[2:] if not ln.startswith("#")]
        rows.update({(path.stem, int(ln.split(",")[1])): ln.split(",")[0] for ln in lines})
    keys = [(a, int(s)) for a, s in zip(sample["article_id"], sample["start"])]
    assert [rows.get(k) for k in keys] == ["keep", "correct", "reject"]
    again = akhbar.annotate(arts, annotations_dir=lab.root / "annotations")
    cues = again[again["layer"] == "framing"]
    at = lambda i: cues[(cues["article_id"] == sample.iloc[i]["article_id"])  # noqa: E731
                        & (cues["start"] == sample.iloc[i]["start"]) & (cues["end"] == sample.iloc[i]["end"])]
    assert at(0)["canonical_id"].tolist() == [sample.iloc[0]["canonical_id"]]
    assert at(1)["canonical_id"].tolist() == [new_id] and at(1)["source"].tolist() == ["manual"]
    assert at(2).empty
    assert isinstance(again, pd.DataFrame)
