"""Arabic in charts comes out joined and right to left, checked on rendered pixels."""

from pathlib import Path

import matplotlib
import numpy as np
import pytest
from arabic_reshaper import reshape
from bidi import get_display

from akhbar.views.style import NATIVE_RTL, label
from pixels import best_column, components, mean_difference, render

REFERENCE = Path(__file__).parent / "data" / "label_reference.npy"
PHRASE = "الإمارات العربية"


def wrong(s):
    """What a naive chart does on matplotlib >= 3.11: reshape + bidi before drawing."""
    return get_display(reshape(s))


class TestLabel:
    def test_the_pinned_matplotlib_draws_arabic_itself(self):
        """matplotlib 3.11 and later shape and order Arabic (requirements.txt pins 3.11.2): a
        label goes to it unchanged, and the reshaped, reordered form would be wrong."""
        assert tuple(int(x) for x in matplotlib.__version__.split(".")[:2]) >= (3, 11)
        assert NATIVE_RTL
        assert label(PHRASE) == "الإمارات العربية"
        assert wrong(PHRASE) != PHRASE  # so the check above tells the two apart

    def test_letters_are_joined(self):
        joined = components(render(label("العربية")))
        apart = components(render(" ".join("العربية")))
        assert joined <= apart - 4, (joined, apart)

    def test_first_word_is_on_the_right(self):
        full = render(label(PHRASE))
        first = render(label("الإمارات"))
        second = render(label("العربية"))
        x_first = best_column(full, first)
        x_second = best_column(full, second)
        assert x_first > x_second, (x_first, x_second)
        assert x_first > full.shape[1] // 3

    def test_reversed_label_fails_the_direction_check(self):
        full = render(wrong(PHRASE))
        if not NATIVE_RTL:
            pytest.skip("old matplotlib draws reshaped text in order")
        x_first = best_column(full, render(label("الإمارات")))
        x_second = best_column(full, render(label("العربية")))
        assert not x_first > x_second

    def test_matches_known_good_rendering(self):
        ref = np.load(REFERENCE)
        good = render(label(PHRASE))
        bad = render(wrong(PHRASE))
        assert mean_difference(good, ref) < 0.02
        assert mean_difference(bad, ref) > 0.05
