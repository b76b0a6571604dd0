from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path

from civiccenter import csp_views, document_views, parts, views

# Each app names its sitemaps on its AppConfig (civiccenter.parts).
SITEMAPS = parts.sitemaps()

accounts = (
    [
        path("signup/", views.signup, name="signup"),
        path("signup/sent/", views.confirmation_sent, name="confirmation-sent"),
        path("confirm/<uidb64>/<token>/", views.confirm_email, name="confirm-email"),
        path("confirm/resend/", views.resend_confirmation, name="resend-confirmation"),
        path("login/", views.LoginView.as_view(), name="login"),
        path("logout/", auth_views.LogoutView.as_view(), name="logout"),
        path("profile/", views.profile, name="profile"),
        path("cases/", views.my_cases, name="cases"),
        path("cases/<str:number>/rate/", views.rate_case, name="rate"),
        path("inbox/", views.inbox, name="inbox"),
        path("inbox/read-all/", views.inbox_mark_all_read, name="inbox-read-all"),
        path("inbox/<int:pk>/", views.notification_detail, name="notification"),
        path("password/", views.PasswordChangeView.as_view(), name="password-change"),
        path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
        path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
        path(
            "password/reset/<uidb64>/<token>/",
            views.PasswordResetConfirmView.as_view(),
            name="password-reset-confirm",
        ),
        path("password/reset/done/", views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    ],
    "accounts",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("contact/", views.contact, name="contact"),
    path("privacy/", views.privacy, name="privacy"),
    path("deadlines/", views.deadline_calculator, name="deadline-calculator"),
    path("track/", views.track, name="track"),
    path("satisfaction/", views.satisfaction, name="satisfaction"),
    path("documents/verify/", document_views.verify, name="document-verify"),
    path("documents/seal-key.pem", document_views.seal_key, name="document-seal-key"),
    path("documents/<int:pk>/copy.pdf", document_views.electronic_copy, name="document-copy"),
    path("documents/<str:code>/", document_views.check, name="document-check"),
    path("healthz", views.healthz, name="healthz"),
    path("csp-report", csp_views.report, name="csp-report"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"}),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("language/", views.set_language, name="set-language"),
    path("care-mode/", views.care_mode, name="care-mode"),
    path("accounts/", include(accounts)),
    path("disclosure/", include("disclosure.urls")),
    path("consultation/", include("consultation.urls")),
    path("hearings/", include("hearings.urls")),
    path("opinions/", include("opinions.urls")),
    path("ngo/", include("ngo.urls")),
    path("licensing/", include("licensing.urls")),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", views.public_media)]
