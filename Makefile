# The two commands of the README:  `make run`  and  `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PYTEST_ARGS ?= -n auto
PORT   ?= 8000

.PHONY: run test install setup lint format migrations-check ci smoke bench clean messages

## make run: install, set up a SQLite database with regions, demo data and a demo admin, serve on 127.0.0.1:8000 with a worker for background imports (make run PORT=8001: another port)
run: setup
	$(BIN)/python manage.py db_worker --no-reload & worker=$$!; trap "kill $$worker" EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## make test: the whole test suite: everything but the browser, then the browser tests in a
## run of their own (they skip when no chromium is installed)
test: $(VENV)/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS) -m "not browser"
	$(BIN)/python -m pytest $(PYTEST_ARGS) -m browser

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# A local .env for development: DEBUG on and a random secret, written once.
.env:
	@printf 'DEBUG=on\nSECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env
	@echo "wrote .env (DEBUG on, random SECRET_KEY) for local development"

setup: $(VENV)/.installed .env
	$(BIN)/python manage.py setup_site

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make messages: extract new UI texts into locale/en and locale/zh_Hans, then compile the .mo files
messages: $(VENV)/.installed
	DEBUG=on $(BIN)/python manage.py makemessages -l en -l zh_Hans --ignore=.venv --ignore=tests --ignore=bench --ignore=docs
	$(BIN)/python locale/po_tool.py as-is locale/en/LC_MESSAGES/django.po
	$(BIN)/python locale/po_tool.py borrow locale/zh_Hans/LC_MESSAGES/django.po $$(find $(VENV)/lib -path '*/zh_Hans/LC_MESSAGES/django.po')
	$(BIN)/python locale/po_tool.py list locale/en/LC_MESSAGES/django.po
	DEBUG=on $(BIN)/python manage.py compilemessages --ignore=.venv

migrations-check:
	DEBUG=on $(BIN)/python manage.py makemigrations --check --dry-run

ci:
	bash .ci/run

## make smoke: the production smoke test (gunicorn + PostgreSQL, DEBUG off), as CI runs it
smoke: $(VENV)/.installed
	bash .ci/smoke

bench:
	bash bench/run

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
