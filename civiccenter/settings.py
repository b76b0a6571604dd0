"""Settings for the Civic Center Portal, all read from the environment.

Every variable is documented in .env.example. A `.env` file beside manage.py is
read too; variables already in the environment win over it.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from civiccenter.lib.env import (
    DEVELOPMENT_SECRET_KEY,
    env,
    env_bool,
    env_int,
    env_list,
    load_dotenv,
    parse_database_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env")

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    SECRET_KEY = DEVELOPMENT_SECRET_KEY

# Keys for personal data encrypted at rest (civiccenter/lib/crypto.py): required in production.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
if not FIELD_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set when DEBUG is off (see .env.example).")
    from civiccenter.lib.crypto import development_key

    FIELD_ENCRYPTION_KEYS = [development_key(SECRET_KEY)]

# The organ's electronic seal (civiccenter/lib/seal.py): an Ed25519 private key in PEM. Unset: derived from
# SECRET_KEY, so a development portal signs with a stable key of its own.
DOCUMENT_SEAL_KEY = env("DOCUMENT_SEAL_KEY").replace("\\n", "\n")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "civiccenter.apps.CivicCenterConfig",
    "civiccenter.apps.CivicAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "licensing",
    "disclosure",
    "consultation",
    "hearings",
    "opinions",
    "ngo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "civiccenter.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "civiccenter.middleware.LanguageMiddleware",
    "civiccenter.middleware.RejectUnreadableInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "civiccenter.middleware.StaffIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a locked-out sign-in into django-axes' lockout answer (civiccenter.throttle.locked_out).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "civiccenter.urls"
WSGI_APPLICATION = "civiccenter.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civiccenter.context_processors.center",
            ],
        },
    },
]

# Database: DATABASE_URL, or the embedded PostgreSQL under var/ (see README).
DATABASE_URL = env("DATABASE_URL")
if not DATABASE_URL:
    from civiccenter.lib.embedded_pg import database_url

    DATABASE_URL = database_url(BASE_DIR / "var" / "pgdata")
DATABASES = {"default": parse_database_url(DATABASE_URL)}
# Persistent connections double the throughput of any page that touches the
# database (platform-notes.md); health checks drop a connection that died with
# the server, so the portal recovers by itself when PostgreSQL comes back.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = env("CACHE_URL", "locmem://")


def cache_from_url(url):
    if url.startswith("redis://") or url.startswith("rediss://"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url.startswith("file://"):
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": url[7:]}
    if url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": url[9:]}
    raise ImproperlyConfigured("CACHE_URL and THROTTLE_CACHE_URL must start with locmem://, file:// or redis://")


# Throttling (civiccenter/throttle.py): the form counters live in the "throttle" cache, which every app
# server must share (Redis: THROTTLE_CACHE_URL, by default CACHE_URL; `check --deploy` warns otherwise).
# Sign-in failures are counted by django-axes in the database, per account and per address.
THROTTLE_CACHE_URL = env("THROTTLE_CACHE_URL", CACHE_URL if CACHE_URL != "locmem://" else "locmem://throttle")
CACHES = {"default": cache_from_url(CACHE_URL), "throttle": cache_from_url(THROTTLE_CACHE_URL)}
# How many reverse proxies that append to X-Forwarded-For stand in front of the app server (0: none, the
# header is ignored). The visitor's address is the one the outermost trusted proxy saw.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
RATELIMIT_USE_CACHE = "throttle"
RATELIMIT_IP_META_KEY = "civiccenter.lib.clientip.client_ip"
# django-ratelimit refuses a cache it cannot prove shared; ours says so in `check --deploy` (civiccenter.W003).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
THROTTLE_RATES = {
    # A wrong tracking number or query code, a wrong document code: failures only.
    "track": env("THROTTLE_TRACK", "10/15m"),
    "document-check": env("THROTTLE_DOCUMENT_CHECK", "10/15m"),
    # Accounts: sign-up, password reset and confirmation links sent (each sends an e-mail).
    "account-mail": env("THROTTLE_ACCOUNT_MAIL", "5/h"),
    # Any form that opens a case, a booking, a registration, a post or a vote.
    "submit": env("THROTTLE_SUBMIT", "30/h"),
}
SIGN_IN_FAILURES_ALLOWED = env_int("SIGN_IN_FAILURES_ALLOWED", 5)
SIGN_IN_LOCKOUT_MINUTES = env_int("SIGN_IN_LOCKOUT_MINUTES", 15)
AXES_FAILURE_LIMIT = SIGN_IN_FAILURES_ALLOWED
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = "civiccenter.throttle.sign_in_cool_off"
# Not reset by a successful sign-in: django-axes would clear the address's failures too, so a guesser who
# signs in to an account of their own between guesses would never reach the limit. Failures expire instead.
AXES_RESET_ON_SUCCESS = False
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "civiccenter.throttle.sign_in_username"
AXES_CLIENT_IP_CALLABLE = "civiccenter.lib.clientip.client_ip"
AXES_LOCKOUT_CALLABLE = "civiccenter.throttle.locked_out"
AXES_VERBOSE = False
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

AUTH_USER_MODEL = "civiccenter.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "home"
# Links in confirmation and password-reset e-mails stay valid for three days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# Language: Chinese by default; English complete. The visitor's choice is a
# cookie (see civiccenter.middleware), never the browser's Accept-Language.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Public uploads (venue photos, logos, attachments to published documents).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Serve MEDIA_URL from Django itself: for development and `make serve`; in
# production the reverse proxy serves MEDIA_ROOT (never PRIVATE_MEDIA_ROOT).
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
# Private uploads (application materials, petitions, verification documents)
# live outside MEDIA_ROOT and are only ever served by views that check access.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
# Hashed, compressed names with far-future cache headers; off in development so
# that a template can use a new static file without a collectstatic.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# E-mail: the console in development, SMTP otherwise.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "portal@civiccenter.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Admin", address) for address in env_list("ADMINS")]
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))  # for the file backend (fault tests)
# Seconds a notification worker holds an e-mail it is sending; then another worker may take it over.
NOTIFICATION_LEASE_SECONDS = env_int("NOTIFICATION_LEASE_SECONDS", 600)
# /healthz answers 503 once an e-mail has been due this many seconds without being sent (0: never).
HEALTHZ_MAX_NOTICE_AGE = env_int("HEALTHZ_MAX_NOTICE_AGE", 900)

# HTTPS: on by default in production. Behind a reverse proxy that terminates
# TLS, set SECURE_PROXY_SSL_HEADER=1 so Django trusts X-Forwarded-Proto.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
# Staff: a second factor (civiccenter/two_factor.py), required whenever DEBUG is off; and a staff session
# ends after this many minutes without a request (civiccenter.middleware.StaffIdleTimeoutMiddleware).
STAFF_TWO_FACTOR = env_bool("STAFF_TWO_FACTOR", not DEBUG)
STAFF_IDLE_MINUTES = env_int("STAFF_IDLE_MINUTES", 30)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Civic Center Portal")
# No one, administrators included, reads another person's TOTP key or QR code in the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Content-Security-Policy (django-csp): scripts, styles, fonts and frames only from the portal itself, no inline
# script or style of any kind (templates use classes of static/css/, never a style= attribute; a test holds it).
# Images may also be data: URIs, which Bootstrap's CSS uses for its select arrows, check marks and close buttons.
# Browsers post what they refuse to /csp-report, logged as a warning by `civiccenter.csp`. The browser tests fail
# on any violation. Debug pages of 404 and 500 (DEBUG on) are exempt, django-csp's own rule.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "report-uri": ["/csp-report"],
    },
}
# Permissions-Policy (civiccenter.middleware): no page of the portal uses the camera, the microphone, the
# location or any other powerful feature, so none may, not even a script that got in.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The center itself: shown in the header and footer of every page.
CENTER = {
    "zh-hans": {
        "name": env("CENTER_NAME", "示范区市民服务中心"),
        "address": env("CENTER_ADDRESS", "示范区人民大道 100 号市民服务中心一楼"),
        "hours": env("CENTER_HOURS", "周一至周五 9:00–12:00、13:30–17:30（法定节假日除外）"),
    },
    "en": {
        "name": env("CENTER_NAME_EN", "Model District Citizen Service Center"),
        "address": env("CENTER_ADDRESS_EN", "Ground floor, Citizen Service Center, 100 Renmin Avenue, Model District"),
        "hours": env("CENTER_HOURS_EN", "Monday to Friday 9:00–12:00 and 13:30–17:30 (closed on public holidays)"),
    },
}
CENTER_HOTLINE = env("CENTER_HOTLINE", "12345")
# 好差评: a rating of 1 or 2 is followed up: contact within, then rectify within (working days).
RATING_CONTACT_WORKING_DAYS = env_int("RATING_CONTACT_WORKING_DAYS", 1)
RATING_RECTIFY_WORKING_DAYS = env_int("RATING_RECTIFY_WORKING_DAYS", 15)
# Art. 50: renewal is requested at least 30 days before expiry; remind holders this many days before.
LICENCE_RENEWAL_REMINDER_DAYS = env_int("LICENCE_RENEWAL_REMINDER_DAYS", 60)
# Art. 49-50: days before an annual disclosure report's deadline (31 Jan / 31 Mar) that its authors are reminded.
DISCLOSURE_REPORT_REMINDER_DAYS = env_int("DISCLOSURE_REPORT_REMINDER_DAYS", 10)
# Online disclosure requests (OGI Art. 31): working days from submission within which the office confirms
# receipt. The regulation fixes none (prc-rules.md §1): the office's own limit, kept configurable.
DISCLOSURE_CONFIRMATION_WORKING_DAYS = env_int("DISCLOSURE_CONFIRMATION_WORKING_DAYS", 2)
# OGI Art. 42 fee notices: working days the applicant has to pay (not fixed by the regulation, unverified).
DISCLOSURE_FEE_PAYMENT_DAYS = env_int("DISCLOSURE_FEE_PAYMENT_DAYS", 20)
# Deadline reminders to departments: working days before a due date, per rule. A disclosure request's clocks
# (OGI) are reminded 5 working days before; a rule that names no lead time, DEADLINE_REMINDER_WORKING_DAYS.
DISCLOSURE_REMINDER_WORKING_DAYS = env_int("DISCLOSURE_REMINDER_WORKING_DAYS", 5)
DEADLINE_REMINDER_WORKING_DAYS = env_int("DEADLINE_REMINDER_WORKING_DAYS", 3)
# Index numbers (索引号) of published documents; no national format (prc-rules.md §1): organ code / year - sequence.
DISCLOSURE_INDEX_FORMAT = env("DISCLOSURE_INDEX_FORMAT", "{organ}/{year}-{seq:05d}")
# Online consultation: a topic's default reply limit (working days), and how long after an answer
# (calendar days) the asker may ask their one follow-up.
CONSULTATION_REPLY_WORKING_DAYS = env_int("CONSULTATION_REPLY_WORKING_DAYS", 5)
CONSULTATION_FOLLOW_UP_DAYS = env_int("CONSULTATION_FOLLOW_UP_DAYS", 30)
# Hearings: minimum days between announcement and hearing per kind (price hearings: 30, NDRC Order 21;
# licensing: 7, Administrative Licensing Law Art. 48); days before the hearing the materials reach
# participants (15 for price hearings, 7 otherwise); consumers' minimum share of a price hearing's
# participants; the area-code prefixes of the district's resident ID numbers (for "residents only").
HEARING_NOTICE_DAYS = {
    "price": env_int("HEARING_NOTICE_DAYS_PRICE", 30),
    "major_decision": env_int("HEARING_NOTICE_DAYS_MAJOR_DECISION", 10),
    "legislative": env_int("HEARING_NOTICE_DAYS_LEGISLATIVE", 30),
    "licensing": env_int("HEARING_NOTICE_DAYS_LICENSING", 7),
}
HEARING_MATERIALS_DAYS_PRICE = env_int("HEARING_MATERIALS_DAYS_PRICE", 15)
HEARING_MATERIALS_DAYS = env_int("HEARING_MATERIALS_DAYS", 7)
HEARING_CONSUMER_RATIO = env("HEARING_CONSUMER_RATIO", "0.4")
HEARING_DISTRICT_ID_PREFIXES = env_list("HEARING_DISTRICT_ID_PREFIXES", "330106")
# Price hearings (NDRC Order 21, prc-rules.md §5, partly unverified, so configurable): the participant and hearer
# lists are published at least HEARING_PRICE_LISTS_DAYS before the hearing; 3 to 5 hearers (听证人); the hearing
# opens only with at least HEARING_QUORUM_RATIO of the participants present (2/3, a fraction or a decimal).
HEARING_PRICE_LISTS_DAYS = env_int("HEARING_PRICE_LISTS_DAYS", 15)
HEARING_PRICE_HEARERS_MIN = env_int("HEARING_PRICE_HEARERS_MIN", 3)
HEARING_PRICE_HEARERS_MAX = env_int("HEARING_PRICE_HEARERS_MAX", 5)
HEARING_QUORUM_RATIO = env("HEARING_QUORUM_RATIO", "2/3")
# The portal's public address, for links in e-mails sent by the worker (which has no request).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CENTER_EMAIL = env("CENTER_EMAIL", "service@civiccenter.example")
# How many opinion cases `seed_demo` replays over the last twelve months (the tests load fewer).
DEMO_OPINION_CASES = env_int("DEMO_OPINION_CASES", 3000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"pgserver": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
