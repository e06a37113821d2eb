# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
# Another Django to test against, e.g. DJANGO_SPEC='Django>=6,<7' (CI does this on Python 3.12+).
DJANGO_SPEC ?=
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test install demo-data reset-demo lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
ifneq ($(strip $(DJANGO_SPEC)),)
	$(BIN)/python -m pip install --quiet "$(DJANGO_SPEC)"
endif

# Loads a demo catalog only when it is absent: admin edits survive `make run`.
demo-data: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py demo_setup

# A clean slate: the five demo catalogs reloaded from fixtures/ (edits to them are lost).
reset-demo: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo_setup --reset

run: demo-data
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# ruff (rules in pyproject.toml, and `ruff format` style) over the app, the
# host project, the tests and the benchmarks; mypy with the Django and DRF stubs over the app.
lint: install
	$(BIN)/ruff check errorcatalog project tests benchmarks
	$(BIN)/ruff format --check errorcatalog project tests benchmarks
	$(BIN)/mypy errorcatalog

test: install
	mkdir -p var
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var staticfiles
