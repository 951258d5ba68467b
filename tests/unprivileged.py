"""Running the command line as an ordinary user, for the tests about file permissions.

CI runs as root, and root may write any file, so a test of "a read-only file is refused"
must drop privileges. ``run_as_nobody`` starts a Python process that imports everything
the commands could need while it is still the caller (the checkout and its virtual
environment may live in a folder only root can read, so ``setpriv`` or ``runuser`` would
leave ``nobody`` unable to import them), then switches to the ``nobody`` user and runs
``stretch`` with the given arguments. When the tests do not run as root, the process
simply runs as the current user, which is already unprivileged.

``shared_folder`` makes a temporary folder that ``nobody`` can enter and write in
(pytest's own ``tmp_path`` is private to the user running the tests).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import ROOT

NOBODY = 65534

_CHILD = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, {root!r})
    # Everything a command may import lazily, imported before privileges are dropped:
    # every module of the package and of the libraries the commands use.
    import importlib, pkgutil
    for package in ("dsl", "typer", "click", "lark", "orjson", "jsonschema"):
        try:
            module = importlib.import_module(package)
        except ImportError:
            continue
        for found in pkgutil.walk_packages(getattr(module, "__path__", []), package + "."):
            if found.name.endswith("__main__"):  # runs a program when imported
                continue
            try:
                importlib.import_module(found.name)
            except Exception:  # optional extras (rich, the language server's pygls, ...)
                pass
    from dsl.cli import run
    from dsl.syntax.grammar import lark_parser
    from dsl.codes import rules
    lark_parser()
    rules()
    if os.geteuid() == 0:
        os.setgroups([])
        os.setgid({nobody})
        os.setuid({nobody})
    sys.argv = ["stretch", *sys.argv[1:]]
    run()
""")


def run_as_nobody(
    folder: Path, *args: str, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """``stretch ARGS`` in ``folder`` as an unprivileged user."""
    code = _CHILD.format(root=str(ROOT), nobody=NOBODY)
    return subprocess.run([sys.executable, "-c", code, *args], cwd=folder, capture_output=True,
                          text=True, timeout=timeout)


@contextmanager
def shared_folder() -> Iterator[Path]:
    """A temporary folder owned by ``nobody`` when running as root (else by the user)."""
    folder = Path(tempfile.mkdtemp(prefix="stretch-test-"))
    try:
        folder.chmod(0o755)
        if os.geteuid() == 0:
            os.chown(folder, NOBODY, NOBODY)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
