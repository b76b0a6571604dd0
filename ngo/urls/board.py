from django.urls import path

from ngo.views import board

urlpatterns = [
    path("", board.board, name="board"),
    path("new/", board.post_create, name="board-new"),
    path("mine/", board.mine, name="board-mine"),
    path("<int:pk>/", board.post_detail, name="board-post"),
    path("<int:pk>/edit/", board.post_edit, name="board-edit"),
    path("<int:pk>/respond/", board.respond, name="board-respond"),
    path("<int:pk>/close/", board.close, name="board-close"),
    path("<int:pk>/thank/", board.thank, name="board-thank"),
    path("<int:pk>/report/", board.report_post, name="board-report"),
    path("<int:pk>/responses/<int:response_pk>/accept/", board.accept, name="board-accept"),
    path("<int:pk>/responses/<int:response_pk>/report/", board.report_response, name="board-report-response"),
]
