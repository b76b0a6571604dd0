from django.urls import path

from ngo.views import organizations as views

urlpatterns = [
    path("", views.directory, name="organizations"),
    path("<int:pk>/", views.detail, name="organization"),
    path("register/", views.register, name="organization-register"),
    path("mine/", views.mine, name="organizations-mine"),
    path("<int:pk>/manage/", views.manage, name="organization-manage"),
    path("<int:pk>/edit/", views.edit, name="organization-edit"),
    path("<int:pk>/resubmit/", views.resubmit, name="organization-resubmit"),
    path("<int:pk>/invite/", views.invite, name="organization-invite"),
    path("<int:pk>/members/<int:member>/role/", views.change_role, name="organization-member-role"),
    path("<int:pk>/members/<int:member>/remove/", views.remove_member, name="organization-member-remove"),
    path("<int:pk>/leave/", views.leave, name="organization-leave"),
    path("<int:pk>/certificate/", views.certificate, name="organization-certificate"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
