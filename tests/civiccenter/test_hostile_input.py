"""No input gets a server error: a fixed corpus of hostile values (long strings, NUL, invalid UTF-8, SQL and template
syntax, markup, extreme numbers and dates) sent to every URL pattern, every query parameter the code reads and every
form a visitor, a citizen, an organization's representative, a window clerk or a superuser reaches in the demo.

Each request runs in a savepoint rolled back after it, so every one sees the demo as loaded and a refused request
leaves nothing behind. A 5xx is counted, not raised; the test fails listing them all. `pytest -s` prints the counts.
"""

import time
from collections import Counter, deque

import pytest
from django.db import transaction
from django.test import Client

from civiccenter.models import Department, User

from . import hostile

# The budget, for a run of a few minutes. Every field of every form gets WHOLE_FORM_PAYLOADS values of the corpus
# (each submission puts one value in every field at once, so every field's own check runs); FIELDS_ALONE fields
# of each form, the kinds that are parsed (dates, numbers, choices, files, hidden fields) first, get one value
# alone beside the page's own values for the others, which reaches what runs once the rest of the form is valid.
PAGES_PER_USER = 300  # one page per URL pattern and user: the second venue page adds nothing the first did not
PATH_VALUES_PER_PART = 2
QUERIES_PER_PAGE = 2
WHOLE_FORM_PAYLOADS = 3
FIELDS_ALONE = 6
PARSED_FIRST = ("date", "datetime-local", "time", "number", "select", "file", "hidden", "radio", "checkbox")


class Sender:
    """Sends requests for one user, each in a savepoint rolled back after it, and keeps every 5xx."""

    def __init__(self, label, user=None):
        self.label = label
        self.client = Client(raise_request_exception=False)
        if user is not None:
            self.client.force_login(user)
        self.errors = []
        self.slow = []
        self.counts = Counter()

    def send(self, method, url, data=None, content_type=None, kind="request"):
        self.counts[kind] += 1
        started = time.monotonic()
        savepoint = transaction.savepoint()
        try:
            if method == "get":
                response = self.client.get(url)
            elif content_type:
                response = self.client.generic("POST", url, data, content_type=content_type)
            else:
                response = self.client.post(url, data)
        finally:
            # Back to the savepoint, then release it: kept, thousands of nested savepoints would fill
            # PostgreSQL's lock table ("out of shared memory").
            transaction.savepoint_rollback(savepoint)
            transaction.savepoint_commit(savepoint)
        took = time.monotonic() - started
        if took > 1:
            self.slow.append(f"{took:.1f}s {method.upper()} {url[:150]} ({kind})")
        if response.status_code >= 500:
            error = getattr(response, "exc_info", None)
            cause = f"{error[0].__name__}: {str(error[1])[:160]}" if error else ""
            self.errors.append(f"{self.label} {method.upper()} {url[:160]} ({kind}) -> {response.status_code} {cause}")
        return response


def sensible_users():
    office = Department.objects.get(code="ZXBGS")
    superuser = User.objects.create_superuser(
        "root@demo.civiccenter.example", "x", full_name="超级管理员", department=office, email_confirmed_at=None
    )
    by_email = {user.email: user for user in User.objects.filter(email__endswith="@demo.civiccenter.example")}
    return {
        "anonymous": None,
        "citizen": by_email["citizen@demo.civiccenter.example"],
        "organization": by_email["ngo@demo.civiccenter.example"],
        "clerk": by_email["clerk@demo.civiccenter.example"],
        "superuser": superuser,
    }


def crawl(sender, seeds):
    """Pages reachable from the seeds by links, one per URL pattern: [(url, route, parsed page)]."""
    queue, seen, per_route, pages = deque(seeds), set(), Counter(), []
    while queue and len(pages) < PAGES_PER_USER:
        url = queue.popleft()
        path = url.split("?")[0]
        if url in seen or hostile.SKIPPED_PATHS.search(path):
            continue
        seen.add(url)
        route = hostile.route_of(path)
        if route is None or route in per_route:
            continue
        per_route[route] += 1
        response = sender.send("get", url, kind="page")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = hostile.parse(response.content.decode("utf-8", "replace"))
        pages.append((url, route, page))
        for href in page.links:
            link = hostile.same_site_path(href, url)
            if link is not None and link not in seen:
                queue.append(link)
    return pages


def send_malformed_paths(sender, patterns):
    for pattern in patterns:
        urls = hostile.malformed_urls(pattern)
        for url in hostile.sample(urls, PATH_VALUES_PER_PART * len(pattern.parts), sender.label + pattern.route):
            sender.send("get", url, kind="malformed path")


def send_hostile_queries(sender, pages, read_in_code):
    for url, route, page in pages:
        names = set(read_in_code) | set(hostile.COMMON_PARAMETERS)
        names |= {item.name for form in page.forms if form.method == "get" for item in form.fields}
        path = url.split("?")[0]
        for payload in hostile.sample(hostile.PAYLOADS, QUERIES_PER_PAGE, sender.label + route):
            sender.send("get", path + "?" + hostile.query((name, payload) for name in sorted(names)), kind="query")


def forms_of(pages, seen):
    """Each distinct form once, over all the users: by method, the URL pattern it is sent to and its fields (the
    citizen's and the organization's forms are mostly the same, so are the clerk's and the superuser's)."""
    forms = []
    for url, _route, page in pages:
        for form in page.forms:
            action = hostile.same_site_path(form.action, url) if form.action else url
            if action is None or hostile.SKIPPED_PATHS.search(action.split("?")[0]):
                continue
            key = (form.method, hostile.route_of(action.split("?")[0]), frozenset(hostile.target_fields(form)))
            if key[1] is not None and key not in seen:
                seen.add(key)
                forms.append((action, form))
    return forms


def submit(sender, action, form, pairs, files):
    if form.method != "post":
        path = action.split("?")[0]
        return sender.send("get", path + "?" + hostile.query(pairs), kind="form")
    if form.multipart or files:
        data = {}
        for name, value in pairs:
            data.setdefault(name, []).append(value)
        for name, (file_name, content) in files.items():
            from django.core.files.uploadedfile import SimpleUploadedFile

            data[name] = SimpleUploadedFile(file_name, content, "application/pdf")
        return sender.send("post", action, data, kind="submission")
    return sender.send(
        "post", action, hostile.query(pairs), content_type="application/x-www-form-urlencoded", kind="submission"
    )


def send_hostile_forms(sender, forms):
    for action, form in forms:
        sender.counts["distinct form"] += 1
        pairs, files = hostile.baseline(form)
        targets = hostile.target_fields(form)
        key = sender.label + action.split("?")[0]
        kinds = {item.name: item.kind for item in form.fields}
        alone = sorted(targets, key=lambda name: kinds[name] not in PARSED_FIRST)[:FIELDS_ALONE]
        for name in alone:
            for payload in hostile.sample(hostile.PAYLOADS, 1, key + name):
                submit(sender, action, form, *hostile.with_value(pairs, files, name, payload))
        for payload in hostile.sample(hostile.PAYLOADS, WHOLE_FORM_PAYLOADS, key):
            every_pairs, every_files = pairs, files
            for name in targets:
                every_pairs, every_files = hostile.with_value(every_pairs, every_files, name, payload)
            submit(sender, action, form, every_pairs, every_files)


@pytest.mark.django_db
def test_no_hostile_input_gets_a_server_error(demo, capsys, settings):
    # The sign-in and password forms hash what they are sent: PBKDF2 would take most of the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Every submission must reach its form, not the throttle's 429 (tests/civiccenter/test_throttle.py).
    settings.THROTTLE_RATES = {group: "1000000/h" for group in settings.THROTTLE_RATES}
    settings.AXES_FAILURE_LIMIT = 1000000
    # No notification worker runs here, so the demo's due e-mails would rightly make /healthz answer 503.
    settings.HEALTHZ_MAX_NOTICE_AGE = 0
    patterns = hostile.url_patterns()
    seeds = [hostile.fill(pattern.route, {}) for pattern in patterns if not pattern.parts]
    read_in_code = hostile.parameters_read_in_code()
    totals, errors, forms_seen = Counter(), [], set()
    for label, user in sensible_users().items():
        sender = Sender(label, user)
        if label in ("anonymous", "citizen", "superuser"):
            send_malformed_paths(sender, [pattern for pattern in patterns if pattern.parts])
        pages = crawl(sender, seeds)
        send_hostile_queries(sender, pages, read_in_code)
        send_hostile_forms(sender, forms_of(pages, forms_seen))
        totals.update(sender.counts)
        errors += sender.errors
        with capsys.disabled():
            print(f"\nhostile input as {label}: {dict(sender.counts)}, {len(sender.errors)} server error(s)")
    summary = (
        f"{len(patterns)} URL patterns; {totals['malformed path']} malformed paths, {totals['page']} pages crawled, "
        f"{totals['query']} hostile queries, {totals['distinct form']} forms, {totals['submission']} POST "
        f"submissions and {totals['form']} GET-form submissions; {sum(totals.values()) - totals['distinct form']} "
        f"requests in all"
    )
    with capsys.disabled():
        print("\n" + summary)
    assert not errors, f"{len(errors)} server error(s) over {summary}:\n" + "\n".join(errors)


# What the sweep found, each held by a test of its own -------------------------------------------------------------


@pytest.mark.django_db
def test_an_admin_date_drill_down_with_a_number_too_large_is_an_invalid_filter(admin_client):
    for year in ("99999999999999999999", "-99999999999999999999"):
        response = admin_client.get(f"/admin/civiccenter/notification/?created_at__year={year}")
        assert response.status_code == 302 and response["Location"].endswith("?e=1")


@pytest.mark.django_db
def test_an_autocomplete_field_with_a_value_that_is_no_id_is_a_field_error(admin_client):
    for value in ("NaN", "1e309", "' OR '1'='1"):
        response = admin_client.post("/admin/disclosure/document/add/", {"title": "x", "related": [value]})
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["related"]


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["NaN", "' OR '1'='1' --", "{{ 7|add:7 }}", "0001-01-01"])
def test_a_next_that_is_no_url_is_no_server_error(client, target):
    response = client.post("/care-mode/", {"care_mode": "1", "next": target})
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", ["civiccenter/followup", "licensing/application", "disclosure/disclosurerequest", "hearings/comment",
              "hearings/adoptionreport", "opinions/boardentry", "opinions/petition"],
)  # fmt: skip
def test_a_change_page_whose_address_is_no_id_is_no_server_error(admin_client, model):
    for object_id in ("%7B%7B7*7%7D%7D", "..%2F..%2Fetc%2Fpasswd", "1%2F2%2F3", "%FF", "a" * 300):
        assert admin_client.get(f"/admin/{model}/{object_id}/change/").status_code in (302, 404)
