"""The fast paragraph_spans gives exactly what the first, plain version gave (kept here
as a reference): on the seeds, on a perturbed bench corpus and on generated texts full of
edge cases. Paragraph themes are checked on literal text with a themes file of our own."""

import random
import re

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import akhbar
from akhbar.text import normalize
from akhbar.zones import (BOILERPLATE_LINES, BOILERPLATE_PREFIXES, BYLINE_MARKERS, DATELINE_MARKERS,
                           FOOTER_MARKERS, LINK_MARKERS, SUBHEAD_MAX_WORDS, TEASER_RUN, paragraph_spans)

from conftest import ROOT, SHARED, in_ci, shared_path

# --- References: the plain versions ---------------------------------------------------
_SENTENCE_END = re.compile(r"[.!:؛;]\s*[\"”»']?\s*$")
_RULE_LINE = re.compile(r"(?=.*[-_=*\u2013\u2014]{3})[-_=*\u2013\u2014\s]+")


def _link_marker(norm):
    """The related-story marker ``norm`` starts with as a whole word, or None."""
    for marker in sorted(LINK_MARKERS, key=len, reverse=True):
        rest = norm[len(marker):]
        if norm.startswith(marker) and (not rest or rest[0].isspace() or rest[0] in ":/.-()«»\"'،"):
            return marker
    return None


def _reference_zone(line, index, source, state):
    """Zone of one line, and the state for the next line: None, "links" (inside a block
    of related headlines) or "tail" (after a footer)."""
    if index == 0:
        return "title", state
    norm = normalize(line.strip(" .:")[:60], ta_marbuta=True)
    words = line.split()
    if state == "tail" or _RULE_LINE.fullmatch(line.strip()) or norm.startswith(FOOTER_MARKERS):
        return "boilerplate", "tail"
    marker = _link_marker(norm)
    if marker:
        rest = norm[len(marker):].strip(" :/.-()«»\"'\u00a0")
        return "boilerplate", None if rest else "links"
    if norm.startswith(BOILERPLATE_PREFIXES):
        return "boilerplate", state
    if state == "links":
        if _SENTENCE_END.search(line) and len(words) > SUBHEAD_MAX_WORDS:
            state = None
        else:
            return "boilerplate", state
    if (len(line) <= 60 and norm in BOILERPLATE_LINES) or re.fullmatch(r"(https?://|www\.)\S+", line.strip()):
        return "boilerplate", state
    if index == 1 and len(words) <= 4 and not _SENTENCE_END.search(line) and (
            (source and normalize(line.strip(" .:"), ta_marbuta=True) == normalize(source, ta_marbuta=True))
            or norm.startswith(BYLINE_MARKERS)):
        return "byline", state
    if len(words) <= SUBHEAD_MAX_WORDS and not _SENTENCE_END.search(line):
        return "subhead", state
    return "body", state


def _opens_story(line):
    """Another story's lead (a weekday set off by commas) or headline (no closing mark, no «..»)."""
    if line[0] in "وف":
        return False
    if not _SENTENCE_END.search(line):
        return ".." not in line or line.split()[0].endswith("..")
    head = normalize(line[:160], ta_marbuta=True)
    return any(re.search(r"[،,]\s*(\S+\s+)?" + re.escape(day) + r"\s*[،,]", head) for day in DATELINE_MARKERS)


def _reference_teasers(lines, zones):
    """The trailing run of other stories' leads and headlines, after trailing boilerplate."""
    last = len(lines) - 1
    while last > 0 and zones[last] == "boilerplate":
        last -= 1
    run = []
    for k in range(last, 2, -1):
        if zones[k] not in ("body", "subhead") or not _opens_story(lines[k]):
            break
        run.append(k)
    k = last - len(run)
    body = [i for i in range(1, k + 1) if zones[i] in ("body", "subhead")]
    punctuated = [i for i in body if _SENTENCE_END.search(lines[i])]
    alone = len(run) == 1 and zones[run[0]] == "subhead"
    if (len(run) >= TEASER_RUN or alone) and k in punctuated and 2 * len(punctuated) >= len(body):
        return run
    return []


def reference_spans(text, source=""):
    out, state, index = [], None, 0
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        if not line.strip():
            continue
        s = m.start() + len(line) - len(line.lstrip())
        e = m.start() + len(line.rstrip())
        zone, state = _reference_zone(text[s:e], index, source or "", state)
        out.append((index, zone, s, e))
        index += 1
    lines = [text[s:e] for _i, _z, s, e in out]
    for k in _reference_teasers(lines, [z for _i, z, _s, _e in out]):
        out[k] = (k, "boilerplate", out[k][2], out[k][3])
    return out


# --- Inputs ---------------------------------------------------------------------------
PIECES = [
    "اقرأ أيضا", "اقرأ أيضاً", "اِقْرَأْ أَيْضًا", "إقرأ أيضا", "ذات صلة", "ذَاتُ صِلَةٍ", "للمزيد",
    "جميع الحقوق محفوظة", "جَمِيعُ الْحُقُوقِ مَحْفُوظَةٌ", "الأكثر قراءة", "تابعونا على",
    "التعليقات", "شارك", "شارك هذا المقال", "أضف تعليقك", "إرسال التعليق", "ارسال التعليق",
    "بقلم", "كتب", "كتبت", "المصدر", "وكالات", "خاص", "مراسل", "التغيير", "الجزيرة",
    "----", "—————", "يمكنكم استلام إشعارات", "اقرأ:", "للمزيد:", "اقرار",
    "http://example.com", "https://", "http://", "www.", "www.site.ly/a", "https://x.y/z?q=1",
    "قال", "الوزير", "إن", "تركيا", "وقطر", "تدعمان", "الحوار", "في", "ليبيا", "العسكري",
    "التعاون العسكري", "زيارة", "تحالف", "ﻻ", "ﻷ", "مـرحـبـا", "كلمة\u200cطويلة", "\u200f", "\u200b",
    "\ufeff", "\u0640", "\u064b\u064e", "٣", "۴", "ة", "ی", "ک", "ھ", "2021", "abc",
    ".", "..", ":", "!", "؛", ";", "؟", "،", '"', "”", "»", "'", "«", ". :", "(", ")",
]
SPACES = [" ", " ", " ", " ", "  ", "\t", "\u00a0", "\u2009", "\u3000", "\r", "\x0b", "\x1c", "\u2028", "\u0085"]
BREAKS = ["\n", "\n", "\n", "\n\n", "\n \n", "\n\t\n", " \n", "\n  "]


def generated_texts(n, seed=11):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        lines = []
        for _ in range(rng.randint(0, 9)):
            k = rng.choice([0, 1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 30])
            parts = [rng.choice(PIECES) for _ in range(k)]
            line = "".join(p + rng.choice(SPACES) for p in parts)
            if rng.random() < 0.3:
                line = rng.choice(["", " ", ".", ": ", "\t", ". .", "\u00a0"]) + line
            if rng.random() < 0.3 and line:
                line = line.rstrip() if rng.random() < 0.5 else line
            if rng.random() < 0.5:
                line += rng.choice([".", "!", ":", "؛", ";", "؟", '."', ". »", ":”", "!'", " '", "»",
                                    ". ", "..", "", "", ""])
            lines.append(line)
        text = "".join(line + rng.choice(BREAKS) for line in lines)
        out.append(text if rng.random() < 0.8 else text.rstrip("\n"))
    return out


EDGE_TEXTS = [
    "", "\n", " \n\t\n", "عنوان", "عنوان\n", "\n\n  عنوان  \n\n", "عنوان\nالتغيير", "عنوان\n التغيير. \n",
    "عنوان\nبقلم أحمد\nنص.", "عنوان\nكتب محمد علي حسن خليل\nنص", "عنوان\nاقرأ أيضا\nسطر\nسطر.",
    "اقرأ أيضا\nسطر", "عنوان\nنص.\nذات صلة: أخبار\nالتعليقات", "عنوان\nwww.example.com\nhttp://\nhttps://a",
    "عنوان\nwww.a b", "عنوان\n.:. اقرأ أيضا", "عنوان\nشارك", "عنوان\n" + "شارك " * 13,
    "عنوان\n" + "كلمة " * 12, "عنوان\n" + "كلمة " * 13, "عنوان\nقال «نعم.»", "عنوان\nقال «نعم» .",
    "عنوان\nقال: \"نعم\"", "عنوان\n'", "عنوان\n.", "عنوان\n:", "عنوان\n. : .", "عنوان\r\nنص.\r\n",
    "عنوان\n\u00a0نص\u00a0\n", "عنوان\n" + "\u064e" * 30 + "اقرأ أيضا", "عنوان\n" + "\u200b" * 70 + "ذات صلة",
    "عنوان\n" + "ـ" * 10 + "جميع الحقوق محفوظة" + "." * 50, "عنوان\n" + "." * 80 + "للمزيد",
    "عنوان\nالتعليقات" + " " * 3 + "." * 60, "عنوان\n" + "ا" * 59 + "\u064e" * 10,
]


@pytest.fixture(scope="module")
def archive_articles():
    """Real feed text: the test archive, and the first 600 articles of the dev archive when it
    is beside the repository (always in CI)."""
    from akhbar.corpus.archive import load_corpus

    paths = [ROOT / "tests" / "data" / "archive" / "articles.jsonl"]
    if in_ci() or (SHARED / "dev" / "ant_dev.jsonl.gz").exists():
        paths.append(shared_path("dev/ant_dev.jsonl.gz", "real feed text for the paragraph reference"))
    frames = [next(iter(load_corpus(p, batch_size=600))) for p in paths]
    return pd.concat(frames, ignore_index=True)[["article_id", "text", "source"]]


def generated_articles():
    texts = [t for t in generated_texts(300) if t.strip()]
    return pd.DataFrame({"article_id": [f"g{i:03d}" for i in range(len(texts))], "text": texts,
                         "source": ["التغيير" if i % 3 else "" for i in range(len(texts))]})


# --- Tests ----------------------------------------------------------------------------
class TestParagraphSpans:
    def test_seeds(self, articles):
        for text, source in zip(articles["text"], articles["source"]):
            assert paragraph_spans(text, source) == reference_spans(text, source)

    def test_archive_text(self, archive_articles):
        assert len(archive_articles) > 10
        for text, source in zip(archive_articles["text"], archive_articles["source"]):
            assert paragraph_spans(text, source) == reference_spans(text, source)

    @pytest.mark.parametrize("source", ["", "التغيير", "بقلم", None])
    def test_edge_cases(self, source):
        for text in EDGE_TEXTS:
            assert paragraph_spans(text, source) == reference_spans(text, source), repr(text)

    def test_generated_texts(self):
        for i, text in enumerate(generated_texts(3000)):
            for source in ("", "التغيير", "كتب"):
                assert paragraph_spans(text, source) == reference_spans(text, source), (i, repr(text))

    def test_fold_is_per_character(self):
        """Folding joined heads once gives each head's own fold (the batch relies on it)."""
        chars = [chr(c) for c in [*range(0x20, 0x250), *range(0x600, 0x700), *range(0x2000, 0x2070),
                                  *range(0xFB50, 0xFF00)] if chr(c) != "\n"]
        for ta in (False, True):
            assert normalize("\n".join(chars), ta).split("\n") == [normalize(c, ta) for c in chars]
        heads = [p.strip(" .:")[:60] for p in PIECES + EDGE_TEXTS if "\n" not in p]
        assert normalize("\n".join(heads), True).split("\n") == [normalize(h, True) for h in heads]


THEMES_CSV = """theme,cue,weight
MIL,التعاون العسكري,3
ECO,التعاون العسكري,2
MIL,العسكري,1
DIP,زيارة,2
ECO,الاقتصاد,2
LEG,الشرعية,2
WAR,الحرب,1
AXIS,التحالف,1
"""


class TestParagraphThemes:
    @pytest.fixture
    def themes_file(self, tmp_path):
        path = tmp_path / "themes.csv"
        path.write_text(THEMES_CSV, encoding="utf-8")
        return str(path)

    def test_scores_ranking_and_cues(self, themes_file):
        text = ("عنوان\nبحث الوزير التعاون العسكري خلال زيارة تناولت الاقتصاد والشرعية والحرب والتحالف.\n"
                "اقرأ أيضا\nزيارة أخرى")
        arts = pd.DataFrame({"article_id": ["a"], "text": [text], "source": [""]})
        th = akhbar.paragraph_themes(arts, path=themes_file).set_index("para")
        body = th.loc[1]
        # the longer cue wins over العسكري and scores for both its themes; ties go to the
        # theme whose first cue comes first (DIP before LEG, WAR before AXIS)
        assert body["scores"] == "ECO:4 MIL:3 DIP:2 LEG:2 WAR:1 AXIS:1"
        assert (body["themes"], body["borderline"]) == ("ECO|MIL|DIP", "LEG")
        assert body["cues"] == "التعاون العسكري · زيارة · الاقتصاد · والشرعية · والحرب · والتحالف"
        assert list(th["zone"]) == ["title", "body", "boilerplate", "boilerplate"]
        assert list(th["themes"]) == ["NONE", "ECO|MIL|DIP", "NONE", "NONE"]

    def test_same_result_with_a_paragraph_table_in_any_order(self, articles):
        paras = akhbar.paragraphs(articles).sample(frac=1, random_state=3)
        by_table = akhbar.paragraph_themes(articles, paras).sort_values(["article_id", "para"])
        assert_frame_equal(by_table.reset_index(drop=True), akhbar.paragraph_themes(articles))

    def test_each_paragraph_is_themed_from_its_own_row(self, themes_file):
        # «الحرب» twice: a cue of weight 1 alone gives no theme (MIN_SCORE)
        arts = pd.DataFrame({"article_id": ["a", "a"], "text": ["عنوان\nالحرب ثم الحرب.", "عنوان\nزيارة."]})
        th = akhbar.paragraph_themes(arts, path=themes_file)
        assert list(th["themes"]) == ["NONE", "WAR", "NONE", "DIP"]
        assert akhbar.paragraph_themes(arts.head(0)).empty
