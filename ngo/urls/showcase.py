from django.urls import path

from ngo.views import showcase

urlpatterns = [
    path("", showcase.gallery, name="showcase"),
    path("submit/", showcase.work_create, name="showcase-submit"),
    path("mine/", showcase.mine, name="showcase-mine"),
    path("works/<int:pk>/", showcase.work_detail, name="showcase-work"),
    path("works/<int:pk>/edit/", showcase.work_edit, name="showcase-edit"),
    path("works/<int:pk>/withdraw/", showcase.withdraw, name="showcase-withdraw"),
    path("exhibitions/", showcase.exhibition_list, name="showcase-exhibitions"),
    path("exhibitions/<int:pk>/", showcase.exhibition_detail, name="showcase-exhibition"),
]
