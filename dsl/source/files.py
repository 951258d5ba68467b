"""Finding routine files, reading what a user gives us, and writing output files safely.

Every read of user input (a file, standard input, a pipe, a device, a configuration file)
goes through ``read_input``: it stops at a size limit *while* reading, so ``/dev/zero``
or an endless pipe costs bounded time and memory, and it waits only ``PIPE_WAIT`` seconds
for a named pipe that nobody writes to. Every file written (``fmt``, ``compile -o``) goes
through ``write_atomically``: through symbolic links to their target, keeping the mode and
owner, and refusing what it cannot replace without harm (see its docstring). A file that
must not replace anything (``stretch new``) goes through ``create_exclusively``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import stat
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import msgspec

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

SUFFIX = ".stretch"

MAX_SOURCE_SIZE = 4_000_000
"""The largest routine file read, in bytes (characters for text): real routines are a few
kilobytes, and past this a file is refused at once (P124) instead of taking seconds and
hundreds of megabytes to parse."""

_SKIPPED_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv"}

PIPE_WAIT = 2.0
"""Seconds to wait for a named pipe (FIFO) given by name to deliver its first bytes: a
pipe that no process writes to is reported after this long instead of blocking forever."""

_CHUNK = 1 << 16


class MissingPath(Exception):
    """A path named on the command line that does not exist."""


class TooLarge(Exception):
    """Input over the size limit; ``size`` is its size when known (a regular file), or how
    much was read before stopping (a stream), with ``exact`` saying which."""

    def __init__(self, size: int, exact: bool) -> None:
        super().__init__(size)
        self.size = size
        self.exact = exact


def discover(paths: list[Path]) -> list[Path]:
    """Routine files named directly, plus every ``*.stretch`` regular file under named
    folders, in a stable (sorted) order without duplicates.

    A folder scan takes regular files only (a link to one counts): named pipes, devices
    and sockets that happen to end in ``.stretch`` are left out, since reading them could
    block or never end. It does not enter linked folders, so a link back up the tree
    cannot make it loop. A pipe or device named on the command line is read as asked.
    """
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):  # followlinks=False: no linked folders
                dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
                for name in sorted(files):
                    candidate = Path(root) / name
                    if name.endswith(SUFFIX) and _is_regular(candidate):
                        found.setdefault(candidate)
        elif path.exists() or str(path) == "-":
            found.setdefault(path)
        else:
            raise MissingPath(str(path))
    return list(found)


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:  # a dangling link, a file removed meanwhile
        return False


# --- reading ---------------------------------------------------------------------------


def read_input(path: str | Path, limit: int, *, regular_only: bool = False,
               stdin: BinaryIO | None = None) -> bytes:
    """The bytes of a file, or of standard input for ``-``, read up to ``limit``.

    Raises ``TooLarge`` past the limit (having read at most ``limit + 1`` bytes of a
    stream, and nothing of a regular file whose size says so) and ``OSError`` when the
    path cannot be read: a folder, a named pipe with no writer after ``PIPE_WAIT``
    seconds, or anything but a regular file when ``regular_only`` is set (configuration
    files: nothing there should ever be a stream).
    """
    if str(path) == "-":
        return _read_stream(stdin or sys.stdin.buffer, limit)
    # Non-blocking open: opening a named pipe for reading would otherwise wait for a
    # writer before we could even look at what it is.
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    descriptor = os.open(path, flags)
    with os.fdopen(descriptor, "rb", buffering=0) as handle:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if stat.S_ISREG(info.st_mode):
            if info.st_size > limit:  # refused before it is read
                raise TooLarge(info.st_size, exact=True)
        elif regular_only:
            raise OSError(errno.EINVAL, f"not a regular file ({kind(info.st_mode)})", str(path))
        elif stat.S_ISFIFO(info.st_mode) and not _wait_for_data(descriptor, PIPE_WAIT):
            raise OSError(errno.EAGAIN, f"nothing was written to this named pipe in "
                          f"{PIPE_WAIT:g} s (is a writer running?)", str(path))
        os.set_blocking(descriptor, True)
        return _read_stream(handle, limit)


def _wait_for_data(descriptor: int, seconds: float) -> bool:
    """True once a pipe has data or its writer has closed it; False after ``seconds``.
    (A pipe no writer ever opened reports neither.)"""
    poller = select.poll()
    poller.register(descriptor, select.POLLIN | select.POLLHUP)
    return bool(poller.poll(int(seconds * 1000)))


def _read_stream(stream: BinaryIO, limit: int) -> bytes:
    """Read to the end of a stream, but never more than ``limit + 1`` bytes."""
    parts: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)
        total += len(chunk)
        if total > limit:
            raise TooLarge(total, exact=False)


def kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    for test, words in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"),
                        (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                        (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symbolic link")):
        if test(mode):
            return words
    return "not a regular file"


# --- writing ---------------------------------------------------------------------------


class WriteRefused(OSError):
    """A write refused before anything was changed; ``strerror`` says why."""


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write one file so that readers see the old content or the new, never a mix, and so
    that the new content survives a crash once this returns (see "Durable output" above).

    The data goes to a temporary file in the target's folder, is flushed to disk, and then
    replaces the target in one rename, which is made durable by flushing the folder; if
    anything fails before the rename, the old file is untouched.

    - A symbolic link is followed: its target is replaced and the link stays a link.
    - The new file keeps the old one's mode, and its owner and group where this process
      may set them (root may; others keep theirs).
    - Refused with ``WriteRefused`` (nothing changed): a target that is not a regular file
      (a folder, a pipe, a device: a rename would replace the node itself), a file this
      user may not write (a rename needs only the folder's permission, so it would
      bypass the file's), and a file with more than one hard link (a rename would give
      this name the new text and leave the other names with the old).
    """
    staged = stage(path, data, flush=True)
    install([staged])


class Staged(msgspec.Struct, frozen=True):
    """A new file written beside its target under a hidden temporary name, not yet in its
    place. ``folders`` are the folders whose entries must be flushed to make it durable
    once installed: the target's, and the parent of each folder made for it."""

    temporary: str
    target: str
    folders: tuple[str, ...]
    path: str = ""  # the target as the caller named it (a link, say), for messages


def stage(path: Path, data: str | bytes | Iterable[bytes], *, flush: bool = False) -> Staged:
    """Write ``data`` (text, bytes, or bytes in pieces) to a temporary file beside ``path``,
    with the mode and owner the new file will have, after the checks ``write_atomically``
    describes. The target is not touched; ``install`` puts the file in place, ``discard``
    removes it. ``flush`` makes the data durable now (one file); for many files,
    ``make_durable`` flushes them together, which is much cheaper.

    On any failure the temporary file is removed and the error raised."""
    try:
        old: os.stat_result | None = os.stat(path)  # through links: what would be replaced
    except FileNotFoundError:
        old = None
    if old is not None:
        _check_replaceable(path, old)
    target = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    folders = (str(target.parent), *_make_folders(target.parent))
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if isinstance(data, (str, bytes)):
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            else:
                for piece in data:
                    handle.write(piece)
            if flush:
                handle.flush()
                os.fsync(handle.fileno())
        if old is not None:
            os.chmod(temporary, old.st_mode & 0o7777)
            _keep_owner(temporary, old)
        else:
            os.chmod(temporary, 0o666 & ~_umask())  # as a plain open() would create it
    except BaseException:
        discard([Staged(temporary, str(target), ())])
        raise
    return Staged(temporary, str(target), folders, str(path))


def make_durable(staged: Sequence[Staged]) -> None:
    """Flush the staged files' data to disk, from several threads at once: the file system
    then commits them together (a thousand files in about a tenth of a second, where one
    flush after another takes a few milliseconds each)."""
    _flush_all([one.temporary for one in staged])


class Flushing:
    """Flushes staged files' data to disk from background threads while the caller makes
    the next ones: ``make_durable`` for files that come one at a time (``stretch compile``
    of a library), so the waiting on the disk overlaps the compiling instead of following
    it. ``wait`` returns once every file handed over is durable (or raises the first
    error); ``stop`` gives up on those not flushed yet (their files are to be discarded).

    The threads mostly wait on the disk, with the interpreter lock released; several at
    once let the file system commit their files together, as ``make_durable`` does. A
    single file is flushed by ``wait`` itself: there is nothing to overlap, and starting
    threads (and importing what they need) would cost a one-file compile its time."""

    def __init__(self) -> None:
        self._first: Staged | None = None
        self._threads: ThreadPoolExecutor | None = None
        self._pending: list[Future[None]] = []

    def add(self, staged: Staged) -> None:
        """Start flushing ``staged``'s data (its temporary file) to disk."""
        if self._first is None and self._threads is None:
            self._first = staged  # flushed with the second file, or by `wait`
            return
        if self._threads is None:
            from concurrent.futures import ThreadPoolExecutor

            self._threads = ThreadPoolExecutor(max_workers=_FLUSH_THREADS)
        for one in (self._first, staged):
            if one is not None:
                self._pending.append(self._threads.submit(_flush, one.temporary))
        self._first = None

    def wait(self) -> None:
        try:
            if self._first is not None:
                _flush(self._first.temporary)
            for flushed in self._pending:
                flushed.result()
        finally:
            self.stop()

    def stop(self) -> None:
        self._first = None
        if self._threads is not None:
            self._threads.shutdown(wait=True, cancel_futures=True)


_FLUSH_THREADS = 16
"""Files flushed at once (``make_durable``, ``Flushing``)."""


def _flush_all(paths: list[str]) -> None:
    if len(paths) <= 1:
        for path in paths:
            _flush(path)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(_FLUSH_THREADS, len(paths))) as threads:
        list(threads.map(_flush, paths))


def install(staged: Sequence[Staged]) -> None:
    """Put staged files in place, each in one rename, then flush each folder involved once,
    so the renames survive a crash too. Their data must be durable already (``stage`` with
    ``flush``, or ``make_durable``): otherwise a crash could leave a renamed, empty file.

    If a rename fails, the files not yet renamed are discarded (their old files stay) and
    the error is raised, naming the file as the caller named it; the folders of the files
    already renamed are flushed all the same."""
    done = 0
    try:
        for one in staged:
            os.replace(one.temporary, one.target)
            done += 1
    except BaseException as error:
        discard(staged[done:])
        with contextlib.suppress(OSError):
            _flush_folders(staged[:done])
        if isinstance(error, OSError) and error.errno is not None:
            raise OSError(error.errno, error.strerror, staged[done].path) from error
        raise
    _flush_folders(staged)


def install_each(staged: Sequence[Staged]) -> list[OSError | None]:
    """Put staged files in place as ``install`` does, each on its own: a file that cannot
    be renamed is discarded (its old file stays) and its error, naming it as the caller
    named it, takes its place in the list returned (None for each file installed). The
    folders of the files installed are flushed once each, as ``install`` flushes them;
    an error flushing them is raised."""
    errors: list[OSError | None] = []
    done: list[Staged] = []
    try:
        for one in staged:
            try:
                os.replace(one.temporary, one.target)
            except OSError as error:
                discard([one])
                errors.append(OSError(error.errno, error.strerror, one.path))
            else:
                done.append(one)
                errors.append(None)
    except BaseException:  # Ctrl-C: the files not yet renamed keep their old text
        discard(staged[len(errors):])
        raise
    finally:
        _flush_folders(done)
    return errors


def discard(staged: Iterable[Staged]) -> None:
    """Remove staged temporary files (the targets are untouched)."""
    for one in staged:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(one.temporary)


def write_all(outputs: Iterable[tuple[Path, str | bytes | Iterable[bytes]]]) -> None:
    """Write several files as ``write_atomically`` writes one, with the same guarantees,
    but flushed together: every temporary file is written, their data made durable at
    once, then each is renamed and each folder flushed once. If a file cannot be written,
    none is replaced (the temporaries are removed) and the error is raised."""
    staged: list[Staged] = []
    try:
        for path, data in outputs:
            staged.append(stage(path, data))
        make_durable(staged)
    except BaseException:
        discard(staged)
        raise
    install(staged)


def create_exclusively(path: Path, data: str | bytes) -> None:
    """Write a new file, durably, only if nothing has its name: never replacing a file, a
    folder or a link (even a link to nothing), not even one that appears while this runs.

    The data is staged and flushed beside the target as ``write_atomically`` does, then
    hard-linked to the name: a link fails when the name is taken, where a rename would
    replace what took it. On a file system without hard links, the file is opened with
    exclusive creation instead and written there (a reader could then see it part-written,
    never a file replaced). No folder is made.

    Raises ``FileExistsError`` when the name is taken, ``FileNotFoundError`` or
    ``NotADirectoryError`` when its folder is missing or is not a folder, and any other
    ``OSError`` the system gives; nothing is left behind in any case.
    """
    folder = path.parent
    if not folder.is_dir():
        missing = errno.ENOTDIR if folder.exists() else errno.ENOENT
        raise OSError(missing, os.strerror(missing), str(folder))
    if os.path.lexists(path):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))
    staged = stage(path, data, flush=True)
    try:
        os.link(staged.temporary, path, follow_symlinks=False)
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        _create_in_place(path, data)
    finally:
        discard([staged])
    _flush_folders([staged])


_NO_HARD_LINKS = frozenset({errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS})
"""What ``link`` gives on a file system that has no hard links (FAT, some network and
user-space file systems)."""


def _create_in_place(path: Path, data: str | bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags, 0o666)  # the umask applies, as for a plain open()
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)  # ours: exclusive creation made it
        raise


def _flush(path: str) -> None:
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except IsADirectoryError:  # Windows cannot open a folder: renames are its business
        return
    try:
        os.fsync(descriptor)
    except OSError as error:
        # Some file systems cannot flush a folder (EINVAL): the rename is then as durable
        # as they make it.
        if error.errno != errno.EINVAL:
            raise
    finally:
        os.close(descriptor)


def _flush_folders(staged: Iterable[Staged]) -> None:
    """Flush each folder involved once (together, as ``make_durable`` flushes files)."""
    _flush_all(list(dict.fromkeys(folder for one in staged for folder in one.folders)))


def _make_folders(folder: Path) -> list[str]:
    """Make ``folder`` and its missing parents; the parent of each one made (whose entry
    list changed), deepest first."""
    missing: list[Path] = []
    while not folder.is_dir():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    if missing:
        missing[0].mkdir(parents=True, exist_ok=True)
    return [str(made.parent) for made in missing]


def _check_replaceable(path: Path, old: os.stat_result) -> None:
    if not stat.S_ISREG(old.st_mode):
        raise WriteRefused(errno.EINVAL, f"{kind(old.st_mode)}, not a regular file; "
                           "nothing was written", str(path))
    if not os.access(path, os.W_OK):
        raise WriteRefused(errno.EACCES, "permission denied: you may not write this file "
                           "(it is read-only for you); nothing was changed", str(path))
    if old.st_nlink > 1:
        raise WriteRefused(errno.EMLINK, f"the file has {old.st_nlink} hard links, and "
                           "replacing it would split them (the other names would keep the "
                           "old text); nothing was changed", str(path))


def _keep_owner(temporary: str, old: os.stat_result) -> None:
    """Give the new file the old owner and group, as far as this process may."""
    for uid, gid in ((old.st_uid, old.st_gid), (-1, old.st_gid)):
        try:
            os.chown(temporary, uid, gid)
            return
        except PermissionError:
            continue


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
