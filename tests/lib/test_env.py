import pytest

from civiccenter.lib.env import env_bool, env_list, load_dotenv, parse_database_url


def test_database_url_with_host_port_and_options():
    db = parse_database_url("postgres://civic:p%40ss@db.internal:6543/portal?sslmode=require")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "portal",
        "civic",
        "p@ss",
        "db.internal",
        "6543",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_database_url_with_unix_socket_in_query():
    db = parse_database_url("postgresql://postgres:@/civiccenter?host=/work/var/pgdata")
    assert db["HOST"] == "/work/var/pgdata"
    assert db["NAME"] == "civiccenter"
    assert db["OPTIONS"] == {}


def test_database_url_refuses_other_databases():
    with pytest.raises(ValueError, match="PostgreSQL"):
        parse_database_url("sqlite:///db.sqlite3")


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("true", True), ("ON", True), ("0", False), ("no", False)])
def test_env_bool(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG") is expected


def test_env_bool_rejects_typos(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "ture")
    with pytest.raises(ValueError):
        env_bool("SOME_FLAG")


def test_env_list_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example , ,b.example")
    assert env_list("HOSTS") == ["a.example", "b.example"]


def test_dotenv_fills_only_missing_variables(tmp_path, monkeypatch):
    monkeypatch.setenv("ALREADY_SET", "from-environment")
    monkeypatch.delenv("FROM_FILE", raising=False)
    monkeypatch.delenv("QUOTED", raising=False)
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        '# comment\nexport FROM_FILE=yes\nALREADY_SET=from-file\nQUOTED="two words"\n\n', encoding="utf-8"
    )
    load_dotenv(dotenv)
    import os

    assert os.environ["FROM_FILE"] == "yes"
    assert os.environ["ALREADY_SET"] == "from-environment"
    assert os.environ["QUOTED"] == "two words"
    monkeypatch.delenv("FROM_FILE")
    monkeypatch.delenv("QUOTED")
