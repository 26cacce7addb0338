# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install migrate demo admin lint messages clean bench-photo bench

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

## make run: install, migrate, load the demo release, serve on http://127.0.0.1:8000
run: export DEBUG ?= 1
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_release articles/demo/occitanie-kyoto.md
	@echo ""
	@echo "  Site public     : http://$(HOST):$(PORT)/"
	@echo "  Administration  : http://$(HOST):$(PORT)/admin/"
	@echo "  Compte d'administration : make admin (super-utilisateur et double authentification)"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

## make test: the whole suite (SQLite by default; DATABASE_URL / REDIS_URL switch backends)
test: install
	$(PY) -m pytest --create-db

## make admin: a superuser, then their two-factor authentication (QR code, otpauth:// link, recovery codes)
admin: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	@read -p "Identifiant du super-utilisateur : " username && \
	DEBUG=1 $(PY) manage.py createsuperuser --username "$$username" && \
	DEBUG=1 $(PY) manage.py setup_two_factor "$$username"

lint: install
	$(VENV)/bin/ruff check .

## make messages: refresh the English catalogue (locale/en) from the French source strings
messages: install
	mkdir -p locale
	DEBUG=1 $(PY) manage.py makemessages -l en --ignore=.venv --ignore=bench --ignore=tests
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

## make bench: seed N releases (default 10000), serve them in production mode, load each public page with wrk
## in four modes side by side: origin (page cache off), page cache on, through deploy/nginx.conf's front cache,
## and nginx serving the same HTML as static files; then issue #6's targets. MODES=origin,nginx picks some.
## PostgreSQL + Redis when DATABASE_URL (a database named *bench*) / REDIS_URL are set, else SQLite + a file cache.
## Home page at two N: $(PY) bench/compare.py bench/results/A.md bench/results/B.md (see bench/run.py).
N ?= 10000
MODES ?= origin,page-cache,nginx,static
bench: install
	$(PY) bench/run.py --count $(N) --modes $(MODES)

## make bench-photo: time and peak memory to validate, clean and render a 24-megapixel JPEG
bench-photo: install
	$(PY) bench/photo_rendition.py
