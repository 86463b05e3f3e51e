# The Neighborhood. `make` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
# The suite runs on every core (pytest-xdist); XDIST= runs it in one process. worksteal: each
# worker starts on its own contiguous half of the tests (so a module's shared fixtures are built
# once, not on every worker) and takes over half of the other's remainder when it runs out.
XDIST ?= -n auto --dist worksteal
# Every test process imports the project and collects the suite; pytest rewrites the asserts of
# each test module and of schemathesis (a pytest plugin), about 260 modules. Both are cached as
# .pyc (git-ignored __pycache__), so they are compiled once, not in every process of every run,
# also where the environment sets PYTHONDONTWRITEBYTECODE (collecting the suite in one process:
# 37 s of CPU uncached, 23 s cached).
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest

.DEFAULT_GOAL := help
.PHONY: help install run test test-postgres test-deploy lint format check-migrations bench-feeds bench-drafts bench-conversations bench-gatherings bench bench-pages bench-load worker backup restore clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed ## Create .venv and install the pinned requirements

run: install ## Install, migrate, load the demo and serve at http://127.0.0.1:$(PORT)/
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	@echo "Serving the Neighborhood at http://127.0.0.1:$(PORT)/  (admin: /admin/)"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: install ## Run the whole test suite (SQLite; PostgreSQL when DATABASE_URL names one)
	$(PYTEST) $(XDIST) $(PYTEST_ARGS)

test-postgres: install ## Run the suite on the local PostgreSQL (127.0.0.1:5432, user postgres)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/neighborhood} $(PYTEST) $(XDIST) $(PYTEST_ARGS)

lint: install ## Lint and check formatting with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-migrations: install ## Fail if a model change has no migration
	$(MANAGE) makemigrations --check --dry-run

bench-feeds: install ## Queries and time of the feeds and group schedule for 10, 100, 1,000 groups
	$(BIN)/python tests/bench/feeds.py

bench-drafts: install ## Queries and time of /api/v2/drafts/ and /api/v2/reviews/ for 10 and 1,000 drafts
	$(BIN)/python tests/bench/drafts.py

bench-conversations: install ## Queries and time of a conversation with 10 and 1,000 replies (API and site)
	$(BIN)/python tests/bench/conversations.py

bench-gatherings: install ## Queries and time of a community's gatherings (site, API, feed) for 10 and 500 gatherings
	$(BIN)/python tests/bench/gatherings.py

bench: install ## This API against stock Wagtail API v2 on PostgreSQL, R = 2, 20, 200 communities
	$(BIN)/python tests/bench/api.py

bench-pages: install ## Queries per request of member pages and the front door, R = 2 and 200 communities
	$(BIN)/python tests/bench/pages.py

bench-load: install ## locust against gunicorn (production settings, PostgreSQL, Redis), 200 communities
	$(BIN)/python tests/bench/load.py $(BENCH_ARGS)

test-deploy: install ## Two gunicorn servers, PostgreSQL, Redis (own, throwaway) end to end, with an outage
	$(BIN)/python tests/deploy/e2e.py

messages: install ## Regenerate the es/pt interface catalogs (locale/) and compile the .mo files
	@if command -v xgettext >/dev/null; then \
		$(MANAGE) makemessages -l es -l pt --ignore=.venv --ignore=tests --ignore=var; \
	else echo "GNU gettext is not installed: compiling the catalogs as they are"; fi
	$(BIN)/python -c "import pathlib, polib; [polib.pofile(str(p)).save_as_mofile(str(p.with_suffix('.mo'))) for p in pathlib.Path('locale').glob('*/LC_MESSAGES/django.po')]"

worker: install ## Run queued background tasks (TASKS_BACKEND=database; docs/deploy.md)
	$(MANAGE) schedule_tasks
	$(MANAGE) db_worker

backup: install ## Back up the database and the files into a new directory: make backup DIR=...
	@test -n "$(DIR)" || (echo "usage: make backup DIR=/path/to/new/backup" >&2; exit 2)
	$(MANAGE) backup "$(DIR)"

restore: install ## Restore a backup into an empty installation: make restore DIR=...
	@test -n "$(DIR)" || (echo "usage: make restore DIR=/path/to/backup" >&2; exit 2)
	$(MANAGE) migrate --no-input
	$(MANAGE) restore "$(DIR)"

clean: ## Remove the virtualenv and the local data under var/
	rm -rf $(VENV) var
