from django.urls import path

from disclosure.views import requests as views

# Mounted at /disclosure/requests/ in the "disclosure" namespace.
urlpatterns = [
    path("", views.request_list, name="request-list"),
    path("new/", views.request_new, name="request-new"),
    path("<int:pk>/", views.request_detail, name="request-detail"),
    path("<int:pk>/correct/", views.request_correct, name="request-correct"),
    path("<int:pk>/withdraw/", views.request_withdraw, name="request-withdraw"),
    path("<int:pk>/reply/", views.reply_letter, name="request-reply"),
    path("<int:pk>/correction-notice/", views.correction_notice, name="request-correction-notice"),
    path("<int:pk>/fee-notice/", views.fee_notice, name="request-fee-notice"),
    path("<int:pk>/files/<int:file_pk>/", views.reply_file, name="request-file"),
]
