"""What the table functions accept: a string, a list of strings, or a DataFrame of articles."""

from __future__ import annotations

import pandas as pd

FILLED = {"source": "", "url": "", "language": "ar"}
"""Metadata columns filled in when a table of texts lacks them."""


def as_articles(articles) -> pd.DataFrame:
    """A table of articles from what a researcher has at hand.

    A string is one article, a list (or Series) of strings several; a DataFrame needs a
    ``text`` column only. Missing ids become ``text1``, ``text2``…, a missing title is
    the text's first line, other metadata is left empty.

    Raises:
        TypeError: saying what is accepted, for anything else.
        ValueError: naming them, when article ids repeat.

    Example:
        >>> as_articles("قال إن تركيا")[["article_id", "title"]].values.tolist()
        [['text1', 'قال إن تركيا']]
    """
    if isinstance(articles, str):
        articles = [articles]
    if isinstance(articles, pd.Series):
        articles = articles.tolist()
    if isinstance(articles, (list, tuple)):
        if not all(isinstance(t, str) for t in articles):
            raise TypeError("a list of articles must hold only strings (the texts)")
        articles = pd.DataFrame({"text": list(articles)})
    if not isinstance(articles, pd.DataFrame):
        raise TypeError("articles must be a string, a list of strings, or a DataFrame with a 'text' column "
                        f"(as from akhbar.load_articles), not {type(articles).__name__}")
    if "text" not in articles.columns:
        raise TypeError(f"the articles table has no 'text' column (columns: {list(articles.columns)})")
    df = articles.copy()
    if df["text"].map(lambda t: not isinstance(t, str)).any():
        bad = df.index[df["text"].map(lambda t: not isinstance(t, str))].tolist()
        raise TypeError(f"'text' must hold strings; rows {bad[:5]} do not")
    if "article_id" not in df.columns:
        df.insert(0, "article_id", [f"text{i + 1}" for i in range(len(df))])
    df["article_id"] = df["article_id"].astype(str)
    repeated = sorted(set(df["article_id"][df["article_id"].duplicated()]))
    if repeated:
        raise ValueError(f"article ids repeat: {repeated[:5]}; every article needs its own id")
    if "title" not in df.columns:
        df["title"] = [t.strip().split("\n", 1)[0].strip() if t.strip() else "" for t in df["text"]]
    if "published" not in df.columns:
        df["published"] = pd.NaT
    elif not pd.api.types.is_datetime64_any_dtype(df["published"]):
        df["published"] = _dates(df)
    for column, value in FILLED.items():
        if column not in df.columns:
            df[column] = value
    return df.reset_index(drop=True)


def _dates(df: pd.DataFrame) -> pd.Series:
    """A ``published`` column of strings or mixed values as UTC datetimes; a value that is no
    date (``"n/a"``) is left empty with a :class:`~akhbar.MetadataWarning` naming the article,
    so the article is still annotated.

    Example:
        >>> import warnings
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     _dates(pd.DataFrame({"article_id": ["a", "b"], "published": ["n/a", "2020-07-21"]})).tolist()
        [NaT, Timestamp('2020-07-21 00:00:00')]
    """
    import warnings

    from .published import MetadataWarning, published_column

    raw = ["" if v is None or v is pd.NaT or (isinstance(v, float) and v != v) else v for v in df["published"]]
    stamps, problems = published_column(raw, [f"article {a}" for a in df["article_id"]])
    for where, problem in problems:
        warnings.warn(f"{where}: {problem}; left empty", MetadataWarning, stacklevel=4)
    return stamps.set_axis(df.index)
