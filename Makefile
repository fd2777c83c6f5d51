# The two set-up commands of README.md, and the steps they are made of.
# `make run`  installs everything, prepares the embedded database and serves the app
#             (`make run PORT=8080` for another port; mail goes to instance/mail/).
# `make test` installs everything and runs the whole test suite.
# `make check` runs the code's own rules: ruff, mypy and import-linter.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
# Migrations and catalogues live inside the package, so an installed wheel carries them.
I18N   := platform/tanggap/translations
HOST   ?= 127.0.0.1
PORT   ?= 5000
# Links in mail and the demo's logins use this address: `make run PORT=8080` moves both.
TANGGAP_PUBLIC_URL ?= http://$(HOST):$(PORT)
export TANGGAP_PUBLIC_URL

.PHONY: run test check install assets translations db demo serve extract-messages wheel

run: install db demo serve

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

# Settings in pyproject.toml ([tool.ruff], [tool.mypy], [tool.importlinter]). lint-imports
# reads the package from platform/ and without its cache, so it never judges an old copy.
check: $(BIN)/.installed
	$(BIN)/ruff check
	$(BIN)/mypy
	PYTHONPATH=platform $(BIN)/lint-imports --no-cache

install: $(BIN)/.installed assets translations

$(BIN)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,lint]'
	touch $@

# Front-end packages come from the npm registry and are copied into the static folder;
# neither node_modules nor the copies are committed.
assets: node_modules/.package-lock.json
	mkdir -p platform/tanggap/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js platform/tanggap/static/vendor/
	cp node_modules/bootstrap/dist/css/bootstrap.min.css platform/tanggap/static/vendor/
	cp node_modules/axe-core/axe.min.js platform/tanggap/static/vendor/

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# The distribution a server installs (README, "Production"): the package with its templates,
# static files (the npm-built vendor folder included), migrations and compiled catalogues.
wheel: install
	rm -rf build dist
	$(BIN)/pip wheel --quiet --no-deps --wheel-dir dist .

translations: $(BIN)/.installed
	$(BIN)/pybabel compile -d $(I18N)
	$(BIN)/pybabel compile -d $(I18N) -D wtforms

extract-messages: $(BIN)/.installed
	$(BIN)/pybabel extract -F $(I18N)/babel.cfg -k _l -k lazy_gettext --project=Tanggap --no-location --sort-output -o $(I18N)/messages.pot platform
	$(BIN)/pybabel update -N --ignore-obsolete -i $(I18N)/messages.pot -d $(I18N)
	$(BIN)/python $(I18N)/fill_english.py

db: install
	$(FLASK) db upgrade
	$(FLASK) tenants load tenants/

demo: install
	$(FLASK) demo --base-url $(TANGGAP_PUBLIC_URL)

serve:
	$(FLASK) serve --host $(HOST) --port $(PORT)
