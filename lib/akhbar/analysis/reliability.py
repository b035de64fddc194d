"""How far the automatic coding can be trusted: agreement with the researcher's reviewed items.

A researcher reviews a sample of spans (:func:`akhbar.views.review_panel.review`, or by hand in
``annotations/<article_id>.csv``): every ``keep``, ``correct`` or ``reject`` row is a
checked item, every ``add`` row a span the automatic coding missed. :func:`agreement`
turns those rows into the figures a content analysis reports beside its counts: how many
items were checked, the share kept (precision, with a 95% Wilson interval) and
Krippendorff's alpha between the automatic value and the reviewed one.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from ..articles.loading import read_table

AGREEMENT_COLUMNS = ["layer", "code", "reviewed", "kept", "corrected", "rejected", "added",
                     "precision", "precision_low", "precision_high", "alpha"]
ALL = "(all)"
"""The ``code`` of a layer's summary row."""
NOT_A_SPAN = "∅"
"""The reviewed value of a rejected item (and the automatic value of an added one)."""
CODE_FIELD = {"entity": "type", "framing": "label", "quote": "label", "date": "label", "group": "label"}
"""The span field whose values are a layer's codes (entity types, framing codes, quote modes, ...)."""
VALUE_FIELDS = {"entity": ("canonical_id",), "framing": ("label", "canonical_id", "polarity"),
                "quote": ("canonical_id",), "date": ("value",), "group": ("canonical_id",)}
"""The fields compared by alpha: an entity's id, a cue's code, target and polarity, a speaker, a date's value."""
Z95 = 1.959963984540054


def wilson_interval(kept: int, reviewed: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a proportion ``kept / reviewed`` (95% by default).

    Unlike the normal approximation it stays inside [0, 1] and is honest for small samples
    and for proportions near 0 or 1, which is where reviewed samples of coding sit.

    Example:
        >>> [round(x, 3) for x in wilson_interval(31, 38)]
        [0.666, 0.908]
        >>> wilson_interval(0, 0)
        (nan, nan)
    """
    if reviewed <= 0:
        return (math.nan, math.nan)
    p = kept / reviewed
    denom = 1 + z * z / reviewed
    centre = (p + z * z / (2 * reviewed)) / denom
    half = z * math.sqrt(p * (1 - p) / reviewed + z * z / (4 * reviewed * reviewed)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def nominal_alpha(reliability: list[list]) -> float:
    """Krippendorff's alpha for nominal values, one row per coder, one column per item.

    ``None`` (or NaN) marks a value a coder did not give. Computed by the maintained
    ``krippendorff`` package; NaN when the values show no variation at all (alpha is
    undefined there: every item has the same value).

    Example:
        >>> auto = ["gna", "gna", "lna", "turkey", "lna"]
        >>> reviewed = ["gna", "lna", "lna", "turkey", "lna"]
        >>> round(nominal_alpha([auto, reviewed]), 3)  # by hand: 1 - (2/10) / (62/90)
        0.71
    """
    import krippendorff

    values = sorted({v for row in reliability for v in row if v is not None and v == v}, key=str)
    if len(values) < 2:
        return math.nan
    index = {v: i for i, v in enumerate(values)}
    data = np.array([[index[v] if v is not None and v == v else np.nan for v in row] for row in reliability],
                    dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def reviewed_rows(annotations_dir: str | Path, article_ids=None) -> pd.DataFrame:
    """Every row of the correction files in ``annotations_dir``, with its ``article_id``.

    Files that cannot be read as correction files are left out (the annotation run
    reports them). Offsets are integers; rows whose offsets are not are dropped.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = akhbar.files.write_text(folder / "a1.csv", "action,start,end,surface,layer,label,canonical_id,type,note\\n"
        ...                             "keep,0,4,حفتر,entity,NAM,khalifa_haftar,person,\\n")
        >>> reviewed_rows(folder)[["article_id", "action", "surface"]].values.tolist()
        [['a1', 'keep', 'حفتر']]
    """
    folder = Path(annotations_dir)
    columns = ["article_id", "action", "start", "end", "surface", "layer", "label", "canonical_id", "type",
               "polarity", "note"]
    frames = []
    wanted = None if article_ids is None else set(article_ids)
    for path in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
        if wanted is not None and path.stem not in wanted:
            continue
        try:
            _line, header, body = read_table(path, comments=True)
        except (ValueError, OSError):
            continue  # the annotation run reports a file it cannot read
        if not body or not {"action", "start", "end", "layer"} <= set(header):
            continue
        df = pd.DataFrame([dict(zip(header, fields)) for _l, fields in body])
        df = df.reindex(columns=columns[1:], fill_value="").fillna("")
        df.insert(0, "article_id", path.stem)
        frames.append(df)
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True)
    for col in ("action", "layer", "start", "end"):
        out[col] = out[col].astype(str).str.strip()
    ok = out["start"].str.fullmatch(r"\d+") & out["end"].str.fullmatch(r"\d+")
    out = out[ok].copy()
    out["start"], out["end"] = out["start"].astype(int), out["end"].astype(int)
    return out.reset_index(drop=True)


def _value(layer: str, record) -> str:
    """The value alpha compares: the layer's value fields joined (``LEGITIMACY gna -``)."""
    return " ".join(str(record.get(f, "") or "") for f in VALUE_FIELDS.get(layer, ("label",))).strip()


def review_items(spans: pd.DataFrame, annotations_dir: str | Path) -> pd.DataFrame:
    """One row per reviewed item: the automatic span's code and value beside the reviewed value.

    ``spans`` are the automatic spans (``akhbar.annotate`` without ``annotations_dir``);
    corrected spans work too: an item whose automatic span was replaced takes its code from
    the correction row. The last row about a span wins (a researcher may change their mind).

    Returns:
        DataFrame ``article_id, layer, start, end, surface, action, code, auto_value,
        reviewed_value``; ``action`` is ``keep``, ``correct``, ``reject`` or ``add``.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"], "text": ["قال أردوغان إن تركيا تدعم طرابلس"]}))
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = akhbar.files.write_text(folder / "a1.csv", "action,start,end,surface,layer,label,canonical_id,type,note\\n"
        ...                             "keep,4,11,أردوغان,entity,NAM,erdogan,person,\\nreject,26,32,طرابلس,entity,,,,\\n")
        >>> review_items(akhbar.annotate(arts), folder)[["surface", "action", "code"]].values.tolist()
        [['أردوغان', 'keep', 'person'], ['طرابلس', 'reject', 'state']]
    """
    rows = reviewed_rows(annotations_dir, spans["article_id"].unique() if len(spans) else None)
    columns = ["article_id", "layer", "start", "end", "surface", "action", "code", "auto_value", "reviewed_value"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows = rows.drop_duplicates(["article_id", "layer", "start", "end"], keep="last")
    auto = spans[spans["source"] != "manual"] if "source" in spans else spans
    keyed = {(a, lay, int(s), int(e)): r for a, lay, s, e, r in
             zip(auto["article_id"], auto["layer"], auto["start"], auto["end"], auto.to_dict("records"))}
    out = []
    for r in rows.to_dict("records"):
        layer, action = r["layer"], r["action"]
        span = keyed.get((r["article_id"], layer, r["start"], r["end"]))
        if action == "add" or (action == "correct" and span is None and not r.get("label")):
            code = r.get(CODE_FIELD.get(layer, "label"), "") or ""
            out.append([r["article_id"], layer, r["start"], r["end"], r["surface"], "add", code,
                        NOT_A_SPAN, _value(layer, r)])
            continue
        base = span if span is not None else r
        code = str(base.get(CODE_FIELD.get(layer, "label"), "") or "")
        auto_value = _value(layer, base)
        if action == "keep":
            reviewed = auto_value
        elif action == "reject":
            reviewed = NOT_A_SPAN
        else:
            merged = {**base, **{k: v for k, v in r.items() if v not in ("", None)}}
            reviewed = _value(layer, merged)
            action = "keep" if reviewed == auto_value and span is not None else "correct"
        out.append([r["article_id"], layer, r["start"], r["end"], r["surface"], action, code, auto_value, reviewed])
    return pd.DataFrame(out, columns=columns)


def agreement(spans: pd.DataFrame, annotations_dir: str | Path) -> pd.DataFrame:
    """Agreement of the automatic coding with the researcher's reviewed items, per layer and code.

    ``reviewed`` counts the checked items (kept, corrected or rejected); ``added`` the spans
    the researcher had to add (misses of the automatic coding, outside ``reviewed``).
    ``precision`` is ``kept / reviewed`` with its 95% Wilson interval; ``alpha`` is
    Krippendorff's nominal alpha between the automatic and the reviewed value of each item
    (an entity's id; a cue's code, target and polarity; a speaker; a date's value), a rejected
    item counting as "not a span"; NaN where there is no variation to measure it on.

    Args:
        spans: The automatic spans (``akhbar.annotate(articles)``).
        annotations_dir: The folder of ``<article_id>.csv`` correction files.

    Returns:
        DataFrame with :data:`AGREEMENT_COLUMNS`: a row per layer and code, then the layer's
        ``(all)`` row.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"], "text": ["قال أردوغان إن تركيا تدعم طرابلس"]}))
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = akhbar.files.write_text(folder / "a1.csv", "action,start,end,surface,layer,label,canonical_id,type,note\\n"
        ...     "keep,4,11,أردوغان,entity,NAM,erdogan,person,\\nkeep,15,20,تركيا,entity,NAM,turkey,state,\\n"
        ...     "reject,26,32,طرابلس,entity,,,,\\n")
        >>> agreement(akhbar.annotate(arts), folder)[["code", "reviewed", "kept", "rejected"]].values.tolist()
        [['person', 1, 1, 0], ['state', 2, 1, 1], ['(all)', 3, 2, 1]]
    """
    items = review_items(spans, annotations_dir)
    rows = []
    for layer, g in items.groupby("layer", sort=True):
        for code, c in list(g.groupby("code", sort=True)) + [(ALL, g)]:
            rows.append(_agreement_row(layer, code, c))
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def _agreement_row(layer: str, code: str, items: pd.DataFrame) -> list:
    counts = items["action"].value_counts()
    kept, corrected, rejected, added = (int(counts.get(a, 0)) for a in ("keep", "correct", "reject", "add"))
    reviewed = kept + corrected + rejected
    low, high = wilson_interval(kept, reviewed)
    precision = kept / reviewed if reviewed else math.nan
    alpha = nominal_alpha([items["auto_value"].tolist(), items["reviewed_value"].tolist()])
    return [layer, code, reviewed, kept, corrected, rejected, added, precision, low, high, alpha]


def agreement_note(table: pd.DataFrame | None, layer: str, code: str = ALL, what: str = "") -> str:
    """One line that says how far a layer's (or code's) counts were checked.

    Example:
        >>> t = pd.DataFrame([["framing", "LEGITIMACY", 38, 31, 4, 3, 1, 31 / 38, 0.666, 0.908, 0.71]],
        ...                  columns=AGREEMENT_COLUMNS)
        >>> agreement_note(t, "framing", "LEGITIMACY", "legitimacy cues")
        'legitimacy cues: 31 of 38 reviewed kept, precision 0.82 [0.67, 0.91]'
        >>> agreement_note(t, "quote", what="statements")
        'statements: not reviewed yet (akhbar.review), so these counts are the automatic coding as it stands.'
    """
    what = what or (f"{layer} ({code})" if code != ALL else layer)
    row = None if table is None or table.empty else table[(table["layer"] == layer) & (table["code"] == code)]
    if row is None or row.empty or int(row["reviewed"].iloc[0]) == 0:
        return f"{what}: not reviewed yet (akhbar.review), so these counts are the automatic coding as it stands."
    r = row.iloc[0]
    return (f"{what}: {int(r['kept'])} of {int(r['reviewed'])} reviewed kept, precision {r['precision']:.2f} "
            f"[{r['precision_low']:.2f}, {r['precision_high']:.2f}]")
