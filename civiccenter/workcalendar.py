"""The work calendar: the State Council's holidays and adjusted working days, year by year, that every time limit counts on."""

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from civiccenter.lib import clock, workdays
from civiccenter.lib.holidays import statutory_days_off
from civiccenter.lib.i18n import english_active, localized
from civiccenter.lib.validators import validate_plain_text


class CalendarYearQuerySet(models.QuerySet):
    def missing_for(self, today, horizon_days=90) -> list[int]:
        """Years a deadline starting in the next `horizon_days` may run into, with no schedule yet.

        Staff are warned so that next year's schedule is entered before deadlines
        reach it; until then such deadlines skip weekends and the statutory days off only, and are provisional.
        """
        wanted = set(range(today.year, (today + timedelta(days=horizon_days)).year + 1))
        return sorted(wanted - set(self.filter(complete=True, year__in=wanted).values_list("year", flat=True)))


class CalendarYear(models.Model):
    """A year whose official holiday schedule has been entered (the State Council's annual notice)."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    notice = models.CharField(
        _("notice"),
        max_length=200,
        blank=True,
        help_text=_("The State Council General Office notice the schedule comes from."),
    )
    complete = models.BooleanField(
        _("schedule complete"),
        default=True,
        help_text=_(
            "Until a year's schedule is complete, its deadlines skip weekends and the statutory days off only, "
            "and are marked provisional."
        ),
    )

    objects = CalendarYearQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        constraints = [
            models.CheckConstraint(condition=models.Q(year__gte=2000, year__lte=2100), name="calendaryear_year_range")
        ]

    def __str__(self):
        return str(self.year)


# Years around today whose statutory days off are computed when their schedule is not entered yet.
YEARS_BEFORE, YEARS_AFTER = 1, 5


class CalendarDayQuerySet(models.QuerySet):
    def work_calendar(self) -> workdays.WorkCalendar:
        """The calendar as the clock engine sees it (two small queries).

        A year whose schedule is not complete still has its statutory days off (全国年节及纪念日放假办法),
        computed: they never count as working days. Only the weekends the notice moves are unknown, so
        its deadlines stay provisional until the schedule is entered.
        """
        holidays, adjusted, names = set(), set(), {}
        english = english_active()
        for day in self.all():
            (holidays if day.kind == CalendarDay.Kind.HOLIDAY else adjusted).add(day.date)
            names[day.date] = day.name_en if english and day.name_en else day.name
        years = frozenset(CalendarYear.objects.filter(complete=True).values_list("year", flat=True))
        this_year = clock.today().year
        for year in range(this_year - YEARS_BEFORE, this_year + YEARS_AFTER + 1):
            if year in years:
                continue
            for day, (name, name_en) in statutory_days_off(year).items():
                if day not in adjusted:
                    holidays.add(day)
                    names.setdefault(day, name_en if english else name)
        return workdays.WorkCalendar(frozenset(holidays), frozenset(adjusted), years, names)


class CalendarDay(models.Model):
    """A statutory day off, or a weekend day made a working day (调休上班日)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday (day off)")
        WORKDAY = "workday", _("Adjusted working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    name = models.CharField(_("name"), max_length=50, validators=[validate_plain_text])
    name_en = models.CharField(_("name in English"), max_length=80, blank=True, validators=[validate_plain_text])

    objects = CalendarDayQuerySet.as_manager()
    display_name = localized("name")

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("work calendar")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=["holiday", "workday"]), name="calendarday_kind_valid"),
            # An adjusted working day is by definition a Saturday or Sunday
            # (PostgreSQL's ISODOW: 6 and 7).
            models.CheckConstraint(
                condition=~models.Q(kind="workday") | models.Q(date__iso_week_day__gte=6),
                name="calendarday_workday_on_weekend",
                violation_error_message=_("An adjusted working day must be a Saturday or a Sunday."),
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.display_name} ({self.get_kind_display()})"
