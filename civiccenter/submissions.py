"""One submission per form: a double click, a retry or the back button never opens a second case.

Every form that opens a case, a booking or a registration carries a one-time token (the template tag
`{% submission_token %}` beside `{% csrf_token %}`, or `add_token_to(form.helper)`), and its view is decorated with `@once`. The first POST
with a token claims it in the database (a unique key, inserted in the view's transaction); the view ends in
`receipt(request, url)`, which records where its receipt is. Any later POST with the same token, even one
sent at the same instant, waits for the first to commit and is sent to that receipt, with a note that
nothing was submitted twice. A POST whose form had errors releases its token, so the corrected form can be
sent again. A POST without a token (an old page) is handled as before.
"""

import functools
import uuid

from django.conf import settings
from django.contrib import messages
from django.db import connection, models, transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civiccenter.lib import clock

TOKEN_FIELD = "submission_token"
KEPT_DAYS = 7  # a page kept open for longer gets a fresh token when it is reloaded


class Submission(models.Model):
    key = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    receipt_url = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = gettext_lazy("form submission")
        verbose_name_plural = gettext_lazy("form submissions")
        indexes = [models.Index(fields=["created_at"], name="submission_created")]

    def __str__(self):
        return str(self.key)


def new_token() -> str:
    return str(uuid.uuid4())


def add_token_to(helper):
    """For a form that crispy-forms renders with its own <form> tag: the token as a hidden input."""
    from crispy_forms.layout import Hidden

    helper.add_input(Hidden(TOKEN_FIELD, new_token()))


def _claim(key, user_id) -> bool:
    """Insert the token; False when it exists (after waiting for a transaction that is inserting it)."""
    table = Submission._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, user_id, created_at, receipt_url) VALUES (%s, %s, %s, '') "  # noqa: S608
            "ON CONFLICT (key) DO NOTHING RETURNING key",
            [key, user_id, clock.now()],
        )
        return cursor.fetchone() is not None


def once(view):
    """Decorator for a view whose POST opens something: the same token twice gives the first receipt."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        try:
            key = uuid.UUID(request.POST.get(TOKEN_FIELD, ""))
        except ValueError:
            return view(request, *args, **kwargs)
        user_id = request.user.pk if request.user.is_authenticated else None
        with transaction.atomic():
            if not _claim(key, user_id):
                first = Submission.objects.filter(key=key, user_id=user_id).exclude(receipt_url="").first()
                if first is None:  # someone else's token, or a first try still without a receipt
                    return view(request, *args, **kwargs)
                messages.info(
                    request,
                    _("This form had already been sent: here is what the first sending made. Nothing was sent twice."),
                )
                return redirect(first.receipt_url)
            request.submission_key = key
            response = view(request, *args, **kwargs)
            if not getattr(request, "submission_receipt", None):
                # No receipt (the form had errors, or the view refused): the token can be sent again.
                Submission.objects.filter(key=key).delete()
            return response

    wrapper.one_submission = True  # kept by the decorators outside (functools.wraps copies __dict__)
    return wrapper


def receipt(request, to, *args, **kwargs):
    """The end of a successful submission: redirect to its receipt and remember it for any repeat."""
    response = redirect(to, *args, **kwargs)
    key = getattr(request, "submission_key", None)
    if key is not None:
        Submission.objects.filter(key=key).update(receipt_url=response["Location"][:500])
        request.submission_receipt = response["Location"]
    return response


def sweep_old_submissions(day) -> int:
    """Forget tokens older than a week: their pages are long closed."""
    from datetime import timedelta

    return Submission.objects.filter(created_at__lt=clock.now() - timedelta(days=KEPT_DAYS)).delete()[0]
