from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import forms as auth_forms
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from civiccenter.lib import formfields
from civiccenter.lib.validators import normalize_phone
from civiccenter.models import User


class CrispyFormMixin:
    """Every portal form renders with `{% crispy form %}` and one submit button."""

    submit_label = _("Submit")
    # A form that opens something carries a one-time token (civiccenter/submissions.py).
    one_submission = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.add_input(Submit("submit", self.submit_label))
        if self.one_submission:
            from civiccenter.submissions import add_token_to

            add_token_to(self.helper)

    @property
    def has_field_errors(self):
        """For the summary above a long form; a wrong password alone is no field's fault."""
        return any(field != "__all__" for field in self.errors)


# WCAG 2.1 SC 1.3.5 (Identify Input Purpose): browsers and assistive tools can
# fill in and label these fields.
PERSON_WIDGETS = {
    "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
    "email": forms.EmailInput(attrs={"autocomplete": "email"}),
    "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
}


class SignUpForm(CrispyFormMixin, auth_forms.BaseUserCreationForm):
    """Whether the address already has an account is never said here (see `views.signup`): the form checks
    what was typed, and the answer is the same "check your e-mail" either way."""

    submit_label = _("Create account")

    account_type = forms.ChoiceField(
        label=_("I am signing up as"),
        choices=User.AccountType.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Choose “Organization representative” if you act for an NGO, a community organization or a "
            "company: you can register the organization itself once your account is confirmed."
        ),
    )
    privacy_consent = forms.BooleanField(
        label=_('I have read and accept the <a href="%(url)s">privacy notice</a>'),
        required=True,
        error_messages={"required": _("Please read and accept the privacy notice to create an account.")},
    )

    class Meta:
        model = User
        fields = ("account_type", "full_name", "email", "phone")
        widgets = PERSON_WIDGETS
        help_texts = {
            "full_name": _("As on your identity document."),
            "phone": _("A mobile number (11 digits) or a landline with its area code."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].required = True
        # The form starts with the account type; focus stays at the top of the page.
        self.fields["email"].widget.attrs.pop("autofocus", None)
        # Our own constant text with a link; nothing the visitor typed.
        self.fields["privacy_consent"].label = mark_safe(  # noqa: S308
            self.fields["privacy_consent"].label % {"url": reverse("privacy")}
        )

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def _get_validation_exclusions(self):
        # The address's uniqueness (a field and a constraint) is the view's business, and the database's:
        # the form must not tell.
        return super()._get_validation_exclusions() | {"email"}


class LoginForm(CrispyFormMixin, auth_forms.AuthenticationForm):
    submit_label = _("Sign in")

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _("The e-mail address or the password is not right. Passwords are case-sensitive."),
        "unconfirmed": _(
            "Please confirm your e-mail address first: follow the link we sent you, or ask for a new one."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("E-mail address")
        self.fields["username"].widget = forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.email_confirmed and not user.is_staff:
            raise forms.ValidationError(self.error_messages["unconfirmed"], code="unconfirmed")


class ProfileForm(CrispyFormMixin, forms.ModelForm):
    submit_label = _("Save changes")

    class Meta:
        model = User
        fields = ("full_name", "phone", "language")
        widgets = PERSON_WIDGETS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].required = True

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])


class ResendConfirmationForm(CrispyFormMixin, forms.Form):
    submit_label = _("Send the link again")

    email = forms.EmailField(label=_("E-mail address"), max_length=254)


class PasswordResetForm(CrispyFormMixin, auth_forms.PasswordResetForm):
    submit_label = _("Send the reset link")

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        # Through the outbox like every message: an SMTP outage delays it, never breaks the page.
        from civiccenter.models import Notification

        Notification.queue(
            recipient=context["user"],
            template="accounts/email/password_reset",
            context=context,
            in_inbox=False,
            sensitive=True,
        )


class SetPasswordForm(CrispyFormMixin, auth_forms.SetPasswordForm):
    submit_label = _("Set the new password")


class PasswordChangeForm(CrispyFormMixin, auth_forms.PasswordChangeForm):
    submit_label = _("Change password")


class DeadlineForm(CrispyFormMixin, forms.Form):
    """The public deadline calculator: the same engine as every case's clock."""

    submit_label = _("Calculate")

    start = formfields.DateField(
        label=_("Start date"),
        help_text=_("The day the period starts from, e.g. the day an application was received. It is not counted."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    days = forms.IntegerField(label=_("Number of days"), min_value=1, max_value=730)
    unit = forms.ChoiceField(
        label=_("Counted in"),
        choices=[("working", _("Working days")), ("calendar", _("Calendar days"))],
        initial="working",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"
        self.helper.disable_csrf = True

    def clean_start(self):
        start = self.cleaned_data["start"]
        if not date(2000, 1, 1) <= start <= date(2099, 12, 31):
            raise forms.ValidationError(_("Enter a date between 2000 and 2099."), code="out_of_range")
        return start


class LookupForm(CrispyFormMixin, forms.Form):
    """A public look-up by something printed on paper and its code, sent by GET (the result can be bookmarked)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"
        self.helper.disable_csrf = True

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


class TrackForm(LookupForm):
    """Look a case up by its number and query code, without an account."""

    submit_label = _("Look up")

    number = forms.CharField(
        label=_("Tracking number"), max_length=24, help_text=_("On your receipt, e.g. XK-2026-000123.")
    )
    code = forms.CharField(label=_("Query code"), max_length=8, help_text=_("The 8 characters printed beside it."))

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()


class RatingForm(CrispyFormMixin, forms.Form):
    """好差评: five levels, none pre-selected; a comment if you like."""

    submit_label = _("Send my rating")

    level = forms.TypedChoiceField(
        label=_("How satisfied are you with how this was handled?"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (5, _("Very satisfied")),
            (4, _("Satisfied")),
            (3, _("Fairly satisfied")),
            (2, _("Dissatisfied")),
            (1, _("Very dissatisfied")),
        ],
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class DocumentLookupForm(LookupForm):
    """Check a document by the number and verification code printed on it."""

    submit_label = _("Check")

    number = forms.CharField(
        label=_("Document number"), max_length=60, help_text=_("Printed under the title, e.g. 示范市监许〔2026〕12号.")
    )
    code = forms.CharField(label=_("Verification code"), max_length=8, help_text=_("The 8 characters beside the seal."))

    def clean_number(self):
        return "".join(self.cleaned_data["number"].split())


class DocumentCopyForm(CrispyFormMixin, forms.Form):
    """Check an electronic copy (PDF) byte for byte against what the organ sealed."""

    MAX_BYTES = 2 * 1024 * 1024
    submit_label = _("Check the file")

    copy = forms.FileField(
        label=_("Electronic copy (PDF)"), help_text=_("The PDF downloaded from the portal, as you received it.")
    )

    def clean_copy(self):
        upload = self.cleaned_data["copy"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("This file is larger than any document the portal issues (2 MB)."))
        data = upload.read()
        if not data.startswith(b"%PDF-"):
            raise forms.ValidationError(_("This is not a PDF file."))
        return data
