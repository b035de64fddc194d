"""Mutation testing of the library: ``make mutants [MODULES="lib/akhbar/layers/dates.py ..."] [TESTS="tests/test_x.py ..."]``.

Runs mutmut (configured in pyproject.toml's ``[tool.mutmut]``) on the modules named in
``MODULES`` (default: the whole library), with the tests named in ``TESTS`` (default: the
selection in pyproject.toml), in a fresh ``mutants/`` folder, then prints each module's kill
rate: the share of its mutants that some test fails on (a timeout counts as killed).
Arguments after ``run`` limit the run to some mutants by name, e.g.
``scripts/mutants.py run "akhbar.analysis.keywords.x_keyness*"``.
Afterwards ``.venv/bin/python scripts/mutants.py results`` lists the survivors and
``... scripts/mutants.py show NAME`` shows one (any other mutmut command works the same way).

The library lives in ``lib/``, which mutmut does not know as a source root (it knows ``src/``):
mutant names are made here from the import name (``akhbar.layers.dates``), as the tests import it.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path


def kill_rates(paths) -> list[tuple[str, Counter]]:
    """For each mutated module, how many of its mutants ended in each state."""
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.stats import status_by_exit_code

    out = []
    for path in paths:
        data = SourceFileMutationData(path=path)
        if not data.meta_path.exists():
            continue
        data.load()
        out.append((str(path), Counter(status_by_exit_code[c] for c in data.exit_code_by_key.values())))
    return out


def _import_names() -> None:
    """Name mutants ``akhbar.x`` (the import name), not ``lib.akhbar.x`` (the path)."""
    import mutmut.__main__
    import mutmut.mutation.file_mutation
    from mutmut.utils import format_utils

    by_path = format_utils.get_mutant_name

    def get_mutant_name(relative_source_path, mutant_method_name):
        return format_utils.strip_prefix(by_path(relative_source_path, mutant_method_name), prefix="lib.")

    for module in (format_utils, mutmut.__main__, mutmut.mutation.file_mutation):
        module.get_mutant_name = get_mutant_name


def main(argv: list[str]) -> int:
    import mutmut.configuration as configuration
    from mutmut.__main__ import cli
    from mutmut.utils.file_utils import walk_mutatable_files

    modules = os.environ.get("MODULES", "").split()
    tests = os.environ.get("TESTS", "").split()
    for m in modules:
        if not Path(m).is_file():
            print(f"make mutants: MODULES names {m!r}, which is not a file", file=sys.stderr)
            return 2
    config = configuration._load_config()
    if modules:
        config = replace(config, only_mutate=modules)
    if tests:
        config = replace(config, pytest_add_cli_args_test_selection=tests)
    configuration._config = config
    _import_names()
    lib = str(Path("mutants/lib").resolve())  # the tests, and the commands they start, import the mutants
    sys.path.insert(0, lib)
    os.environ["PYTHONPATH"] = os.pathsep.join([lib, *filter(None, [os.environ.get("PYTHONPATH")])])
    if argv and argv[0] != "run":
        return cli(argv, standalone_mode=False) or 0
    # a fresh copy each time: mutmut reuses what it finds there, whatever MODULES it was made for
    shutil.rmtree("mutants", ignore_errors=True)
    try:
        cli(["run", *argv[1:]], standalone_mode=False)
    except SystemExit as exc:
        if exc.code:
            return int(exc.code) if isinstance(exc.code, int) else 1
    print(f"\n{'module':40} {'mutants':>7} {'killed':>7} {'survived':>8} {'no tests':>8} {'timeout':>7} "
          f"{'not run':>7} {'kill rate':>9}")
    for path, c in kill_rates(walk_mutatable_files()):
        # mutants not run (a run limited to some functions) are left out of the rate
        tested = sum(c.values()) - c["skipped"] - c["caught by type check"] - c["not checked"]
        rate = (c["killed"] + c["timeout"]) / tested if tested else float("nan")
        print(f"{path:40} {tested:7} {c['killed']:7} {c['survived']:8} {c['no tests']:8} {c['timeout']:7} "
              f"{c['not checked']:7} {rate:9.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
