from django.urls import path

from ngo.views import venues

urlpatterns = [
    path("", venues.venue_list, name="venues"),
    path("bookings/", venues.my_bookings, name="bookings"),
    path("bookings/<int:pk>/", venues.booking_detail, name="booking"),
    path("bookings/<int:pk>/cancel/", venues.cancel, name="booking-cancel"),
    path("calendar/<int:pk>/reset/", venues.reset_feed, name="organization-ics-reset"),
    path("calendar/<str:token>.ics", venues.organization_ics, name="organization-ics"),
    path("<slug:slug>/", venues.venue_week, name="venue"),
    path("<slug:slug>/book/", venues.book, name="venue-book"),
    path("<slug:slug>/calendar.ics", venues.venue_ics, name="venue-ics"),
]
