"""Pixel helpers for render tests: draw a label, find ink, count connected pieces."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from akhbar.views.style import setup_fonts  # noqa: E402

setup_fonts()


def render(s: str, size: int = 28) -> np.ndarray:
    """Draw ``s`` exactly as given (no reshaping) and return a boolean ink mask, cropped."""
    fig = plt.figure(figsize=(8, 1.4), dpi=100)
    fig.text(0.5, 0.5, s, ha="center", va="center", fontsize=size)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    buf.seek(0)
    return ink(plt.imread(buf))


def ink(img: np.ndarray) -> np.ndarray:
    """Boolean mask of dark pixels of an RGB(A) image, cropped to the ink."""
    gray = img[..., :3].mean(axis=2)
    mask = gray < 0.5
    rows, cols = np.where(mask)
    return mask[rows.min():rows.max() + 1, cols.min():cols.max() + 1]


def components(mask: np.ndarray) -> int:
    """Number of 8-connected ink components."""
    seen = np.zeros_like(mask, dtype=bool)
    h, w = mask.shape
    count = 0
    for y, x in zip(*np.nonzero(mask)):
        if seen[y, x]:
            continue
        count += 1
        stack = [(y, x)]
        seen[y, x] = True
        while stack:
            cy, cx = stack.pop()
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    ny, nx = cy + dy, cx + dx
                    if 0 <= ny < h and 0 <= nx < w and mask[ny, nx] and not seen[ny, nx]:
                        seen[ny, nx] = True
                        stack.append((ny, nx))
    return count


def best_column(haystack: np.ndarray, needle: np.ndarray) -> int:
    """Left column where ``needle`` overlaps ``haystack`` best (both ink masks)."""
    H, W = haystack.shape
    h, w = needle.shape
    pad = np.zeros((max(H, h), W + 2 * w), dtype=float)
    pad[:H, w:w + W] = haystack
    n = needle.astype(float)
    scores = []
    for x in range(pad.shape[1] - w + 1):
        best = 0.0
        for y in range(0, pad.shape[0] - h + 1):
            best = max(best, float((pad[y:y + h, x:x + w] * n).sum()))
        scores.append(best)
    return int(np.argmax(scores)) - w


def mean_difference(a: np.ndarray, b: np.ndarray) -> float:
    """Share of pixels that differ between two masks padded to the same size."""
    h, w = max(a.shape[0], b.shape[0]), max(a.shape[1], b.shape[1])
    pa = np.zeros((h, w), bool)
    pb = np.zeros((h, w), bool)
    pa[:a.shape[0], :a.shape[1]] = a
    pb[:b.shape[0], :b.shape[1]] = b
    return float((pa ^ pb).mean())
