# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export HARBOR_PORT ?= 8080
export HARBOR_DATA_DIR ?= $(CURDIR)/data
# The portal's websockets (live job updates) listen next to the web server.
export HARBOR_LIVE_PORT ?= $(shell expr $(HARBOR_PORT) + 1)

.PHONY: run test lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# python-ldap (for django-auth-ldap) compiles against OpenLDAP's headers.
BUILD_PACKAGES := libldap2-dev libsasl2-dev

$(VENV)/.system-packages:
	@missing=$$(for p in $(BUILD_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Please install: $$missing (Debian/Ubuntu: sudo apt-get install $$missing)"; exit 1; \
	  fi; \
	fi
	@mkdir -p $(VENV) && touch $@

# `pip install -e .` adds the `harborctl` command (only that package; see pyproject.toml);
# PYTHONWARNINGS quiets setuptools' generic notice about editable installs.
$(VENV)/.installed: requirements.txt pyproject.toml $(VENV)/.system-packages | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	PYTHONWARNINGS=ignore::UserWarning $(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

## run: install, migrate, create admin + library, then serve web, worker and beat until Ctrl-C
run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py bootstrap
	$(BIN)/python manage.py collectstatic --no-input -v 0
	PATH="$(CURDIR)/$(BIN):$$PATH" exec $(BIN)/honcho start -f Procfile

## test: install test requirements and run the whole suite
test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run -v 0
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## bench: run this registry and CNCF distribution side by side (see benchmarks/README.md)
bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
