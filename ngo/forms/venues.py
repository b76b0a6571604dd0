"""The booking form: every venue rule checked in `clean()`, in the reader's language; the view books."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from civiccenter.forms import CrispyFormMixin
from civiccenter.lib import clock, formfields
from ngo.models.organizations import Organization
from ngo.models.venues import SLOT_MINUTES, Booking, local_dt


def half_hours(first=time(7, 0), last=time(22, 0)):
    moment, out = datetime.combine(datetime.min, first), []
    while moment.time() <= last:
        out.append((moment.strftime("%H:%M"), moment.strftime("%H:%M")))
        moment += timedelta(minutes=SLOT_MINUTES)
        if moment.day != 1:
            break
    return out


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class BookingForm(CrispyFormMixin, forms.ModelForm):
    one_submission = True
    submit_label = _("Book this time")

    organization = OrganizationChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    day = formfields.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TypedChoiceField(label=_("Start time"), choices=half_hours(), coerce=time.fromisoformat)
    end = forms.TypedChoiceField(label=_("End time"), choices=half_hours(), coerce=time.fromisoformat)

    class Meta:
        model = Booking
        fields = ["organization", "day", "start", "end", "purpose", "attendance", "equipment_needed", "open_to_public"]
        labels = {
            "purpose": _("Purpose"),
            "attendance": _("Expected attendance"),
            "equipment_needed": _("Equipment needed"),
            "open_to_public": _("The activity is open to the public"),
        }
        help_texts = {
            "purpose": _("The public-welfare activity you will hold: what, for whom, and how."),
            "equipment_needed": _("Optional: e.g. projector, microphones, tables arranged for a workshop."),
        }
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, venue, user, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.venue, self.user, self.now = venue, user, now
        self.fields["organization"].queryset = Organization.objects.administered_by(user).verified().order_by("name")
        self.fields["attendance"].help_text = _("At most %(capacity)d people.") % {"capacity": venue.capacity}
        self.fields["attendance"].widget.attrs.update({"min": 1, "max": venue.capacity})

    def clean_day(self):
        """Any real date parses; only the next three years can be booked (9999-12-31 must not reach the clock)."""
        day, today = self.cleaned_data["day"], clock.today()
        last = today + timedelta(days=3 * 365)
        if not today <= day <= last:
            raise forms.ValidationError(
                _("Choose a date from %(first)s to %(last)s.") % {"first": today.isoformat(), "last": last.isoformat()},
                code="out_of_range",
            )
        return day

    def clean_purpose(self):
        purpose = self.cleaned_data["purpose"].strip()
        if len(purpose) < 10:
            raise forms.ValidationError(_("Describe the activity in at least 10 characters."), code="too_short")
        return purpose

    def clean_attendance(self):
        attendance = self.cleaned_data["attendance"]
        if attendance > self.venue.capacity:
            raise forms.ValidationError(
                _("This venue holds at most %(capacity)d people.") % {"capacity": self.venue.capacity},
                code="capacity",
            )
        return attendance

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start"), data.get("end")
        if day is None or start is None or end is None or data.get("organization") is None:
            return data
        data["starts_at"], data["ends_at"] = local_dt(day, start), local_dt(day, end)
        problems = self.venue.booking_problems(
            organization=data["organization"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            # A capacity error is already on its own field.
            attendance=None,
            now=self.now or clock.now(),
        )
        for problem in problems:
            self.add_error(None, str(problem))
        return data

    def booking_kwargs(self):
        data = self.cleaned_data
        return {
            "organization": data["organization"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "purpose": data["purpose"],
            "attendance": data["attendance"],
            "equipment_needed": data["equipment_needed"],
            "open_to_public": data["open_to_public"],
        }


class ReasonForm(forms.Form):
    """Staff give a reason when they reject or cancel a booking; it is sent to the organization."""

    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
