from django.urls import path

from hearings.views import drafts

urlpatterns = [
    path("", drafts.draft_list, name="drafts"),
    path("drafts.csv", drafts.drafts_csv, name="drafts-csv"),
    path("<int:pk>/", drafts.draft_detail, name="draft"),
    path("<int:pk>/comments/", drafts.comment_list, name="draft-comments"),
    path("<int:pk>/comments.csv", drafts.comments_csv, name="draft-comments-csv"),
    path("<int:pk>/report/", drafts.report_detail, name="draft-report"),
    path("<int:pk>/report.csv", drafts.report_csv, name="draft-report-csv"),
    path("<int:pk>/dispositions.csv", drafts.dispositions_csv, name="draft-dispositions-csv"),
]
