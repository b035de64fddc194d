"""``python -m akhbar``: the command line, in :mod:`akhbar.cli.main`."""

from .cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
