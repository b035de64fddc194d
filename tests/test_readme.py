"""The README's five lines run as written and draw the chart they promise."""

import os
import re
import shutil

import matplotlib

matplotlib.use("Agg")

from conftest import ROOT  # noqa: E402


def test_five_lines_from_a_folder_to_a_chart(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## From a folder to a chart in five lines", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert len(code.strip().splitlines()) == 5
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copytree(ROOT / "annotations", tmp_path / "annotations")
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        scope: dict = {}
        exec(compile(code, "README.md", "exec"), scope)
    finally:
        os.chdir(here)
    assert (tmp_path / "figures" / "actor_bars.png").stat().st_size > 10_000
    assert scope["fig"].akhbar_data.loc["qatar", "004_89c82ba38a398626"] == 13
    assert (scope["spans"]["source"] == "manual").sum() == 2  # the corrections were merged
