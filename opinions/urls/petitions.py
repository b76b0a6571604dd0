from django.urls import path

from opinions.views import petitions

urlpatterns = [
    path("", petitions.index, name="petitions"),
    path("new/", petitions.file_petition, name="petition-new"),
    path("mine/", petitions.my_petitions, name="my-petitions"),
    path("mine/<int:pk>/", petitions.petition_detail, name="petition"),
    path("mine/<int:pk>/review/", petitions.request_review, name="petition-review"),
    path("mine/<int:pk>/rereview/", petitions.request_rereview, name="petition-rereview"),
    path(
        "mine/<int:pk>/opinion/<str:stage>/",
        petitions.opinion_document,
        name="petition-opinion",
    ),
    path("mine/<int:pk>/files/<int:file_pk>/", petitions.attachment, name="petition-file"),
]
