"""Production serving: the deploy checklist, and static files with far-future caching."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import RequestFactory, override_settings

ROOT = Path(settings.BASE_DIR)


def example_environment():
    env = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "DATABASE_URL")}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            env[key] = value.strip('"')
    return env


def check_deploy(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_example_production_settings_and_new_keys():
    from cryptography.fernet import Fernet

    env = example_environment()
    env["SECRET_KEY"] = "a-new-secret-key-of-the-operator-" + "x" * 30
    env["FIELD_ENCRYPTION_KEYS"] = Fernet.generate_key().decode() + "," + env["FIELD_ENCRYPTION_KEYS"]
    result = check_deploy(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_refuses_the_example_keys():
    """An operator who forgets to replace them would sign sessions and encrypt ID numbers with public keys."""
    result = check_deploy(example_environment())
    assert result.returncode != 0
    assert "civiccenter.E001" in result.stderr and "civiccenter.E002" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = example_environment()
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "-c", "import civiccenter.settings"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_every_variable_the_settings_read_is_documented_in_env_example():
    import re

    read = set(re.findall(r'env(?:_bool|_int|_list)?\("([A-Z_]+)"', (ROOT / "civiccenter/settings.py").read_text()))
    read |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', (ROOT / "gunicorn.conf.py").read_text()))
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read - documented == set()


@pytest.mark.django_db
def test_static_files_have_hashed_names_and_far_future_cache_headers(tmp_path):
    from django.contrib.staticfiles.storage import staticfiles_storage
    from whitenoise.middleware import WhiteNoiseMiddleware

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages, DEBUG=False, WHITENOISE_AUTOREFRESH=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        url = staticfiles_storage.url("css/site.css")
        assert url != "/static/css/site.css" and url.startswith("/static/css/site.")
        middleware = WhiteNoiseMiddleware(lambda request: None)
        response = middleware(RequestFactory().get(url, HTTP_ACCEPT_ENCODING="gzip"))
        assert response.status_code == 200
        assert "immutable" in response["Cache-Control"]
        assert "max-age=315360000" in response["Cache-Control"]
        assert response["Content-Encoding"] in ("gzip", "br")
