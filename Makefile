# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
# Another Django to test against, e.g. DJANGO_SPEC='Django>=6,<7' (CI does this on Python 3.12+).
DJANGO_SPEC ?=
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test install demo-data check-services clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
ifneq ($(strip $(DJANGO_SPEC)),)
	$(BIN)/python -m pip install --quiet "$(DJANGO_SPEC)"
endif

demo-data: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py loaddata fixtures/usezombie.json fixtures/zof.json fixtures/management-api.json fixtures/zen-mesh.json fixtures/oz.json
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py demo_setup

run: demo-data
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	mkdir -p var
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var staticfiles
