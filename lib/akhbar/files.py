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

    The lock file says who holds it (process id, host, boot, process start time) and is
    held with ``flock`` while the run lasts, so the kernel releases it when the run dies,
    even by ``kill -9``, in a container or not. A lock no live process holds is taken over
    (with the partial files its run left); of two runs racing for it, one takes it and the
    other is refused.

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
    fd = _take_lock(path, lock)
    try:
        yield lock
    finally:
        with contextlib.suppress(FileNotFoundError):
            lock.unlink()
        os.close(fd)  # releases the flock after the name is gone


def _take_lock(path: Path, lock: Path) -> int:
    """An open descriptor of ``lock`` holding its flock, with this run's identity written in."""
    for _attempt in range(20):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o644)
        except FileExistsError:
            try:
                fd = os.open(lock, os.O_RDWR)
            except FileNotFoundError:  # released meanwhile: try again
                continue
            if not _flock(fd):  # a live run holds it
                os.close(fd)
                raise OutputLocked(f"{path}: another run is writing it (lock {lock}, {_holder(lock)}); "
                                   "wait for it, or delete the lock if no run is active") from None
            if not _same_file(fd, lock):  # released and made anew meanwhile: try again
                os.close(fd)
                continue
            old = _read_fd(fd)
            if _alive(old):  # a live process on this machine wrote it without flock: respect it
                os.close(fd)
                raise OutputLocked(f"{path}: another run is writing it (lock {lock}, {_holder(lock)}); "
                                   "wait for it, or delete the lock if no run is active")
            _remove_partials(path.parent, old)  # left by a run that was killed
        else:
            if not _flock(fd):  # cannot happen for a new file, but never hold it unlocked
                os.close(fd)
                continue
        os.ftruncate(fd, 0)
        os.pwrite(fd, _identity().encode(), 0)
        return fd
    raise OutputLocked(f"{path}: the lock {lock} keeps changing hands; try again")


def _flock(fd: int) -> bool:
    """Take the exclusive flock of ``fd`` without waiting; True when taken (or no flock here)."""
    try:
        import fcntl
    except ImportError:  # Windows: the identity in the file is all there is
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    except OSError:  # a file system without flock
        return True


def _same_file(fd: int, lock: Path) -> bool:
    """Whether ``lock`` still names the file open as ``fd`` (not removed and made anew)."""
    try:
        return os.stat(lock).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        return False


def _read_fd(fd: int) -> dict:
    """The identity written in a lock: ``pid``, ``host``, ``boot``, ``pidns``, ``start``."""
    try:
        text = os.pread(fd, 4096, 0).decode("utf-8", "replace")
    except OSError:
        return {}
    if "=" not in text:  # an older lock: the process id alone
        return {"pid": text.strip()}
    return dict(part.split("=", 1) for part in text.split() if "=" in part)


def _holder(lock: Path) -> str:
    try:
        fd = os.open(lock, os.O_RDONLY)
    except OSError:
        return "holder unknown"
    try:
        who = _read_fd(fd)
    finally:
        os.close(fd)
    return f"process {who.get('pid', '?')} on {who.get('host', 'this machine')}"


def _proc(name: str) -> str:
    try:
        with open(f"/proc/{name}", encoding="ascii") as fh:
            return fh.read().strip()
    except OSError:
        return ""


def _start_time(pid: int | str) -> str:
    """When process ``pid`` started (clock ticks since boot; "" where unknown)."""
    stat = _proc(f"{pid}/stat")
    return stat.rsplit(")", 1)[-1].split()[19] if stat else ""


def _identity() -> str:
    import socket

    pidns = ""
    with contextlib.suppress(OSError):
        pidns = os.readlink("/proc/self/ns/pid")
    return (f"pid={os.getpid()} host={socket.gethostname()} boot={_proc('sys/kernel/random/boot_id')} "
            f"pidns={pidns} start={_start_time('self')}\n")


def _alive(who: dict) -> bool:
    """Whether the process a lock names is running, as far as this machine can tell: same
    boot and process namespace, the process exists and started when the lock says."""
    try:
        pid = int(who.get("pid", ""))
    except ValueError:
        return False
    mine = dict(part.split("=", 1) for part in _identity().split())
    for key in ("boot", "pidns"):
        if who.get(key, mine[key]) != mine[key]:
            return False  # another boot or another container: its flock was the proof, and it is free
    if pid <= 0 or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    started = who.get("start")
    return not started or started == _start_time(pid)  # the same id given to a later process is not it


def _remove_partials(folder: Path, who: dict) -> None:
    """Remove the temporary files (:func:`atomic_path`) of a killed run, by its process id."""
    pid = who.get("pid", "")
    if not pid.isdigit():
        return
    for part in folder.glob(f".*.{pid}.partial*"):
        with contextlib.suppress(OSError):
            part.unlink()


MAX_ID_BYTES = 200
"""Longest article id, in UTF-8 bytes: ``<id>.themes.csv`` must stay under the 255 bytes
a file name may have on every common file system."""
WINDOWS_RESERVED = frozenset(["CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                              *(f"LPT{i}" for i in range(10)), "CONIN$", "CONOUT$"])
"""Names Windows keeps for devices, with or without an extension (``NUL.txt`` too)."""
_ID_FORBIDDEN = set('/\\:*?"<>|')


def id_problem(article_id) -> str:
    """Why an article id cannot name files on Linux, macOS and Windows ("" when it can).

    Ids become ``<id>.csv``, ``<id>.txt``, ``<id>.ann`` and ``<id>.xmi``: a path separator,
    a leading dot or ``..`` would write elsewhere; a control character, a character
    Windows forbids (``: * ? " < > |``), a trailing dot or space, a device name (``CON``,
    ``NUL``, ``COM1``…), a lone surrogate or more than :data:`MAX_ID_BYTES` bytes would
    fail there, or end a run of hours half-way.

    Example:
        >>> id_problem("004_89c82ba38a398626"), id_problem("a:b"), id_problem("x" * 300)[:23]
        ('', "has ':' (not allowed in file names on Windows)", 'is 300 bytes long (at m')
    """
    aid = str(article_id)
    if not aid.strip():
        return "is empty"
    try:
        size = len(aid.encode("utf-8"))
    except UnicodeEncodeError:
        return "holds a lone surrogate (half of a character)"
    if size > MAX_ID_BYTES:
        return f"is {size} bytes long (at most {MAX_ID_BYTES} in UTF-8)"
    bad = next((c for c in aid if ord(c) < 32 or 0x7F <= ord(c) < 0xA0), None)
    if bad is not None:
        return f"has the control character {bad!r}"
    bad = next((c for c in aid if c in _ID_FORBIDDEN), None)
    if bad is not None:
        what = "a path separator" if bad in "/\\" else "not allowed in file names on Windows"
        return f"has {bad!r} ({what})"
    if aid.startswith(".") or ".." in aid:
        return "starts with a dot or has '..'"
    if aid != aid.rstrip(". "):
        return "ends with a dot or a space (Windows drops them)"
    if aid.split(".")[0].strip().upper() in WINDOWS_RESERVED:
        return "is a device name on Windows"
    return ""


def check_file_name(article_id: str) -> str:
    """An article id that is safe as a file name, or a ValueError saying why not
    (:func:`id_problem`).

    Example:
        >>> check_file_name("004_89c82ba38a398626")
        '004_89c82ba38a398626'
    """
    aid = str(article_id)
    problem = id_problem(aid)
    if problem:
        raise ValueError(f"article id {aid[:80]!r} cannot be a file name: it {problem}")
    return aid


MAX_TABLE_BYTES = 64 * 1024 * 1024
"""Largest small file (``articles.csv``, a correction file, an article) read whole."""


def read_regular(path: str | Path, limit: int = MAX_TABLE_BYTES) -> bytes:
    """The bytes of a regular file, at most ``limit`` of them.

    A FIFO, a device (``/dev/zero``, a link to it) or a folder is refused without being
    read (a FIFO would block the run for ever, ``/dev/zero`` fill the memory), and so is
    a file larger than ``limit``.

    Raises:
        OSError: naming the file: not a regular file, or too large.

    Example:
        >>> read_regular("/dev/zero")
        Traceback (most recent call last):
        ...
        OSError: [Errno 22] not a regular file (a device, a FIFO or a folder): '/dev/zero'
    """
    import errno
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a device, a FIFO or a folder)", str(path))
        if info.st_size > limit:
            raise OSError(errno.EFBIG, f"{info.st_size:,} bytes, more than the {limit:,} akhbar reads "
                          "from one such file", str(path))
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise OSError(errno.EFBIG, f"more than the {limit:,} bytes akhbar reads from one such file", str(path))
        return b"".join(chunks)
    finally:
        os.close(fd)


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
