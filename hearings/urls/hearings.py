from django.urls import path

from hearings.views import hearings

urlpatterns = [
    path("", hearings.hearing_list, name="hearings"),
    path("<int:pk>/", hearings.hearing_detail, name="hearing"),
    path("<int:pk>/register/", hearings.register, name="hearing-register"),
    path("<int:pk>/record/", hearings.hearing_record, name="hearing-record"),
    path("mine/", hearings.my_registrations, name="my-registrations"),
    path("registrations/<int:pk>/withdraw/", hearings.withdraw, name="registration-withdraw"),
    path("licensing/<int:pk>/request/", hearings.request_licensing_hearing, name="licensing-request"),
    path("feed/", hearings.HearingsFeed(), name="hearings-feed"),
    path("calendar.ics", hearings.hearings_ics, name="hearings-ics"),
]
