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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def test_untrusted_notebook_tables_are_rtl(lab):
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
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
