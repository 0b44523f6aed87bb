# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEV_SETTINGS := config.settings.dev

.PHONY: run test install lint pytest messages check-deploy bench clean

# Reinstall only when the dependencies change, so a second `make run` starts in seconds.
$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

run: install
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Territory is served at http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@echo ""
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(BIN)/daphne -b $(HOST) -p $(PORT) config.asgi:application

lint: install
	$(BIN)/ruff check .
	$(BIN)/bandit -q -c pyproject.toml -r config core content network ambassadors realtime --severity-level medium

pytest: install
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint pytest

messages: install
	$(BIN)/python manage.py makemessages -l fr -l en --no-obsolete --ignore='.venv/*' --ignore='tests/*' --ignore='bench/*'
	$(BIN)/python manage.py compilemessages --ignore='.venv/*'

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
		ALLOWED_HOSTS=territory.example $(BIN)/python manage.py check --deploy --fail-level WARNING

bench: install
	$(BIN)/python bench/http.py

clean:
	rm -rf $(VENV) db.sqlite3* media .test-media staticfiles .pytest_cache
