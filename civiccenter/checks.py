"""Deploy checks of our own (`manage.py check --deploy`): the example keys are never production keys."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from civiccenter.lib.env import DEVELOPMENT_SECRET_KEY


def _example_values() -> dict:
    """The values written in .env.example, which anyone can read in the repository."""
    path = settings.BASE_DIR / ".env.example"
    if not path.exists():
        return {}
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key] = value.strip().strip('"')
    return values


@register(Tags.security, deploy=True)
def example_keys_replaced(app_configs=None, **kwargs):
    from civiccenter.lib.crypto import development_key

    example = _example_values()
    errors = []
    if settings.SECRET_KEY in {example.get("SECRET_KEY"), DEVELOPMENT_SECRET_KEY}:
        errors.append(
            Error(
                "SECRET_KEY is the example or development value published in the repository.",
                hint='Set a new one: python -c "import secrets; print(secrets.token_urlsafe(50))"',
                id="civiccenter.E001",
            )
        )
    public_keys = set(filter(None, example.get("FIELD_ENCRYPTION_KEYS", "").split(","))) | {
        development_key(DEVELOPMENT_SECRET_KEY)
    }
    if settings.FIELD_ENCRYPTION_KEYS and settings.FIELD_ENCRYPTION_KEYS[0] in public_keys:
        errors.append(
            Error(
                "The first FIELD_ENCRYPTION_KEYS key, which encrypts ID and phone numbers, is an example or "
                "development key published in the repository.",
                hint="Put a new Fernet key first (older keys may follow, to read what they encrypted).",
                id="civiccenter.E002",
            )
        )
    return errors


@register(Tags.caches, deploy=True)
def throttle_cache_shared(app_configs=None, **kwargs):
    """Form throttling counts in the "throttle" cache: per process, several workers multiply every limit."""
    from django.core.checks import Warning

    backend = settings.CACHES["throttle"]["BACKEND"]
    if backend.endswith("RedisCache") or "memcached" in backend:
        return []
    return [
        Warning(
            f"The throttle cache ({backend}) is not shared between app server processes: each gunicorn worker "
            "counts on its own, so every form limit is multiplied by the number of workers.",
            hint="Set THROTTLE_CACHE_URL (or CACHE_URL) to redis://… (see README, “Throttling”).",
            id="civiccenter.W003",
        )
    ]
