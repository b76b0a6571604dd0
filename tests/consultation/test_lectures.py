"""Policy lectures: capacity held by the database whatever the concurrency, the waiting list, reminders, .ics."""

import threading
from datetime import date, datetime, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from civiccenter.cases import InvalidTransition
from civiccenter.models import Notification
from consultation.models import Lecture, Registration, sweep_lecture_reminders
from tests.conftest import make_user


def make_lecture(department, capacity=2, starts_in=timedelta(days=3), **fields):
    starts = timezone.now() + starts_in
    fields.setdefault("place", "市民服务中心三楼报告厅")
    return Lecture.objects.create(
        title="稳就业政策宣讲会",
        topic="稳岗返还",
        speaker="王科长",
        department=department,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=capacity,
        **fields,
    )


@pytest.fixture
def lecture(department):
    return make_lecture(department)


@pytest.mark.django_db
def test_register_then_waitlist_then_move_up_on_cancellation(lecture, applicant, other_applicant):
    third = make_user("third@example.cn", full_name="王五")
    first = Registration.register(lecture=lecture, by=applicant)
    Registration.register(lecture=lecture, by=other_applicant)
    waiting = Registration.register(lecture=lecture, by=third)
    lecture.refresh_from_db()
    assert first.status == "registered" and waiting.status == "waitlisted" and lecture.registered == 2
    Notification.objects.all().delete()
    first.cancel(by=applicant)
    waiting.refresh_from_db()
    lecture.refresh_from_db()
    assert waiting.status == "registered" and lecture.registered == 2
    assert Notification.objects.filter(recipient=third).count() == 1  # told they have a place
    with pytest.raises(InvalidTransition):
        first.cancel(by=applicant)


@pytest.mark.django_db
def test_cancelling_without_a_waiting_list_gives_the_place_back(lecture, applicant):
    registration = Registration.register(lecture=lecture, by=applicant)
    registration.cancel(by=applicant)
    lecture.refresh_from_db()
    assert lecture.registered == 0
    again = Registration.register(lecture=lecture, by=applicant)  # may register again after cancelling
    assert again.status == "registered"


@pytest.mark.django_db
def test_one_registration_per_person(lecture, applicant):
    Registration.register(lecture=lecture, by=applicant)
    with pytest.raises(InvalidTransition):
        Registration.register(lecture=lecture, by=applicant)
    lecture.refresh_from_db()
    assert lecture.registered == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(lecture=lecture, user=applicant, status="waitlisted")


@pytest.mark.django_db
def test_past_or_unpublished_lectures_take_no_registrations(department, applicant):
    past = make_lecture(department, starts_in=timedelta(hours=-3))
    hidden = make_lecture(department, published=False)
    for lecture in (past, hidden):
        with pytest.raises(InvalidTransition):
            Registration.register(lecture=lecture, by=applicant)


@pytest.mark.django_db
def test_the_database_refuses_overbooking_and_a_lecture_without_place(lecture, department):
    with pytest.raises(IntegrityError), transaction.atomic():
        Lecture.objects.filter(pk=lecture.pk).update(registered=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_lecture(department, place="", online_url="")


@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_never_exceed_capacity(department):
    lecture = make_lecture(department, capacity=3)
    people = [make_user(f"p{i}@example.cn") for i in range(10)]
    barrier = threading.Barrier(len(people))
    outcomes = []

    def run(person):
        try:
            barrier.wait()
            outcomes.append(Registration.register(lecture=lecture, by=person).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lecture.refresh_from_db()
    assert outcomes.count("registered") == 3 and outcomes.count("waitlisted") == 7
    assert lecture.registered == 3 == Registration.objects.filter(status="registered").count()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_cancellations_move_up_exactly_as_many(department):
    lecture = make_lecture(department, capacity=3)
    people = [make_user(f"c{i}@example.cn") for i in range(6)]
    registrations = [Registration.register(lecture=lecture, by=person) for person in people]
    barrier = threading.Barrier(3)

    def run(registration):
        try:
            barrier.wait()
            registration.cancel(by=registration.user)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(r,)) for r in registrations[:3]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lecture.refresh_from_db()
    assert lecture.registered == 3
    assert set(Registration.objects.filter(status="registered").values_list("user__email", flat=True)) == {
        "c3@example.cn",
        "c4@example.cn",
        "c5@example.cn",
    }


@pytest.mark.django_db
def test_reminder_the_day_before_exactly_once(department, applicant):
    today = date(2026, 11, 23)
    tomorrow = timezone.make_aware(datetime(2026, 11, 24, 14, 0))
    lecture = make_lecture(department, starts_in=tomorrow - timezone.now())
    later = make_lecture(department, starts_in=tomorrow + timedelta(days=2) - timezone.now())
    for item in (lecture, later):
        Registration.objects.create(lecture=item, user=applicant, status="registered")
    assert sweep_lecture_reminders(today) == 1
    assert sweep_lecture_reminders(today) == 0


@pytest.mark.django_db
def test_ics_calendar_file(client, lecture):
    response = client.get(reverse("consultation:lecture-ics", args=[lecture.pk]))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in body and "SUMMARY:稳就业政策宣讲会" in body and body.endswith("\r\n")
    start = lecture.starts_at.astimezone(timezone.get_fixed_timezone(0)).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


@pytest.mark.django_db
def test_lecture_pages_register_and_cancel(client, lecture, applicant, other_applicant):
    client.cookies["django_language"] = "en"
    url = lecture.get_absolute_url()
    assert "Sign in to register" in client.get(url).content.decode()
    register = reverse("consultation:lecture-register", args=[lecture.pk])
    assert client.post(register).status_code == 302 and not Registration.objects.exists()
    client.force_login(applicant)
    assert client.get(register).status_code == 405
    client.post(register)
    assert "You are registered" in client.get(url).content.decode()
    client.force_login(other_applicant)
    cancel = reverse("consultation:lecture-cancel", args=[lecture.pk])
    assert client.post(cancel).status_code == 404  # nothing of theirs to cancel
    client.force_login(applicant)
    client.post(cancel)
    assert Registration.objects.get().status == "cancelled"
    assert client.get(reverse("consultation:lecture", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_materials_and_summary_after_the_lecture(client, department):
    past = make_lecture(department, starts_in=timedelta(days=-2), summary="共有60人参加。")
    html = client.get(past.get_absolute_url()).content.decode()
    assert "共有60人参加。" in html
    upcoming = make_lecture(department, summary="不应提前显示")
    assert "不应提前显示" not in client.get(upcoming.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_lecture_list_queries_are_fixed(client, department, django_assert_num_queries):
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    make_lecture(department)
    with CaptureQueriesContext(conn) as small:
        client.get(reverse("consultation:lectures"))
    for index in range(10):
        make_lecture(department, starts_in=timedelta(days=index - 5))
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("consultation:lectures"))
