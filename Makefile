# akhbar: two commands do everything on a fresh machine with Python 3.11 and pip.
#   make workbook   set up .venv, run every notebook on seeds/, write figures/ and exports/
#   make test       set up .venv, run every test (library, render, nbval, browser)
# Rerun the workbook on other articles:  make compare ARTICLES=path/to/folder
#                                  or:   make compare A=path/a.txt B=path/b.txt [DATES=2018-05-17,2018-06-28] [SOURCES=BBC,CNN]
# Mutation testing (slow, not in CI):   make mutants [MODULES="lib/akhbar/layers/dates.py lib/akhbar/published.py"]
#                                                   [TESTS="tests/test_planted_bugs.py lib/akhbar/layers/dates.py"] [NAMES=...]

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.akhbar-installed
PIP    := $(BIN)/python -m pip -q --disable-pip-version-check
export PIP_NO_INPUT = 1
export MPLBACKEND = Agg
export PYTHONHASHSEED = 0

.PHONY: setup workbook test compare notebooks bench browser clean mutants

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
	$(PIP) install -r requirements.txt 2>&1 | grep -v "^WARNING: Location" || true
	$(PIP) install --no-deps -e . 2>&1 | grep -v "^WARNING: Location" || true
	$(BIN)/python -c "import akhbar, pandas, matplotlib, ahocorasick, nbval, papermill"
	$(BIN)/python -m ipykernel install --sys-prefix --name akhbar --display-name "akhbar (Python 3.11)" >/dev/null
	touch $(STAMP)

browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium for the browser test"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "WARNING: chromium could not be installed; the browser test will fail"; }

workbook: $(STAMP)
	$(BIN)/python -m akhbar workbook seeds --exports exports

notebooks: $(STAMP)
	$(BIN)/python -m akhbar workbook seeds --exports exports --inplace

compare: $(STAMP)
	@test -n "$(ARTICLES)$(A)" || { echo "make compare ARTICLES=folder, or A=a.txt B=b.txt [DATES=...] [SOURCES=...]"; exit 2; }
	$(if $(ARTICLES),$(BIN)/python -m akhbar workbook "$(ARTICLES)" --exports exports/compare,\
	  $(BIN)/python -m akhbar compare "$(A)" $(if $(B),"$(B)") --exports exports/compare \
	  $(if $(DATES),--dates "$(DATES)") $(if $(SOURCES),--sources "$(SOURCES)"))

test: $(STAMP) browser
	$(BIN)/python -m pytest -q -p no:cacheprovider --nbval-lax --nbval-current-env --doctest-modules -n 2 --dist loadscope tests notebooks lib/akhbar

# mutmut into .venv on demand (requirements-dev.txt); MODULES: the modules a change touched
# (default: the whole library), TESTS: the tests to run on them (default: pyproject.toml's),
# NAMES: some of their functions only (mutant names, e.g. "akhbar.analysis.keywords.x_keyness*").
DEV_STAMP := $(VENV)/.akhbar-dev-installed

$(DEV_STAMP): requirements-dev.txt $(STAMP)
	$(PIP) install -r requirements-dev.txt 2>&1 | grep -v "^WARNING: Location" || true
	$(BIN)/python -c "import mutmut"
	touch $(DEV_STAMP)

mutants: $(DEV_STAMP)
	MODULES="$(MODULES)" TESTS="$(TESTS)" $(BIN)/python scripts/mutants.py run $(NAMES)

bench: $(STAMP)
	$(BIN)/python bench/annotate.py

clean:
	rm -rf exports test-artifacts .pytest_cache mutants
