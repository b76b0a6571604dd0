"""Limits hold across app server processes: gunicorn with three workers, the throttle counters in Redis and
the sign-in failures in PostgreSQL, as in production (README, "Throttling")."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import PASSWORD, make_user

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/13"


def redis_or_skip():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is not running on 127.0.0.1:6379; .ci/run starts it.", pytrace=False)
        pytest.skip("Redis is not running on 127.0.0.1:6379 (`redis-server --daemonize yes`)")
    import redis

    redis.Redis.from_url(REDIS).flushdb()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn(transactional_db):
    redis_or_skip()
    port = free_port()
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    )
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": url,
        "CACHE_URL": REDIS,
        "WEB_CONCURRENCY": "3",
        "PORT": str(port),
        "THROTTLE_TRACK": "10/15m",
        "SIGN_IN_FAILURES_ALLOWED": "5",
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--config",
            "gunicorn.conf.py",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        pytest.fail("gunicorn did not start: " + server.stderr.read().decode()[-2000:])
    try:
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def status(url, data=None, opener=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        return (opener or urllib.request.build_opener()).open(request, timeout=20).status
    except urllib.error.HTTPError as error:
        return error.code


def sign_in(base, email, password):
    """A fresh visitor each time (a new connection, so any worker may answer): GET the form, POST it."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    page = opener.open(base + "/accounts/login/", timeout=20).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": email, "password": password}).encode()
    return status(base + "/accounts/login/", body, opener, {"Referer": base + "/accounts/login/"})


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.django_db(transaction=True)
def test_sign_in_and_tracking_limits_hold_across_three_workers(gunicorn):
    make_user("zhang@example.cn")
    answers = [sign_in(gunicorn, "zhang@example.cn", "wrong-password") for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]
    assert sign_in(gunicorn, "zhang@example.cn", PASSWORD) == 429  # locked in every worker

    track = gunicorn + "/track/?" + urllib.parse.urlencode({"number": "XK-2026-999999", "code": "ZZZZZZZZ"})
    misses = [status(track) for _ in range(14)]
    assert misses[:10] == [200] * 10 and set(misses[10:]) == {429}, misses
