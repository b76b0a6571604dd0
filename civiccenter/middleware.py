from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    """Chinese unless the visitor chose otherwise with the language switch.

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is ignored:
    a district portal speaks Chinese first, and the choice of English is an
    explicit one, kept in the language cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in self.supported:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", code)
        return response


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values)


class RejectUnreadableInputMiddleware:
    """A NUL character in the path or the query string is refused with a 400, before any view runs.

    PostgreSQL cannot store or compare NUL in text, so such input would otherwise reach the database from a
    view reading the address (a search, an id) and fail there with a server error and a message to the
    operators. No legitimate address contains one. Form fields need no such guard: Django's form fields refuse
    NUL with a field error of their own.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = (value for key, values in request.GET.lists() for value in (key, *values))
        if "\x00" in request.path or _has_nul(query):
            from django.shortcuts import render

            return render(request, "400.html", status=400)
        return self.get_response(request)


def staff_seen_at_sign_in(sender, request, user, **kwargs):
    """The idle clock of a staff session starts at sign-in (connected in CivicCenterConfig.ready)."""
    import time

    if user.is_staff and request is not None and hasattr(request, "session"):
        request.session["staff_seen"] = int(time.time())


class StaffIdleTimeoutMiddleware:
    """A staff session ends after STAFF_IDLE_MINUTES without a request: an unattended office screen closes itself.

    The time of the last request is kept in the session (set at sign-in, then written at most once a minute).
    Citizens' sessions keep SESSION_COOKIE_AGE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            now = int(time.time())
            seen = request.session.get("staff_seen")
            if seen and now - seen > settings.STAFF_IDLE_MINUTES * 60:
                from django.contrib import messages
                from django.contrib.auth import logout
                from django.contrib.auth.views import redirect_to_login
                from django.utils.translation import gettext as _

                logout(request)
                messages.info(request, _("You were signed out after a while without activity. Please sign in again."))
                login_url = "/admin/login/" if request.path.startswith("/admin/") else None
                return redirect_to_login(request.get_full_path() if request.method == "GET" else "/admin/", login_url)
            if not seen or now - seen >= 60:
                request.session["staff_seen"] = now
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Every response says which browser features its page may use: none of the powerful ones (settings)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
