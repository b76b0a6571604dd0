"""A strict Content-Security-Policy and a Permissions-Policy on every response, templates that need nothing
inline, and the endpoint where browsers report what the policy refused."""

import json
import logging
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from civiccenter import csp_views

BASE_DIR = Path(settings.BASE_DIR)
PROJECT_PACKAGES = ("civiccenter", "licensing", "disclosure", "consultation", "hearings", "opinions", "ngo", "demo")


def directives(response):
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, status",
    [
        ("/", 200),  # an HTML page
        ("/disclosure/", 200),
        ("/healthz", 200),  # JSON
        ("/disclosure/feed/", 200),  # Atom
        ("/hearings/hearings/calendar.ics", 200),
        ("/hearings/drafts/drafts.csv", 200),
        ("/no-such-page/", 404),
        ("/opinions/cases/%00/", 400),
        ("/admin/login/", 200),
        ("/accounts/profile/", 302),
    ],
)
def test_every_kind_of_response_has_the_strict_policy(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert policy["report-uri"] == ["/csp-report"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions


@pytest.mark.django_db
def test_admin_pages_have_the_policy(admin_client):
    for url in ("/admin/", "/admin/civiccenter/department/add/", "/admin/civiccenter/user/?_popup=1"):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert directives(response)["script-src"] == ["'self'"], url
        assert 'style="' not in response.content.decode(), url


# Nothing inline in the templates or in HTML built in Python ------------------------------------------------------

STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)


def template_files():
    return sorted((BASE_DIR / "templates").rglob("*.html")) + sorted(
        path for package in PROJECT_PACKAGES for path in (BASE_DIR / package).rglob("templates/**/*.html")
    )


def test_templates_are_found():
    assert len(template_files()) > 200


def test_no_template_has_inline_style_an_event_handler_or_an_inline_script():
    found = []
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(BASE_DIR)
        found += [f"{name}: style= attribute" for _ in STYLE_ATTRIBUTE.finditer(text)]
        found += [f"{name}: <style> element" for _ in STYLE_ELEMENT.finditer(text)]
        found += [f"{name}: event handler {m.group().strip()}" for m in EVENT_HANDLER.finditer(text)]
        for attributes, content in SCRIPT_TAG.findall(text):
            if content.strip() or "src=" not in attributes:
                found.append(f"{name}: inline <script>")
    assert found == []


def test_no_html_built_in_python_has_a_style_attribute_or_an_event_handler():
    found = []
    for package in PROJECT_PACKAGES:
        for path in sorted((BASE_DIR / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            for pattern in (r"<[a-z][^>]*\sstyle\s*=", r"<[a-z][^>]*\son[a-z]+\s*=", r"<script\b", r"<style\b"):
                found += [f"{path.relative_to(BASE_DIR)}: {m.group()}" for m in re.finditer(pattern, text)]
    assert found == []


# The report endpoint --------------------------------------------------------------------------------------------

OLD_REPORT = {
    "csp-report": {
        "document-uri": "https://portal.example.gov.cn/disclosure/",
        "referrer": "",
        "violated-directive": "style-src-attr",
        "effective-directive": "style-src-attr",
        "original-policy": "default-src 'self'",
        "disposition": "enforce",
        "blocked-uri": "inline",
        "line-number": 12,
        "source-file": "https://portal.example.gov.cn/disclosure/",
        "status-code": 200,
        "script-sample": "",
    }
}
NEW_REPORTS = [
    {
        "type": "csp-violation",
        "age": 10,
        "url": "https://portal.example.gov.cn/hearings/",
        "user_agent": "Mozilla/5.0",
        "body": {
            "documentURL": "https://portal.example.gov.cn/hearings/",
            "blockedURL": "https://evil.example/x.js",
            "effectiveDirective": "script-src-elem",
            "originalPolicy": "default-src 'self'",
            "disposition": "enforce",
            "statusCode": 200,
        },
    }
]


@pytest.fixture
def csrf_client():
    """Browsers post reports without a CSRF token: the endpoint must take them from a client that checks."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture(autouse=True)
def _fresh_budget(monkeypatch):
    monkeypatch.setattr(csp_views, "budget", csp_views._Budget(csp_views.REPORTS_LOGGED_PER_MINUTE))


def post(client, body, content_type="application/csp-report"):
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.generic("POST", "/csp-report", data, content_type=content_type)


@pytest.mark.django_db
def test_a_report_is_logged_as_a_warning(csrf_client, caplog):
    with caplog.at_level(logging.WARNING, logger="civiccenter.csp"):
        response = post(csrf_client, OLD_REPORT)
    assert response.status_code == 204
    (record,) = [r for r in caplog.records if r.name == "civiccenter.csp"]
    assert record.levelno == logging.WARNING
    assert "style-src-attr" in record.getMessage() and "/disclosure/" in record.getMessage()


@pytest.mark.django_db
def test_a_reporting_api_report_is_logged(csrf_client, caplog):
    with caplog.at_level(logging.WARNING, logger="civiccenter.csp"):
        response = post(csrf_client, NEW_REPORTS, content_type="application/reports+json")
    assert response.status_code == 204
    assert "https://evil.example/x.js" in caplog.text and "script-src-elem" in caplog.text


@pytest.mark.django_db
def test_a_report_is_one_log_line_whatever_it_contains(csrf_client, caplog):
    report = {"csp-report": {**OLD_REPORT["csp-report"], "blocked-uri": "x\nWARNING forged line\r" + "y" * 5000}}
    with caplog.at_level(logging.WARNING, logger="civiccenter.csp"):
        assert post(csrf_client, report).status_code == 204
    (record,) = [r for r in caplog.records if r.name == "civiccenter.csp"]
    message = record.getMessage()
    assert "\n" not in message and "\r" not in message
    assert len(message) < 2000


@pytest.mark.django_db
def test_a_report_over_16_kb_is_refused(csrf_client, caplog):
    big = {"csp-report": {**OLD_REPORT["csp-report"], "script-sample": "x" * (16 * 1024)}}
    with caplog.at_level(logging.WARNING, logger="civiccenter.csp"):
        assert post(csrf_client, big).status_code == 413
    assert not [r for r in caplog.records if r.name == "civiccenter.csp"]


@pytest.mark.django_db
def test_a_body_longer_than_its_declared_length_is_refused(csrf_client):
    big = json.dumps({"csp-report": {"blocked-uri": "x" * (20 * 1024)}}).encode()
    response = csrf_client.generic(
        "POST", "/csp-report", big, content_type="application/csp-report", CONTENT_LENGTH="10"
    )
    assert response.status_code in (400, 413)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe\x00garbage",
        b"[" * 8000 + b"]" * 8000,
        b"null",
        b"42",
        b'{"csp-report": "nope"}',
        b'[{"type": "csp-violation", "body": []}]',
        b'[{"type": "deprecation", "body": {}}]',
        b'{"csp-report": {}}',
    ],
)
def test_garbage_is_a_client_error_never_a_server_error(csrf_client, body):
    assert post(csrf_client, body).status_code in (204, 400, 415)  # an empty body has no content type


@pytest.mark.django_db
def test_only_report_content_types_and_post_are_accepted(csrf_client):
    assert post(csrf_client, OLD_REPORT, content_type="text/plain").status_code == 415
    assert post(csrf_client, OLD_REPORT, content_type="multipart/form-data; boundary=x").status_code == 415
    assert csrf_client.get("/csp-report").status_code == 405
    assert post(csrf_client, OLD_REPORT, content_type="application/json").status_code == 204


@pytest.mark.django_db
def test_a_flood_of_reports_is_logged_only_up_to_the_limit(csrf_client, caplog, monkeypatch):
    now = [600.0]
    monkeypatch.setattr(csp_views, "budget", csp_views._Budget(3, clock=lambda: now[0]))
    with caplog.at_level(logging.WARNING, logger="civiccenter.csp"):
        for _ in range(10):
            assert post(csrf_client, OLD_REPORT).status_code == 204
        assert len(caplog.records) == 3
        now[0] += 60  # a minute later: how many were left out, then the report
        assert post(csrf_client, OLD_REPORT).status_code == 204
    messages = [r.getMessage() for r in caplog.records if r.name == "civiccenter.csp"]
    assert len(messages) == 5 and messages[3].endswith(": 7")
