"""Fixtures shared by every app's tests (healthchecks' alice/bob/charlie style)."""

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from civiccenter import roles
from civiccenter.models import Department, User

PASSWORD = "correct-horse-battery-staple-42"

# The demo replays its opinion cases through the real moves, one step at a time; the tests that load it
# (several times in a run) replay 800 of `make run`'s 3,000, which shows every status and channel as well.
settings.DEMO_OPINION_CASES = 800


@pytest.fixture
def password():
    return PASSWORD


def make_department(code="SCJG", name="区市场监督管理局", **fields):
    fields.setdefault("name_en", "District Administration for Market Regulation")
    fields.setdefault("phone", "0571-86010101")
    return Department.objects.create(code=code, name=name, **fields)


def make_user(email="zhang@example.cn", full_name="张明", confirmed=True, **fields):
    fields.setdefault("phone", "13800138000")
    user = User.objects.create_user(
        email, PASSWORD, full_name=full_name, email_confirmed_at=timezone.now() if confirmed else None, **fields
    )
    return user


PROJECT_APPS = {"civiccenter", "licensing", "disclosure", "consultation", "hearings", "opinions", "ngo"}


def restore_migration_data():
    """Run our data migrations again, in order: a transactional test's flush empties their tables.

    They are written to be idempotent (get_or_create, permissions.add), so running them
    over data that is still there changes nothing.
    """
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    loader = MigrationLoader(None, ignore_no_migrations=True)
    seen = set()
    for leaf in sorted(loader.graph.leaf_nodes()):
        for key in loader.graph.forwards_plan(leaf):
            if key in seen or key[0] not in PROJECT_APPS:
                continue
            seen.add(key)
            for operation in loader.graph.nodes[key].operations:
                if isinstance(operation, RunPython):
                    operation.code(apps, None)


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Throttle counters (civiccenter/throttle.py) start at zero in every test."""
    from django.core.cache import caches

    caches["throttle"].clear()
    yield
    caches["throttle"].clear()


@pytest.fixture(autouse=True)
def _data_migrations_after_flush(request):
    """A transactional test starts after another one's flush: put the data migrations' rows back first."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction") and "live_server" not in request.fixturenames:
        request.getfixturevalue("transactional_db")
        restore_migration_data()


def ensure_roles():
    """The role groups come from data migrations; after a flush, put them (and the rest) back."""
    if Group.objects.filter(name__in=roles.ALL_ROLES).count() < len(roles.ALL_ROLES):
        restore_migration_data()


def make_staff(email, role, department, **fields):
    ensure_roles()
    user = make_user(email, full_name=fields.pop("full_name", "王晓丽"), is_staff=True, department=department, **fields)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def department(db):
    return make_department()


@pytest.fixture
def other_department(db):
    return make_department(code="MZ", name="区民政局", name_en="District Civil Affairs Bureau", phone="0571-86010202")


@pytest.fixture
def applicant(db):
    return make_user()


@pytest.fixture
def other_applicant(db):
    return make_user("li@example.cn", full_name="李华", phone="13900139000")


@pytest.fixture
def staff_user(department):
    return make_staff("reviewer@example.cn", roles.DEPARTMENT_REVIEWER, department)


@pytest.fixture
def supervisor(department):
    return make_staff("supervisor@example.cn", roles.CENTER_SUPERVISOR, department, full_name="周海燕")


@pytest.fixture(scope="session")
def _demo_loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """`manage.py seed_demo`, loaded once for the whole run inside a transaction rolled back at its end.

    Loading the demo takes tens of seconds, so the tests that read it share one load. They run
    last (see `pytest_collection_modifyitems`), so no other test ever sees the demo's rows, and
    each of them runs in its own savepoint, so none sees another's changes.
    """
    import io

    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    files = tmp_path_factory.mktemp("demo")
    with (
        override_settings(MEDIA_ROOT=files / "media", PRIVATE_MEDIA_ROOT=files / "private"),
        django_db_blocker.unblock(),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            restore_migration_data()  # after the browser tests' flushes
            call_command("seed_demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(db, _demo_loaded):
    """The whole demo data (read-only in spirit: changes are rolled back after each test)."""


def pytest_collection_modifyitems(config, items):
    """Tests that read the demo run last, in their usual order (see `_demo_loaded`)."""
    items.sort(key=lambda item: "demo" in getattr(item, "fixturenames", ()))


def assert_page_queries_fixed(client, small_url, large_url):
    """The page of an object with a longer history takes as many queries as one with a short history."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(small_url)  # warm the per-request caches (permissions, the site)
    with CaptureQueriesContext(connection) as few:
        assert client.get(small_url).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(large_url).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries[len(few) :]]


def with_history(case, by, notes=6):
    """Give a case a longer timeline (internal notes), as months of handling would."""
    for number in range(notes):
        case.log("note", by=by, note=f"跟进记录 {number + 1}", public=False)
