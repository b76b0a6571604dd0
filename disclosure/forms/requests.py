"""Forms of disclosure requests: the citizen's request (Art. 29) and correction, and the office's decisions."""

import re

from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import Case
from civiccenter.forms import CrispyFormMixin
from civiccenter.lib import clock, formfields, uscc, workdays
from civiccenter.lib.formfields import IdentifierField, PhoneField
from civiccenter.lib.uploads import JPEG, PDF, PNG, UploadValidator
from civiccenter.lib.validators import validate_phone, validate_resident_id
from civiccenter.models import CalendarDay, Department
from disclosure import fees
from disclosure.models.requests import NEEDS_REASONS, Consultation, DisclosureRequest, ReplyFile, ReplyType

Request = DisclosureRequest
IdType = Request.IdType

# Identity documents other than the resident ID card and the credit code, checked by their pattern.
ID_PATTERNS = {
    # Chinese passports are E12345678 / EA1234567; foreign ones 6-12 letters and digits.
    IdType.PASSPORT: (r"^(?=.*\d)[A-Z0-9]{6,12}$", _("A passport number is 6 to 12 letters and digits.")),
    IdType.HK_MACAO: (
        r"^[HM]\d{8}(\d{2})?$",
        _("A Hong Kong or Macao permit number is H or M followed by 8 or 10 digits."),
    ),
    IdType.TAIWAN: (r"^\d{8}(\d{2})?$", _("A Taiwan residents' permit number is 8 or 10 digits.")),
    IdType.FOREIGN_PERMANENT: (
        r"^([A-Z]{3}\d{12}|9\d{16}[\dX])$",
        _("A foreign permanent resident ID number is 3 letters and 12 digits, or 18 characters starting with 9."),
    ),
}

# Art. 29(3): the form wanted decides how it can be received.
DELIVERIES = {
    Request.Form.PAPER: {Request.Delivery.COLLECT, Request.Delivery.POST},
    Request.Form.EMAIL: {Request.Delivery.EMAIL},
    Request.Form.DOWNLOAD: {Request.Delivery.ONLINE},
}


def check_identity(form, data):
    """Art. 29(1): the identity document fits the applicant and its number is valid."""
    kind, id_type, number = data.get("applicant_kind"), data.get("id_type"), data.get("id_number")
    if kind and id_type:
        if kind != Request.ApplicantKind.INDIVIDUAL and id_type != IdType.CREDIT_CODE:
            form.add_error("id_type", _("Organizations identify themselves by their unified social credit code."))
            return
        if kind == Request.ApplicantKind.INDIVIDUAL and id_type == IdType.CREDIT_CODE:
            form.add_error("id_type", _("Individuals give an identity document, not a credit code."))
            return
    if not id_type or not number:
        return
    if id_type == IdType.RESIDENT_ID:
        try:
            validate_resident_id(number)
        except ValidationError as error:
            form.add_error("id_number", error)
    elif id_type == IdType.CREDIT_CODE:
        # GB 32100: the shape is required; a failing check character is asked to be confirmed (form.clean).
        try:
            uscc.validate(number)
        except ValidationError as error:
            form.add_error("id_number", error)
    elif not re.match(ID_PATTERNS[id_type][0], number):
        form.add_error("id_number", ID_PATTERNS[id_type][1])


def check_delivery(form, data, *, has_account, current=None):
    """Art. 29(3): the form wanted, the way to receive it and the contact details agree."""

    def value(name):
        return data.get(name) if name in form.fields else getattr(current, name, "")

    wanted, delivery = value("form_wanted"), value("delivery")
    if wanted and delivery and delivery not in DELIVERIES[wanted]:
        form.add_error(
            "delivery",
            _("“%(form)s” is received: %(ways)s.")
            % {
                "form": Request.Form(wanted).label,
                "ways": " / ".join(str(Request.Delivery(d).label) for d in sorted(DELIVERIES[wanted])),
            },
        )
        return
    if delivery == Request.Delivery.EMAIL and not value("contact_email") and "contact_email" not in form.errors:
        form.add_error("contact_email", _("Give the e-mail address to send the information to."))
    if delivery == Request.Delivery.POST:
        if not value("postal_address") and "postal_address" not in form.errors:
            form.add_error("postal_address", _("Give the address to post the information to."))
        if not value("postcode") and "postcode" not in form.errors:
            form.add_error("postcode", _("Give the postcode of the address."))
    if delivery == Request.Delivery.ONLINE and not has_account:
        form.add_error("delivery", _("Online download needs an account on the portal."))


class _RequestFields(uscc.CheckCharacterConfirmation, forms.ModelForm):
    """What every request states (Art. 29), with nothing pre-selected."""

    department = forms.ModelChoiceField(
        label=_("Department asked"),
        queryset=Department.objects.all(),
        empty_label=_("Choose the department"),
        help_text=_("The department that holds the information."),
    )
    id_number = IdentifierField(label=_("Identity document number"), max_length=40)
    contact_phone = PhoneField(label=_("Contact phone"), max_length=40, validators=[validate_phone])
    postcode = forms.RegexField(
        label=_("Postcode"),
        regex=r"^\d{6}$",
        required=False,
        error_messages={"invalid": _("A postcode is 6 digits.")},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )

    RADIOS = ("applicant_kind", "form_wanted", "delivery")

    class Meta:
        model = DisclosureRequest
        fields = [
            "applicant_kind",
            "applicant_name",
            "id_type",
            "id_number",
            "contact_phone",
            "contact_email",
            "postal_address",
            "postcode",
            "info_title",
            "info_document_number",
            "description",
            "form_wanted",
            "delivery",
        ]
        widgets = {
            "applicant_kind": forms.RadioSelect,
            "form_wanted": forms.RadioSelect,
            "delivery": forms.RadioSelect,
            "applicant_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "postal_address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "applicant_name": _("The person's full name, or the organization's full name."),
            "postal_address": _("Needed when the information is sent by post."),
            "info_title": _("If you know it."),
            "info_document_number": _("If you know it, e.g. 示范府办发〔2025〕12号."),
            "description": _("Describe the information as precisely as you can: subject, period, place."),
        }

    has_account = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.RADIOS:
            # The model's blank choice ("---------") would be a radio button of its own.
            self.fields[name].choices = list(self.fields[name].choices)[1:]
            self.fields[name].initial = None
        self.fields["id_type"].choices = [("", _("Choose the document"))] + list(IdType.choices)
        self.fields["contact_phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        self.add_uscc_confirmation()

    uscc_field = "id_number"

    def uscc_applies(self, data):
        return data.get("id_type") == IdType.CREDIT_CODE

    def clean(self):
        data = super().clean()
        check_identity(self, data)
        self.check_uscc_confirmation(data)
        check_delivery(self, data, has_account=self.has_account)
        return data

    @property
    def request_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RequestForm(CrispyFormMixin, _RequestFields):
    """The citizen's request online (Art. 29)."""

    submit_label = _("Send the request")

    field_order = ["department", *_RequestFields.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Who is asking"),
                "applicant_kind",
                "applicant_name",
                "id_type",
                "id_number",
                *([self.uscc_confirm_field] if self.uscc_warning else []),
                "contact_phone",
                "contact_email",
            ),
            Fieldset(_("What information"), "department", "info_title", "info_document_number", "description"),
            Fieldset(_("How you want it"), "form_wanted", "delivery", "postal_address", "postcode"),
        )
        # A form_tag-less crispy form renders its inputs only with the layout; the template has the button.
        self.helper.inputs = []


class RegisterForm(_RequestFields):
    """A clerk registers a request made at the window, by phone or by post (Art. 29, 31)."""

    has_account = False
    channel = forms.ChoiceField(
        label=_("Made"),
        choices=[(c, label) for c, label in Case.Channel.choices if c != Case.Channel.WEB],
    )
    oral = forms.BooleanField(
        label=_("Oral request written down by the clerk (Article 29)"),
        required=False,
        help_text=_("Read the request back to the applicant, who confirms it."),
    )
    receipt_basis = forms.ChoiceField(
        label=_("How the day of receipt is fixed (Article 31)"),
        choices=[(b, label) for b, label in Request.ReceiptBasis.choices if b != Request.ReceiptBasis.ONLINE_CONFIRMED],
    )
    received_on = formfields.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))

    field_order = ["department", "channel", "oral", "receipt_basis", "received_on", *_RequestFields.Meta.fields]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.visible_to(user)
        self.fields["received_on"].initial = clock.today()
        self.fields["delivery"].choices = [
            (d, label) for d, label in self.fields["delivery"].choices if d != Request.Delivery.ONLINE
        ]

    def clean(self):
        data = super().clean()
        channel, basis = data.get("channel"), data.get("receipt_basis")
        if channel and basis:
            post = basis in (Request.ReceiptBasis.POST_SIGNED, Request.ReceiptBasis.POST_CONFIRMED)
            if (channel == Case.Channel.POST) != post:
                self.add_error("receipt_basis", _("This is not how the day of receipt is fixed for this channel."))
        if data.get("oral") and channel == Case.Channel.POST:
            self.add_error("oral", _("A request by post is written."))
        received = data.get("received_on")
        if received and received > clock.today():
            self.add_error("received_on", _("The day of receipt cannot be in the future."))
        return data


class CorrectionForm(CrispyFormMixin, forms.ModelForm):
    """The applicant's correction (Art. 30): the request itself and how to receive the answer."""

    submit_label = _("Send the correction")
    postcode = _RequestFields.base_fields["postcode"]

    class Meta:
        model = DisclosureRequest
        fields = list(DisclosureRequest.CORRECTABLE)
        widgets = _RequestFields.Meta.widgets
        help_texts = _RequestFields.Meta.help_texts

    def __init__(self, *args, has_account=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_account = has_account
        self.helper.form_tag = False  # the page's own form posts to the correction URL
        for name in ("form_wanted", "delivery"):
            self.fields[name].choices = list(self.fields[name].choices)[1:]

    def clean(self):
        data = super().clean()
        check_delivery(self, data, has_account=self.has_account)
        return data

    def changed(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


# The office's decisions ------------------------------------------------------------------


class CorrectionRequestForm(forms.Form):
    items = forms.CharField(
        label=_("What to correct"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("One item per line, everything at once: the notice is sent only once (Article 30)."),
    )
    deadline = formfields.DateField(
        label=_("Correct by"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("A reasonable deadline; without a correction by then, the request is closed as abandoned."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = clock.today()
        self.fields["deadline"].initial = workdays.compute(CalendarDay.objects.work_calendar(), today, 10).due


class ConsultForm(forms.Form):
    kind = forms.ChoiceField(label=_("Consult"), choices=Consultation.Kind.choices)
    party = forms.CharField(label=_("Name of the party consulted"), max_length=200)


class AnswerForm(forms.Form):
    consultation = forms.ModelChoiceField(
        label=_("Consultation of a third party or organ"), queryset=Consultation.objects.none()
    )
    answered_on = formfields.DateField(label=_("Answered on"), widget=forms.DateInput(attrs={"type": "date"}))
    objects_to_disclosure = forms.TypedChoiceField(
        label=_("The party"),
        choices=[("no", _("does not object to disclosure")), ("yes", _("objects to disclosure"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultation"].queryset = request.consultations.filter(answered_on__isnull=True)


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=DisclosureRequest.MAX_EXTENSION_DAYS)
    reason = forms.CharField(
        label=_("Reason for the extension"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("The applicant is told it (Article 33)."),
    )


class ReplyForm(forms.Form):
    reply_type = forms.ChoiceField(
        label=_("Reply (exactly one)"), choices=[("", _("Choose the reply"))] + list(ReplyType.choices)
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text=_("Required for anything not provided, and for a disclosure over a third party's objection."),
    )
    published_where = forms.CharField(
        label=_("Where it is published"),
        required=False,
        max_length=300,
        help_text=_("For information already published: where to find it."),
    )
    competent_organ = forms.CharField(
        label=_("Competent organ"),
        required=False,
        max_length=200,
        help_text=_("For information this organ does not hold: the organ that does, if known."),
    )
    text = forms.CharField(
        label=_("Further text of the letter"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    fee_schedule = forms.ChoiceField(
        label=_("Fee (Article 42)"),
        choices=[("", _("Free")), (fees.ITEMS, _("Per item")), (fees.PAGES, _("Per page"))],
        required=False,
        widget=forms.RadioSelect,
    )
    fee_units = forms.IntegerField(label=_("Items or pages"), min_value=0, max_value=100000, required=False)

    def clean(self):
        data = super().clean()
        kind = data.get("reply_type")
        if kind in NEEDS_REASONS and not (data.get("reasons") or "").strip():
            self.add_error("reasons", _("State the reasons for what is not provided (Articles 36-39)."))
        if kind == ReplyType.ALREADY_PUBLISHED and not (data.get("published_where") or "").strip():
            self.add_error("published_where", _("Say where the information is published."))
        if data.get("fee_schedule") and not data.get("fee_units"):
            self.add_error("fee_units", _("Give the number of items or pages."))
        if not data.get("fee_schedule") and data.get("fee_units"):
            self.add_error("fee_schedule", _("Choose the schedule the items or pages are charged by."))
        data["fee_units"] = data.get("fee_units") or 0
        return data


class FeeNoticeForm(forms.Form):
    """Art. 42: the fee of the notice, by one schedule; the payment deadline follows from DISCLOSURE_FEE_PAYMENT_DAYS."""

    fee_schedule = forms.ChoiceField(
        label=_("Fee (Article 42)"),
        choices=[(fees.ITEMS, _("Per item")), (fees.PAGES, _("Per page"))],
        widget=forms.RadioSelect,
    )
    fee_units = forms.IntegerField(label=_("Items or pages"), min_value=1, max_value=100000)


class PaymentForm(forms.Form):
    """Art. 42: the day the fee was received, which may be before the day it is recorded."""

    paid_on = formfields.DateField(
        label=_("Payment received on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: today. The time limit runs again from the day after."),
    )


class ReplyFileForm(forms.ModelForm):
    file = forms.FileField(
        label=_("File"),
        validators=[UploadValidator(kinds=(PDF, PNG, JPEG))],
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )

    class Meta:
        model = ReplyFile
        fields = ["title", "file", "pages"]
