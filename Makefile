# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install migrate demo admin lint messages clean bench-photo bench bench-peers bench-scale backup restore restore-needs-from worker cluster import import-needs-file

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

## make run: install, migrate, load the demo release, serve on http://127.0.0.1:8000 with a background
## worker beside the server (renditions, events); Ctrl+C stops both.
run: export DEBUG ?= 1
# Links the site writes outside a request (the importer's summary, feeds, embargo links, e-mails) use
# SITE_URL: unless it is set, it follows the address this run serves (make run PORT=8300).
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_release articles/demo/occitanie-kyoto.md
	$(PY) manage.py import_release articles/demo/occitanie-kyoto.en.md
	$(PY) manage.py import_release articles/demo/occitanie-kyoto.ja.md
	@echo ""
	@echo "  Site public     : http://$(HOST):$(PORT)/ (en anglais : /en/, en japonais : /ja/)"
	@echo "  Administration  : http://$(HOST):$(PORT)/admin/"
	@echo "  Compte d'administration : make admin (super-utilisateur et double authentification)"
	@echo ""
	@echo "  Tâches de fond : un processus de travail tourne à côté du serveur (manage.py run_worker)"
	@echo ""
	$(PY) manage.py run_worker --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

## make import FILE=release.md [BY=username]: import one release file into the development site (the
## database make run uses), as that user's role with BY, else as "ligne de commande" (README, importer).
import: export DEBUG ?= 1
import: export SITE_URL ?= http://$(HOST):$(PORT)
import: import-needs-file install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_release "$(FILE)" $(if $(BY),--user "$(BY)")

import-needs-file:
	@test -n "$(FILE)" || { echo "Usage : make import FILE=communique.md [BY=identifiant]"; exit 2; }

## make worker: one more background worker (any number may run, on any machine sharing the database)
worker: install
	$(PY) manage.py run_worker --queue-name '*'

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

## make messages: refresh the English and Japanese catalogues (locale/en, locale/ja) from the French source strings
messages: install
	mkdir -p locale
	DEBUG=1 $(PY) manage.py makemessages -l en -l ja --ignore=.venv --ignore=bench --ignore=tests
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

## make backup: the database and the media into backups/pressroom-<UTC time>/ (BACKUP_ROOT); KEEP=N keeps the N newest
backup: install
	$(PY) manage.py backup $(if $(KEEP),--keep $(KEEP))

## make restore FROM=backups/pressroom-…: checks every hash, asks for confirmation, replaces database and media, checks again
restore: restore-needs-from install
	$(PY) manage.py restore "$(FROM)"

restore-needs-from:
	@test -n "$(FROM)" || { echo "Usage : make restore FROM=backups/pressroom-AAAAMMJJ-HHMMSSZ"; exit 2; }

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

## make bench-peers: issue #17 side by side in ONE run: static nginx, Wagtail 8 (../shared/peers, run its setup.sh
## once) and our article and home pages (origin, page cache, right after an edit), with the goals checked.
## Needs DATABASE_URL (a database named *bench*, reseeded to 1,000 releases) and REDIS_URL; ports NGINX_PORT,
## WAGTAIL_PORT, OURS_PORT (18080, 18001, 18002). WORKER_CLASS=gthread runs our gunicorn with threads.
bench-peers: install
	$(PY) bench/peers.py

## make bench-scale: issue #17's scale goals in ONE run: home and search (page cache off, wrk 8 connections) at
## 1,000 and 100,000 releases, alternated, with the goals checked. DATABASE_URL names a database with "bench"
## in its name: <name>1k and <name>100k are used (seeded when they do not hold exactly N; 100,000 take ~5 min).
bench-scale: install
	$(PY) bench/scale.py

## make bench-photo: time and peak memory to validate, clean and render a 24-megapixel JPEG
bench-photo: install
	$(PY) bench/photo_rendition.py

## make cluster: two app servers (8001, 8002), one worker, SeaweedFS and deploy/nginx.conf balancing on
## 127.0.0.1:8080, against DATABASE_URL / REDIS_URL; writes cluster.env; Ctrl+C stops everything.
## Then: .venv/bin/python deploy/cluster_check.py (the three checks of issue #12).
cluster: install
	$(PY) deploy/cluster.py
