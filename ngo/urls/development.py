"""NGO development, included at /ngo/: activities, achievements and news."""

from django.urls import path

from ngo.views import development as views

urlpatterns = [
    path("activities/", views.activity_list, name="activities"),
    path("achievements/", views.achievement_list, name="achievements"),
    path("news/", views.news_list, name="news"),
    path("activities/new/", views.activity_create, name="activity-new"),
    path("activities/mine/", views.mine, name="development-mine"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity-edit"),
    path("activities/<int:pk>/register/", views.activity_register, name="activity-register"),
    path("activities/<int:pk>/cancel/", views.activity_cancel, name="activity-cancel"),
    path("activities/<int:pk>/registrants/", views.activity_registrants, name="activity-registrants"),
    path("achievements/new/", views.achievement_create, name="achievement-new"),
    path("achievements/<int:pk>/", views.achievement_detail, name="achievement"),
    path("achievements/<int:pk>/edit/", views.achievement_edit, name="achievement-edit"),
    path("news/<int:pk>/", views.news_detail, name="news-item"),
]
