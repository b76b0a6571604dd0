from django.urls import path

from consultation.views import content, questions

app_name = "consultation"
urlpatterns = [
    path("", questions.index, name="index"),
    path("ask/", questions.ask, name="ask"),
    path("similar/", questions.similar, name="similar"),
    path("questions/<int:pk>/", questions.question_detail, name="question"),
    path("questions/<int:pk>/helpful/", questions.vote, name="vote"),
    path("mine/", questions.my_questions, name="my-questions"),
    path("mine/<int:pk>/", questions.my_question, name="my-question"),
    path("mine/<int:pk>/follow-up/", questions.follow_up, name="follow-up"),
    path("mine/<int:pk>/withdraw-consent/", questions.withdraw_consent, name="withdraw-consent"),
    path("mine/<int:pk>/attachment/", questions.attachment, name="attachment"),
    path("knowledge/", questions.knowledge_list, name="knowledge"),
    path("knowledge/<int:pk>/", questions.knowledge_entry, name="knowledge-entry"),
    path("interpretations/", content.interpretation_list, name="interpretations"),
    path("interpretations/<int:pk>/", content.interpretation_detail, name="interpretation"),
    path("lectures/", content.lecture_list, name="lectures"),
    path("lectures/<int:pk>/", content.lecture_detail, name="lecture"),
    path("lectures/<int:pk>/register/", content.lecture_register, name="lecture-register"),
    path("lectures/<int:pk>/cancel/", content.lecture_cancel, name="lecture-cancel"),
    path("lectures/<int:pk>/calendar.ics", content.lecture_ics, name="lecture-ics"),
    path("interviews/", content.interview_list, name="interviews"),
    path("interviews/<int:pk>/", content.interview_detail, name="interview"),
    path("interviews/<int:pk>/ask/", content.interview_ask, name="interview-ask"),
]
