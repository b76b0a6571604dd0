"""Window appointments: never overbooked, whatever the concurrency."""

import threading
from datetime import date, datetime, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from civiccenter.cases import InvalidTransition
from civiccenter.models import Notification
from licensing.models import Appointment, WindowSlot, sweep_appointment_reminders
from tests.conftest import make_user
from tests.licensing.conftest import make_matter


def at(day, hour=9, minute=0):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def slot(department):
    return WindowSlot.objects.create(
        department=department, window="1号窗口", starts_at=timezone.now() + timedelta(days=2), capacity=2
    )


@pytest.mark.django_db
def test_booking_takes_a_place_and_cancelling_gives_it_back(slot, matter, applicant):
    appointment = Appointment.book(slot=slot, matter=matter, by=applicant)
    slot.refresh_from_db()
    assert slot.booked == 1 and len(appointment.code) == 8
    assert Notification.objects.filter(recipient=applicant).exists()
    appointment.cancel(by=applicant)
    slot.refresh_from_db()
    assert slot.booked == 0 and appointment.status == "cancelled"
    with pytest.raises(InvalidTransition):
        appointment.cancel(by=applicant)
    slot.refresh_from_db()
    assert slot.booked == 0


@pytest.mark.django_db
def test_a_full_slot_refuses_more(slot, matter, applicant, other_applicant):
    Appointment.book(slot=slot, matter=matter, by=applicant)
    Appointment.book(slot=slot, matter=matter, by=other_applicant)
    with pytest.raises(InvalidTransition):
        Appointment.book(slot=slot, matter=matter, by=make_user("third@example.cn"))


@pytest.mark.django_db
def test_one_booking_per_person_and_time(slot, matter, applicant):
    Appointment.book(slot=slot, matter=matter, by=applicant)
    with pytest.raises(InvalidTransition):
        Appointment.book(slot=slot, matter=matter, by=applicant)
    slot.refresh_from_db()
    assert slot.booked == 1  # the refused booking gave its place back


@pytest.mark.django_db
def test_past_times_and_other_departments_matters_are_refused(slot, department, other_department, applicant):
    foreign = make_matter(other_department, code="XK-MZ-001", name="社会团体成立登记")
    with pytest.raises(InvalidTransition):
        Appointment.book(slot=slot, matter=foreign, by=applicant)
    past = WindowSlot.objects.create(
        department=department, window="1号窗口", starts_at=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(InvalidTransition):
        Appointment.book(slot=past, matter=make_matter(department), by=applicant)


@pytest.mark.django_db
def test_the_database_refuses_an_overbooked_slot(slot):
    with pytest.raises(IntegrityError), transaction.atomic():
        WindowSlot.objects.filter(pk=slot.pk).update(booked=3)


@pytest.mark.django_db(transaction=True)
def test_many_simultaneous_bookings_of_the_last_place_give_exactly_one(department):
    matter = make_matter(department)
    slot = WindowSlot.objects.create(
        department=department, window="1号窗口", starts_at=timezone.now() + timedelta(days=2), capacity=1
    )
    people = [make_user(f"p{i}@example.cn") for i in range(8)]
    barrier = threading.Barrier(len(people))
    outcomes = []

    def run(person):
        try:
            barrier.wait()
            Appointment.book(slot=slot, matter=matter, by=person)
            outcomes.append("ok")
        except InvalidTransition:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    slot.refresh_from_db()
    assert outcomes.count("ok") == 1 and slot.booked == 1
    assert Appointment.objects.filter(status="booked").count() == 1


@pytest.mark.django_db
def test_reminder_the_day_before_exactly_once(department, matter, applicant):
    today = date(2026, 11, 23)
    tomorrow_slot = WindowSlot.objects.create(
        department=department, window="2号窗口", starts_at=at(today + timedelta(days=1), 10)
    )
    later_slot = WindowSlot.objects.create(
        department=department, window="2号窗口", starts_at=at(today + timedelta(days=3), 10)
    )
    for slot in (tomorrow_slot, later_slot):
        WindowSlot.objects.filter(pk=slot.pk).update(booked=1)
        Appointment.objects.create(slot=slot, matter=matter, user=applicant)
    assert sweep_appointment_reminders(today) == 1
    assert sweep_appointment_reminders(today) == 0
    assert Appointment.objects.get(slot=tomorrow_slot).reminded


# Views --------------------------------------------------------------------------


@pytest.mark.django_db
def test_citizen_books_from_the_matter_and_cancels(client, slot, matter, applicant):
    slots_url = reverse("licensing:matter-slots", args=[matter.code])
    assert slot.window in client.get(slots_url).content.decode()  # anyone sees the free times
    book = reverse("licensing:book-slot", args=[matter.code, slot.pk])
    assert client.post(book).status_code == 302 and not Appointment.objects.exists()  # to the sign-in page
    client.force_login(applicant)
    response = client.post(book)
    assert response.url == reverse("licensing:appointments")
    appointment = Appointment.objects.get()
    assert appointment.code in client.get(response.url).content.decode()
    client.post(reverse("licensing:cancel-appointment", args=[appointment.pk]))
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"


@pytest.mark.django_db
def test_another_person_cannot_cancel(client, slot, matter, applicant, other_applicant):
    appointment = Appointment.book(slot=slot, matter=matter, by=applicant)
    client.force_login(other_applicant)
    assert client.post(reverse("licensing:cancel-appointment", args=[appointment.pk])).status_code == 404
    assert client.get(reverse("licensing:cancel-appointment", args=[appointment.pk])).status_code == 405
    appointment.refresh_from_db()
    assert appointment.status == "booked"


@pytest.mark.django_db
def test_booking_a_full_or_unknown_slot_gets_a_message(client, slot, matter, applicant):
    WindowSlot.objects.filter(pk=slot.pk).update(booked=2)
    client.force_login(applicant)
    response = client.post(reverse("licensing:book-slot", args=[matter.code, slot.pk]), follow=True)
    assert response.status_code == 200 and any(m.level_tag == "error" for m in response.context["messages"])
    assert client.post(reverse("licensing:book-slot", args=[matter.code, 999999])).status_code == 404


@pytest.mark.django_db
def test_clerk_sees_the_days_list_of_their_department_only(client, slot, matter, applicant, other_department):
    from civiccenter import roles
    from tests.conftest import make_staff

    Appointment.book(slot=slot, matter=matter, by=applicant)
    other_slot = WindowSlot.objects.create(
        department=other_department, window="9号窗口", starts_at=timezone.now() + timedelta(days=2)
    )
    Appointment.book(slot=other_slot, matter=make_matter(other_department, code="XK-MZ-001"), by=applicant)
    clerk = make_staff("clerk@example.cn", roles.WINDOW_CLERK, matter.department)
    client.force_login(clerk)
    response = client.get(reverse("admin:licensing_appointment_changelist"))
    assert [row.slot for row in response.context["cl"].result_list] == [slot]
    # The citizen's mobile number is masked in the list, as in every admin list.
    html = response.content.decode()
    assert applicant.phone not in html and applicant.phone[:3] + "****" + applicant.phone[-4:] in html
