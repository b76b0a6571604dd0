from django.urls import path

from opinions.views import public

urlpatterns = [
    path("board/", public.board, name="board"),
    path("board/<int:pk>/", public.board_entry, name="board-entry"),
    path("stats/", public.stats, name="stats"),
    path("stats.csv", public.stats_csv, name="stats-csv"),
    path("cases/<str:number>/withdraw-consent/", public.withdraw_consent, name="withdraw-consent"),
]
