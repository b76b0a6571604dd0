from django.urls import path

from opinions.views import cases

urlpatterns = [
    path("mine/", cases.my_opinions, name="my-opinions"),
    path("cases/<str:number>/", cases.case_detail, name="case"),
    path("cases/<str:number>/receipt/", cases.receipt, name="receipt"),
    path("cases/<str:number>/answer/", cases.answer_information, name="answer"),
    path("cases/<str:number>/reopen/", cases.reopen, name="reopen"),
    path("files/<int:pk>/", cases.opinion_file, name="file"),
]
