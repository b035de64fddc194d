"""Dates no metadata gives: guessed from the file name or the text, and always marked."""

import shutil
import warnings

import pandas as pd

import akhbar
from akhbar.articles.dateguess import date_in_name, latest_named_day
from conftest import shared_path

def test_file_name_dates():
    assert date_in_name("CN-middleEast-305-20180319.txt") == pd.Timestamp("2018-03-19")
    assert date_in_name("2020-07-21_altaghyir.txt") == pd.Timestamp("2020-07-21")
    assert pd.isna(date_in_name("article-12345678901.txt"))  # digits of an id, not a date
    assert pd.isna(date_in_name("20180319-to-20180401.txt"))  # two dates: no guess
    assert pd.isna(date_in_name("20181345.txt"))  # no month 13


def test_text_dates_latest_full_day_only():
    text = ("القاهرة - التقى وزير الخارجية نظيره الأردني في 3 يونيو 2018، بعد زيارة في مارس 2017، "
            "وقال إن القمة المقبلة تعقد في 12 يونيو 2018.")
    assert latest_named_day(text) == pd.Timestamp("2018-06-12")
    assert pd.isna(latest_named_day("قال الوزير إن المحادثات مستمرة منذ عام 2015."))


def test_seed_dates_are_given_not_guessed(articles):
    assert (articles["published_guess"] == "").all() and articles["published"].notna().all()


def test_undated_articles_are_guessed_and_marked(tmp_path, seeds_dir):
    for f in seeds_dir.glob("*.txt"):
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "sample-20190102.txt").write_text(
        "زيارة\n\nوصل الرئيس إلى عمّان في 30 ديسمبر 2018.\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # no articles.csv: a metadata warning per article
        arts = akhbar.load_articles(tmp_path).set_index("article_id")
    assert arts.loc["sample-20190102", "published"] == pd.Timestamp("2019-01-02")
    assert arts.loc["sample-20190102", "published_guess"] == "file name"
    # the 2020 seed names 20 July 2020 in full; it was published on the 21st
    assert arts.loc["004_89c82ba38a398626", "published"] == pd.Timestamp("2020-07-20")
    assert arts.loc["004_89c82ba38a398626", "published_guess"] == "text"
    labels = akhbar.article_labels(arts.reset_index())
    assert labels["004_89c82ba38a398626"].startswith("2020-07-20? ")


def test_dev_articles_without_metadata_get_their_dates(tmp_path):
    """The twelve unseen articles, their articles.csv left behind: every date is guessed
    from the file name and equals the one the metadata gives."""
    dev_articles = shared_path("dev/articles", "the unseen articles' dates")
    for f in dev_articles.glob("*.txt"):
        shutil.copy(f, tmp_path / f.name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        guessed = akhbar.load_articles(tmp_path).set_index("article_id")
    given = akhbar.load_articles(dev_articles).set_index("article_id")
    assert (guessed["published_guess"] == "file name").all()
    assert (guessed["published"].dt.date == given.loc[guessed.index, "published"].dt.date).all()
