# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEV_SETTINGS := config.settings.dev
# The address links are written with (canonical links, sitemap, API, e-mails): a browser
# cannot go to a wildcard address, so 0.0.0.0 and :: are written as localhost.
SITE_HOST := $(if $(filter 0.0.0.0 :: [::],$(HOST)),localhost,$(HOST))

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
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(BIN)/python manage.py seed_demo --host $(SITE_HOST) --port $(PORT)
	@echo ""
	@echo "  Territory is served at http://$(SITE_HOST):$(PORT)/  (admin: http://$(SITE_HOST):$(PORT)/admin/)"
	@echo "  Celery worker and beat run beside it; Ctrl+C stops all three. DEBUG=1 for Django's debug pages."
	@echo ""
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) WAGTAILADMIN_BASE_URL=http://$(SITE_HOST):$(PORT) \
		ALLOWED_HOSTS=$${ALLOWED_HOSTS:-$(SITE_HOST)} \
		$(BIN)/python manage.py run_embedded --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
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
	rm -rf $(VENV) db.sqlite3* media .test-media staticfiles .pytest_cache .state
