"""Reading settings from the environment (healthchecks' hc/settings.py style).

Kept free of Django imports: settings.py uses it before Django is configured.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

# Used only with DEBUG on, where no SECRET_KEY is set.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-never-used-with-debug-off"

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ValueError(f"{name} must be one of {sorted(TRUE | FALSE)}, not {raw!r}")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return int(raw)


def env_list(name, default=""):
    raw = os.environ.get(name, default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def load_dotenv(path: Path):
    """Read KEY=VALUE lines from `path` into os.environ; real variables win.

    Enough for a deployment's `.env` file: comments, blank lines, optional
    `export ` and surrounding quotes. No interpolation.
    """
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        key = key.removeprefix("export ").strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        os.environ.setdefault(key, value)


def parse_database_url(url: str) -> dict:
    """Turn `postgres://user:pass@host:port/name?sslmode=require` into a DATABASES entry.

    A Unix socket is given as `?host=/path/to/dir` (libpq's own convention),
    which is what the embedded server hands us.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise ValueError(f"DATABASE_URL must be a PostgreSQL URL, not {parts.scheme!r}")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    host = query.pop("host", None) or unquote(parts.hostname or "")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
        "OPTIONS": query,
    }
