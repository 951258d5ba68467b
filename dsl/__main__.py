"""``python -m dsl`` and the ``stretch`` command."""

from __future__ import annotations

import sys


def main() -> None:
    # Answer --version before importing the command-line machinery: it is the
    # start-up time people notice.
    if sys.argv[1:] in (["--version"], ["-V"]):
        from dsl._version import __version__

        print(f"stretch {__version__}")
        return
    from dsl.cli.application import run

    run()


if __name__ == "__main__":
    main()
