"""Every venue page reads in Chinese (the default) with no English left, over the whole demo."""

import pytest
from django.urls import reverse

from civiccenter.models import User
from ngo.models import Booking, Venue
from tests.consultation.test_consultation_languages import check


@pytest.mark.django_db
def test_public_and_organization_venue_pages_have_no_english_left_in_chinese(client, demo):
    venues = list(Venue.objects.all())
    assert len(venues) == 5
    urls = [reverse("ngo:venues")]
    urls += [reverse("ngo:venue", args=[venue.slug]) for venue in venues]
    check(client, urls)
    booking = Booking.objects.filter(status=Booking.Status.COMPLETED).select_related("booked_by").first()
    client.force_login(booking.booked_by)
    check(
        client,
        [
            reverse("ngo:bookings"),
            booking.get_absolute_url(),
            reverse("ngo:venue-book", args=[booking.venue.slug]),
            reverse("ngo:venue", args=[booking.venue.slug]),
        ],
    )


@pytest.mark.django_db
def test_staff_venue_pages_have_no_english_left_in_chinese(client, demo):
    client.force_login(User.objects.get(email="admin@demo.civiccenter.example"))
    check(
        client,
        [
            reverse("admin:ngo_booking_changelist"),
            reverse("admin:ngo_booking_changelist") + "?when=all",
            reverse("admin:ngo_booking_change", args=[Booking.objects.first().pk]),
            reverse("admin:ngo_venue_changelist"),
            reverse("admin:ngo_venue_change", args=[Venue.objects.first().pk]),
        ],
    )
