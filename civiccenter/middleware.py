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
    """A NUL character in the path, the query or a form field is refused with a 400, before any view runs.

    PostgreSQL cannot store NUL in text, so such input would otherwise reach the database and fail there with
    a server error (and a message to the operators). No legitimate form or address contains one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        unreadable = (
            "\x00" in request.path
            or _has_nul(request.GET.keys())
            or _has_nul(value for values in request.GET.lists() for value in values[1])
        )
        if not unreadable and request.method == "POST":
            try:
                unreadable = _has_nul(request.POST.keys()) or _has_nul(
                    value for values in request.POST.lists() for value in values[1]
                )
            except Exception:  # noqa: BLE001 - a body Django cannot parse is no less unreadable
                unreadable = True
        if unreadable:
            from django.shortcuts import render

            return render(request, "400.html", status=400)
        return self.get_response(request)
