"""Writing files so that nothing is lost: a temporary file renamed into place only on
success, and a lock that refuses a second writer of the same output."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator


class OutputLocked(RuntimeError):
    """Another run is writing the same output file.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> out = Path(tempfile.mkdtemp()) / "spans.csv"
        >>> try:
        ...     with output_lock(out), output_lock(out):
        ...         pass
        ... except OutputLocked as exc:
        ...     "another run is writing it" in str(exc)
        True
    """


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` that replaces it only if the block succeeds.

    A crash, Ctrl-C or error inside the block leaves the previous ``path`` as it was and
    removes the temporary file, so no half-written output ever carries the final name.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> out = Path(tempfile.mkdtemp()) / "spans.csv"
        >>> with atomic_path(out) as part:
        ...     _ = pd.DataFrame({"surface": ["حفتر"]}).to_csv(part, index=False)
        >>> out.read_text(encoding="utf-8"), sorted(p.name for p in out.parent.iterdir())
        ('surface\\nحفتر\\n', ['spans.csv'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.{os.getpid()}.partial{path.suffix}")
    try:
        yield part
        os.replace(part, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            part.unlink()


@contextlib.contextmanager
def output_lock(path: str | Path) -> Iterator[Path]:
    """Hold ``.<name>.lock`` beside ``path`` while writing it; a second writer is refused.

    Raises:
        OutputLocked: naming the output and the lock file, when another run holds it.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> out = Path(tempfile.mkdtemp()) / "spans.csv"
        >>> with output_lock(out) as lock:
        ...     _ = write_text(out, "قال")
        ...     lock.name
        '.spans.csv.lock'
        >>> lock.exists(), out.read_text(encoding="utf-8")
        (False, 'قال')
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(f".{path.name}.lock")
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        if not _stale(lock):
            raise OutputLocked(f"{path}: another run is writing it (lock {lock}); "
                               "wait for it, or delete the lock if no run is active") from None
        lock.unlink()  # left by a run that was killed: its process is gone, and so is its partial file
        for part in path.parent.glob(f".{path.name}.*.partial*"):
            with contextlib.suppress(OSError):
                part.unlink()
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    try:
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        yield lock
    finally:
        with contextlib.suppress(FileNotFoundError):
            lock.unlink()


def _stale(lock: Path) -> bool:
    """Whether a lock was left by a process that no longer runs (on this machine)."""
    try:
        pid = int(lock.read_text().strip() or 0)
    except (OSError, ValueError):
        return False
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def check_file_name(article_id: str) -> str:
    """An article id that is safe as a file name, or a ValueError saying why not.

    Ids become ``<id>.csv``, ``<id>.txt`` and ``<id>.ann``: an id with a path separator, a
    leading dot, ``..`` or a control character would write or read elsewhere.

    Example:
        >>> check_file_name("004_89c82ba38a398626")
        '004_89c82ba38a398626'
    """
    aid = str(article_id)
    if (not aid or aid.startswith(".") or any(c in aid for c in "/\\:") or ".." in aid
            or any(ord(c) < 32 for c in aid)):
        raise ValueError(f"article id {aid!r} cannot be a file name (no path separators, leading dots, "
                         "'..' or control characters)")
    return aid


def write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text (``\\n`` line ends) atomically; returns the path.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> path = write_text(Path(tempfile.mkdtemp()) / "note.txt", "قال وزير الخارجية")
        >>> path.name, path.read_text(encoding="utf-8")
        ('note.txt', 'قال وزير الخارجية')
    """
    with atomic_path(path) as part:
        part.write_text(text, encoding="utf-8", newline="\n")
    return Path(path)
