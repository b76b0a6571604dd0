"""Forms of the development part: an organization's activity and achievement, the activity list's filter."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiccenter.forms import CrispyFormMixin
from civiccenter.lib import clock, formfields
from civiccenter.lib.uploads import JPEG, PNG, UploadValidator
from ngo.models.development import Achievement, Activity, publishing_organizations
from ngo.models.organizations import Organization
from ngo.models.venues import Booking

MAX_PHOTOS = 6
PHOTO_MAX_BYTES = 8 * 1024 * 1024


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one file input; each is checked by its content (PNG or JPEG, at most 8 MB)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/png,image/jpeg"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_PHOTOS:
            raise ValidationError(
                _("At most %(count)d photos at a time.") % {"count": MAX_PHOTOS}, code="too_many_photos"
            )
        checked = [super(PhotosField, self).clean(file, initial) for file in files]
        validator = UploadValidator((PNG, JPEG), PHOTO_MAX_BYTES)
        for file in checked:
            validator(file)
        if self.required and not checked:
            raise ValidationError(self.error_messages["required"], code="required")
        return checked


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PublishingFormMixin(CrispyFormMixin):
    """The organization is one the user administers and that is verified (the verification gate)."""

    submit_label = _("Submit for moderation")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper.attrs = {"enctype": "multipart/form-data"}
        field = self.fields["organization"]
        field.queryset = publishing_organizations(user)
        field.empty_label = None
        if self.instance.pk:
            field.disabled = True


class ActivityForm(PublishingFormMixin, forms.ModelForm):
    photos = PhotosField(
        label=_("photos"),
        help_text=_("Up to six PNG or JPEG photos, 8 MB each. Location and camera details are removed."),
    )

    class Meta:
        model = Activity
        fields = [
            "organization",
            "title",
            "booking",
            "starts_at",
            "ends_at",
            "place",
            "description",
            "registration_open",
            "capacity",
        ]
        field_classes = {"starts_at": formfields.DateTimeField, "ends_at": formfields.DateTimeField}
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "place": _("Address or room, e.g. 城南街道社区服务中心二楼活动室."),
            "registration_open": _("Citizens can register on the portal until the activity starts."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An approved booking of one of the user's organizations, still to come.
        booking = self.fields["booking"]
        booking.queryset = (
            Booking.objects.filter(
                organization__in=self.fields["organization"].queryset.values("pk"),
                status=Booking.Status.APPROVED,
                starts_at__gt=clock.now(),
            )
            .select_related("venue", "organization")
            .order_by("starts_at")
        )
        booking.label_from_instance = lambda b: f"{b.organization} · {b.venue} · {b.when}"
        booking.empty_label = _("No booking: I give the time and place")
        for name in ("starts_at", "ends_at", "place"):
            self.fields[name].required = False
        self.fields["starts_at"].help_text = self.fields["ends_at"].help_text = _("Not needed with a booking.")

    def clean(self):
        cleaned = super().clean()
        booking = cleaned.get("booking")
        organization = cleaned.get("organization") or getattr(self.instance, "organization", None)
        if booking:
            if organization and booking.organization_id != organization.pk:
                self.add_error("booking", _("Choose one of the organization's own bookings."))
            else:
                self.instance.take_booking(booking)
                cleaned.update(starts_at=booking.starts_at, ends_at=booking.ends_at, place=self.instance.place)
        else:
            for name, message in (
                ("starts_at", _("Give the start, or choose one of your bookings.")),
                ("ends_at", _("Give the end, or choose one of your bookings.")),
                ("place", _("Give the place, or choose one of your bookings.")),
            ):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and starts_at <= clock.now() and ("starts_at" in self.changed_data or booking):
            self.add_error(None if booking else "starts_at", _("The activity must start in the future."))
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The activity must end after it starts."))
        if cleaned.get("capacity") and not cleaned.get("registration_open"):
            self.add_error("capacity", _("A capacity applies only when registration is open."))
        return cleaned


class AchievementForm(PublishingFormMixin, forms.ModelForm):
    photos = PhotosField(
        label=_("photos"),
        help_text=_("Up to six PNG or JPEG photos, 8 MB each. Location and camera details are removed."),
    )

    class Meta:
        model = Achievement
        fields = ["organization", "activity", "title", "story"]
        widgets = {"story": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = Activity.objects.filter(
            organization__in=self.fields["organization"].queryset.values("pk")
        ).order_by("-starts_at")
        self.fields["activity"].label_from_instance = lambda activity: (
            f"{activity.organization} · {timezone.localtime(activity.starts_at):%Y-%m-%d} · {activity.title}"
        )
        self.fields["photos"].required = not (self.instance.pk and self.instance.photos.exists())

    def clean(self):
        cleaned = super().clean()
        activity, organization = (
            cleaned.get("activity"),
            cleaned.get("organization") or getattr(self.instance, "organization", None),
        )
        if activity and organization and activity.organization_id != organization.pk:
            self.add_error("activity", _("Choose one of the organization's own activities."))
        return cleaned


class ActivityFilterForm(forms.Form):
    """The public list's filter; GET, so a filtered list can be bookmarked."""

    when = forms.ChoiceField(
        label=_("when"),
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    field = forms.ChoiceField(
        label=_("field of service"),
        choices=[("", _("All fields")), *Organization.Field.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    organization = forms.ModelChoiceField(
        label=_("organization"),
        queryset=Organization.objects.verified().only("pk", "name").order_by("name"),
        required=False,
        empty_label=_("All organizations"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
