"""Key words: which words one group of articles uses more than another (log-likelihood G², log ratio, Williams' q)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..text import display_forms


def log_likelihood(a, b, c: float, d: float):
    """Dunning's G2 on the 2x2 table [[a, c-a], [b, d-b]] (word vs other words, two corpora).

    ``a`` and ``b`` may be numbers or arrays (one table per word, computed at once).

    Example:
        >>> round(float(log_likelihood(20, 5, 100, 100)), 3)
        10.925
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n = c + d
    k = a + b
    total = np.zeros(a.shape)
    with np.errstate(divide="ignore", invalid="ignore"):  # an empty cell adds 0
        for o, e in ((a, c * k / n), (c - a, c * (n - k) / n), (b, d * k / n), (d - b, d * (n - k) / n)):
            total = total + np.where(o > 0, o * np.log(np.where(o > 0, o, 1) / e), 0.0)
    return 2 * total


def log_ratio(a, b, c: float, d: float, smooth: float = 0.5):
    """Hardie's binary log ratio log2((a/c)/(b/d)), with ``smooth`` added to a and b
    (numbers or arrays).

    Example:
        >>> round(float(log_ratio(20, 5, 100, 100)), 3)
        1.898
    """
    return np.log2(((np.asarray(a, dtype=float) + smooth) / c) / ((np.asarray(b, dtype=float) + smooth) / d))


def _ids(x) -> list[str]:
    return [x] if isinstance(x, str) else list(x)


def williams_q(a, b, c, d):
    """Williams' (1976) correction factor ``q`` for the 2x2 tables of :func:`log_likelihood`.

    In the akhbar notation (``a``/``b`` the word in target/reference, ``c``/``d`` the two
    totals) the table is [[a, b], [c-a, d-b]] with N = c + d, row sums a+b and N-(a+b),
    column sums c and d, and

        q = 1 + (N/(a+b) + N/(N-a-b) - 1) * (N/c + N/d - 1) / (6N)

    (Williams 1976; Sokal and Rohlf, *Biometry*, G-test of independence; quanteda.textstats
    ``williams_correction`` in ``src/keyness.cpp``). The corrected statistic is G2 / q.
    Works element-wise on numbers or numpy arrays.

    Example:
        >>> round(float(williams_q(10, 20, 1000, 2000)), 6)
        1.019446
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    n = c + d
    k = a + b
    return 1 + (n / k + n / (n - k) - 1) * (n / c + n / d - 1) / (6 * n)


_erfc = np.frompyfunc(math.erfc, 1, 1)


G2_THRESHOLD = 6.63
"""G² above which a word's difference is significant at p < 0.01 (one degree of freedom)."""


def keyness(tokens: pd.DataFrame, target_ids, reference_ids=None, correction: str | None = None) -> pd.DataFrame:
    """Key words of a target group of articles against a reference group.

    Counts the ``base`` form of non-stop Arabic words. Each word gets Dunning's G2 on
    its 2x2 table and Hardie's log ratio (0.5 added to both frequencies). Computed on
    whole columns at once (numpy), so a corpus vocabulary costs no Python loop.

    With ``correction="williams"`` G2 is divided by Williams' ``q`` (:func:`williams_q`:
    q = 1 + (N/R1 + N/R2 - 1)(N/C1 + N/C2 - 1) / 6N for row sums R and column sums C of
    the word's 2x2 table, N the two groups' words together), which brings G2 closer to
    its chi-squared distribution for small counts; ``p`` then follows the corrected G2.
    This is quanteda.textstats' ``textstat_keyness(measure="lr", correction="williams")``,
    except that quanteda leaves a table with an empty cell (a word absent from one group)
    uncorrected while akhbar corrects every table alike (q needs only the margins), and
    quanteda's G2 is signed (akhbar gives ``side``). Note that quanteda's documentation calls
    Williams its default for ``"lr"``, but its code applies Yates' correction when
    ``correction="default"``: pass ``correction="williams"`` there to compare.

    Args:
        tokens: From :func:`akhbar.tokens`.
        target_ids: One article id or a list of them.
        reference_ids: The other group (default: every other article).
        correction: ``None`` (plain G2, the default) or ``"williams"``.

    Returns:
        DataFrame ``base, word, a, b, target_total, reference_total, g2, log_ratio, p,
        side`` sorted by G2 (then word); ``a``/``b`` are the word's frequencies in the
        target/reference, ``side`` says which group uses it relatively more.

    Example:
        >>> toks = akhbar.tokens(akhbar.inputs.as_articles(["حفتر يهاجم طرابلس وحفتر يتقدم.",
        ...                                                  "السراج يزور أنقرة."]))
        >>> keyness(toks, "text1", correction="williams")[["word", "a", "b"]].head(1).values.tolist()
        [['حفتر', 2, 0]]
    """
    if correction not in (None, "williams"):
        raise ValueError(f"keyness: correction must be None or 'williams', got {correction!r}")
    target = _ids(target_ids)
    reference = (sorted(set(tokens["article_id"]) - set(target)) if reference_ids is None
                 else _ids(reference_ids))
    if not target or not reference or set(target) & set(reference):
        raise ValueError("keyness needs two non-empty, disjoint groups of articles")
    unknown = sorted((set(target) | set(reference)) - set(tokens["article_id"]))
    if unknown:
        raise ValueError(f"keyness: no tokens for article ids {unknown[:5]} "
                         f"(known: {sorted(set(tokens['article_id']))[:5]}…)")
    words = tokens[(tokens["kind"] == "word") & ~tokens["stop"]]
    in_t = words[words["article_id"].isin(target)]["base"].value_counts()
    in_r = words[words["article_id"].isin(reference)]["base"].value_counts()
    c, d = int(in_t.sum()), int(in_r.sum())
    forms = display_forms(tokens[tokens["article_id"].isin(target + reference)])
    bases = sorted(set(in_t.index) | set(in_r.index))
    a = in_t.reindex(bases, fill_value=0).to_numpy(dtype=np.int64)
    b = in_r.reindex(bases, fill_value=0).to_numpy(dtype=np.int64)
    af, bf = a.astype(float), b.astype(float)
    g2 = log_likelihood(af, bf, float(c), float(d))
    if correction == "williams":
        g2 = g2 / williams_q(af, bf, c, d)
    out = pd.DataFrame({
        "base": pd.Series(bases, dtype="str"),
        "word": pd.Series(bases, dtype="str").map(forms).fillna(pd.Series(bases, dtype="str")),
        "a": a, "b": b, "target_total": np.full(len(bases), c, dtype=np.int64),
        "reference_total": np.full(len(bases), d, dtype=np.int64),
        "g2": g2,
        "log_ratio": log_ratio(af, bf, c, d),
        "p": _erfc(np.sqrt(g2 / 2)).astype(float) if len(bases) else np.zeros(0),
        "side": pd.Series(np.where(af / c > bf / d, "target", "reference"), dtype="str"),
    })
    out["g2"] = out["g2"].round(6)
    return out.sort_values(["g2", "base"], ascending=[False, True], kind="stable").reset_index(drop=True)


def grouped_keyness(tokens: pd.DataFrame, groups: dict[str, list[str]], top: int = 12) -> pd.DataFrame:
    """Key words of each group of :func:`article_groups`: with two groups the first against
    the second (both sides); with more, each group against all the others (its own side).

    Returns:
        :func:`keyness` rows with ``group`` (whose words they are) and ``against``, ``top``
        per group; ``a`` and ``target_total`` are always the group's own counts.

    Example:
        >>> toks = akhbar.tokens(akhbar.inputs.as_articles(["حفتر يهاجم طرابلس وحفتر يتقدم.",
        ...                                                  "السراج يزور أنقرة."]))
        >>> kw = grouped_keyness(toks, {"text1": ["text1"], "text2": ["text2"]}, top=1)
        >>> kw[["group", "against", "word", "a", "b"]].values.tolist()
        [['text1', 'text2', 'حفتر', 2, 0], ['text2', 'text1', 'السراج', 1, 0]]
    """
    names = list(groups)
    frames = []
    if len(names) == 2:
        kw = keyness(tokens, groups[names[0]], groups[names[1]])
        frames.append(kw[kw["side"] == "target"].head(top).assign(group=names[0], against=names[1]))
        # the second group's words, counted from its side: a is its own count, b the first group's
        theirs = kw[kw["side"] == "reference"].head(top).rename(columns={
            "a": "b", "b": "a", "target_total": "reference_total", "reference_total": "target_total"})
        frames.append(theirs.assign(log_ratio=-theirs["log_ratio"], side="target", group=names[1], against=names[0]))
    else:
        for name in names:
            rest = [a for n in names if n != name for a in groups[n]]
            kw = keyness(tokens, groups[name], rest)
            frames.append(kw[kw["side"] == "target"].head(top).assign(group=name, against="all the others"))
    out = pd.concat(frames, ignore_index=True)
    return out[["group", "against", *[c for c in out.columns if c not in ("group", "against")]]]
