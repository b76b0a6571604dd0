from django.urls import path

from licensing import views

app_name = "licensing"
urlpatterns = [
    path("", views.index, name="index"),
    path("matters/<str:code>/", views.matter_detail, name="matter-detail"),
    path("matters/<str:code>/print/", views.matter_print, name="matter-print"),
    path("matters/<str:code>/apply/", views.start_application, name="apply"),
    path("register/", views.register, name="register"),
    path("matters/<str:code>/appointments/", views.matter_slots, name="matter-slots"),
    path("matters/<str:code>/appointments/<int:slot_pk>/book/", views.book_slot, name="book-slot"),
    path("appointments/", views.my_appointments, name="appointments"),
    path("appointments/<int:pk>/cancel/", views.cancel_appointment, name="cancel-appointment"),
    path("licences/<str:code>/", views.licence_verify, name="licence-verify"),
    path("licences/<int:pk>/renew/", views.renew_licence, name="renew-licence"),
    path("applications/<int:pk>/object/", views.object_to_publication, name="object-to-publication"),
    path("applications/", views.application_list, name="application-list"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application-edit"),
    path("applications/<int:pk>/receipt/", views.application_receipt, name="application-receipt"),
    path("applications/<int:pk>/correction-notice/", views.correction_notice, name="correction-notice"),
    path("applications/<int:pk>/acceptance-notice/", views.acceptance_notice, name="acceptance-notice"),
    path("applications/<int:pk>/decision/", views.decision_document, name="decision-document"),
    path("applications/<int:pk>/documents/<int:document_pk>/", views.application_document, name="application-document"),
    path("applications/<int:pk>/files/<int:file_pk>/", views.application_file, name="application-file"),
]
