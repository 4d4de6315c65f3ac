# 零售客户服务看板: `make run` serves the app on the demo data, `make test` runs every test.
PY      := .venv/bin/python
DB      ?= data/dashboard.duckdb
PORT    ?= 8501
DEMO_SRC := $(wildcard dashboard/demo/*.py) dashboard/schema.sql dashboard/rollups.sql
# what the rollups' version digests (REFRESH_QUERIES and COMPUTED_BY in dashboard/rollups.py), and then some
DEMO_SRC += $(shell find queries -name '*.sql') $(addprefix dashboard/,rollups.py store.py tables.py overview.py kpis.py \
	tickets.py nine_grid.py metrics/nine_grid.py programs.py satisfaction.py staff.py scope.py)

.PHONY: run test lint format bench demo system-deps clean

.venv/ok: requirements.txt requirements-dev.txt
	python3 -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# The demo DB is rebuilt when the generator or the schema changes.
$(DB): .venv/ok $(DEMO_SRC)
	DASHBOARD_DB=$(DB) $(PY) -m dashboard demo --out $(DB)

demo: .venv/ok
	DASHBOARD_DB=$(DB) $(PY) -m dashboard demo --out $(DB)

# Demo users, one per role, with fresh passwords printed once (kept when the file exists).
USERS   ?= data/users.toml
$(USERS): | .venv/ok
	$(PY) -m dashboard users init --users $(USERS)

run: system-deps $(DB) $(USERS)
	DASHBOARD_DB=$(DB) DASHBOARD_USERS=$(USERS) $(PY) -m dashboard serve --server.port $(PORT)

# Debian's chromium and a CJK font: the browser test and the meeting pack's chart images (kaleido drives
# chromium) need them (root on a fresh machine; skipped when present).
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'cjk'; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; \
	fi

lint: .venv/ok
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: .venv/ok
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

test: .venv/ok system-deps $(DB) lint
	DASHBOARD_DB=$(DB) $(PY) -m pytest

# Timings of every page's queries against the baselines, the app's cold start, and at city scale the
# concurrency run (a benchmark: no test asserts a time). The city DB is built once into data/bench/;
# `python -m dashboard bench --scale province` (or national) is run by hand.
bench: system-deps $(DB)
	nice -n 10 $(PY) -m dashboard bench --scale demo --db $(DB)
	nice -n 10 $(PY) -m dashboard bench --scale city --concurrency 60

clean:
	rm -rf tests/artifacts data/bench .pytest_cache .ruff_cache
