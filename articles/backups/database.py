"""The database half of a backup: PostgreSQL through pg_dump / pg_restore, SQLite through
its backup API; and what a backup says about its data (row counts, migrations, files named).

Row counts and the list of files are read from exactly the data dumped: on PostgreSQL in
the transaction whose snapshot pg_dump is given (`--snapshot`), on SQLite from the copy.
A restore can then expect the very same counts, even if the site kept writing meanwhile.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.apps import apps
from django.db import models

from .errors import BackupError

DUMP_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}

# libpq's own parameters that may sit in DATABASES["default"]["OPTIONS"], with the environment
# variable pg_dump and pg_restore read them from.
_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "application_name": "PGAPPNAME",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}
_TABLES_SQL = {
    # Django's own introspection (table_names()) lists these, in the schemas on the search path.
    "postgresql": """
        SELECT c.relname FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND pg_catalog.pg_table_is_visible(c.oid)
        ORDER BY c.relname
    """,
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
}


@dataclass
class Contents:
    """What a database holds, as a backup records it and a restore checks it."""

    row_counts: dict[str, int] = field(default_factory=dict)
    migrations: dict[str, list[str]] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)


def vendor_of(connection) -> str:
    if connection.vendor not in DUMP_FILES:
        raise BackupError(
            f"les sauvegardes savent traiter PostgreSQL et SQLite, pas « {connection.vendor} »."
        )
    return connection.vendor


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_contents(cursor, vendor: str) -> Contents:
    """Row counts of every table, applied migrations and every file name a row holds."""
    cursor.execute(_TABLES_SQL[vendor])
    tables = [row[0] for row in cursor.fetchall()]
    contents = Contents()
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        contents.row_counts[table] = cursor.fetchone()[0]
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            contents.migrations.setdefault(app, []).append(name)
    # Every FileField of every model, so a future model with files is covered too.
    for model in apps.get_models():
        table = model._meta.db_table
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField) and table in tables:
                column = _quote(model_field.column)
                cursor.execute(f"SELECT {column} FROM {_quote(table)} WHERE {column} IS NOT NULL AND {column} <> ''")
                contents.files.update(row[0] for row in cursor.fetchall())
    return contents


# --- PostgreSQL ------------------------------------------------------------------------------


def _libpq_params(settings_dict) -> dict[str, str]:
    params = {"dbname": settings_dict["NAME"]}
    for key, name in (("HOST", "host"), ("PORT", "port"), ("USER", "user"), ("PASSWORD", "password")):
        if settings_dict.get(key):
            params[name] = str(settings_dict[key])
    for option in _LIBPQ_OPTIONS:
        if settings_dict.get("OPTIONS", {}).get(option) not in (None, ""):
            params[option] = str(settings_dict["OPTIONS"][option])
    return params


def _libpq_env(params: dict[str, str]) -> dict[str, str]:
    """The environment for pg_dump / pg_restore: the password never appears on a command
    line, where any user of the machine could read it (ps, /proc)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    names = {"dbname": "PGDATABASE", "host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD"}
    names.update(_LIBPQ_OPTIONS)
    env.update({names[key]: value for key, value in params.items()})
    return env


def _program(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"{name} est introuvable : installez le client PostgreSQL de la même version que le serveur "
            "(paquet Debian postgresql-client-15 pour PostgreSQL 15)."
        )
    return path


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()
        raise BackupError(f"{what} a échoué (code {done.returncode}) : {detail}")


def _dump_postgresql(connection, target: Path) -> Contents:
    import psycopg

    params = _libpq_params(connection.settings_dict)
    try:
        conn = psycopg.connect(**params)
    except psycopg.Error as exc:
        raise BackupError(f"connexion à PostgreSQL impossible : {exc}") from exc
    with conn:
        # A read-only REPEATABLE READ transaction whose snapshot pg_dump shares: the counts
        # below and the dump describe the same instant.
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            contents = read_contents(cursor, "postgresql")
            _run(
                [
                    _program("pg_dump"), "--format=custom", "--no-password", f"--snapshot={snapshot}",
                    # Waits at most a minute behind a migration's lock, then fails with its reason.
                    "--lock-wait-timeout=60s", f"--file={target}",
                ],
                _libpq_env(params),
                "pg_dump",
            )
        conn.rollback()
    return contents


def _restore_postgresql(connection, source: Path) -> None:
    params = _libpq_params(connection.settings_dict)
    _run(
        [
            _program("pg_restore"),
            # Drops what the dump holds before recreating it; one transaction, so a failure
            # (a lock, a missing role, a disk full) leaves the database as it was.
            "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", "--no-password",
            f"--dbname={params['dbname']}",
            str(source),
        ],
        _libpq_env(params),
        "pg_restore",
    )


def check_pgdump(source: Path) -> None:
    """pg_restore reads the archive's table of contents: a dump it cannot read is refused."""
    _run([_program("pg_restore"), "--list", str(source)], _libpq_env({}), "la lecture du dump (pg_restore --list)")


# --- SQLite ----------------------------------------------------------------------------------


def _dump_sqlite(connection, target: Path) -> Contents:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # One step (pages=-1): the copy is a consistent image even while others write.
        connection.connection.backup(copy)
        return read_contents(copy.cursor(), "sqlite")
    finally:
        copy.close()


def _restore_sqlite(connection, source: Path) -> None:
    backup = sqlite3.connect(f"file:{quote(str(source))}?mode=ro", uri=True)
    try:
        connection.ensure_connection()
        backup.backup(connection.connection)
    except sqlite3.Error as exc:
        raise BackupError(f"la restauration SQLite a échoué : {exc}") from exc
    finally:
        backup.close()


def check_sqlite(source: Path) -> None:
    backup = sqlite3.connect(f"file:{quote(str(source))}?mode=ro", uri=True)
    try:
        result = backup.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as exc:
        raise BackupError(f"le fichier SQLite de la sauvegarde est illisible : {exc}") from exc
    finally:
        backup.close()
    if result != "ok":
        raise BackupError(f"le fichier SQLite de la sauvegarde est endommagé : {result}")


# --- Either ----------------------------------------------------------------------------------


def dump(connection, target: Path) -> Contents:
    return {"postgresql": _dump_postgresql, "sqlite": _dump_sqlite}[vendor_of(connection)](connection, target)


def restore(connection, source: Path) -> None:
    {"postgresql": _restore_postgresql, "sqlite": _restore_sqlite}[vendor_of(connection)](connection, source)


def check_dump(connection, source: Path) -> None:
    {"postgresql": check_pgdump, "sqlite": check_sqlite}[vendor_of(connection)](source)


def live_contents(connection) -> Contents:
    with connection.cursor() as cursor:
        return read_contents(cursor, vendor_of(connection))
