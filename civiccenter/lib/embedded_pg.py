"""The embedded PostgreSQL used when no DATABASE_URL is set.

`pgserver` (PyPI) ships a PostgreSQL 16 server. We start it once with its data
under var/pgdata and leave it running (cleanup_mode=None), so every later
manage.py, pytest or gunicorn process just finds it and connects over its Unix
socket. It has no contrib extensions, which is why the schema uses core
PostgreSQL only.
"""

import warnings
from pathlib import Path

DATABASE_NAME = "civiccenter"


def _server(data_dir: Path):
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (servers, CI): harmless.
        warnings.simplefilter("ignore")
        import pgserver

        data_dir.parent.mkdir(parents=True, exist_ok=True)
        return pgserver.get_server(data_dir, cleanup_mode=None)


def database_url(data_dir: Path) -> str:
    """Start the embedded server if needed, create our database, return its URL."""
    server = _server(data_dir)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608 - a constant
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{DATABASE_NAME}";')
    return server.get_uri(DATABASE_NAME)


def stop(data_dir: Path) -> None:
    """Stop the embedded server (`make stop-db`)."""
    if not (data_dir / "postmaster.pid").exists():
        print("The embedded PostgreSQL is not running.")
        return
    server = _server(data_dir)
    import pgserver

    pgserver.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir, user=server.system_user)
    print("The embedded PostgreSQL has stopped.")


if __name__ == "__main__":
    import sys

    base = Path(__file__).resolve().parents[2] / "var" / "pgdata"
    if sys.argv[1:] == ["stop"]:
        stop(base)
    else:
        print(database_url(base))
