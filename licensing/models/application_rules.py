"""The rules of a licence application that lie beyond one move: Art. 34 (two officers), Art. 50 (renewal) and
Art. 78 (false information). `Application` takes them in; its moves call them under their row lock."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from civiccenter.cases import InvalidTransition
from civiccenter.lib import workdays
from civiccenter.lib.i18n import lazy_format


class ApplicationRules:
    # --- Art. 78: false information; Art. 34: two officers -----------------

    FALSE_INFORMATION = _(
        "The applicant concealed information or gave false materials: warned (Administrative Licensing Law, "
        "Article 78)."
    )
    BARRED_FOR_A_YEAR = _(
        "For this matter, which concerns public safety, health or life, no new application until %(date)s."
    )

    def bar_ends(self):
        """The day a new application is allowed again after a refusal for false information (Art. 78): a year later."""
        day = self.false_information_on
        try:
            return day.replace(year=day.year + 1)
        except ValueError:  # 29 February
            return day.replace(year=day.year + 1, month=3, day=1)

    def _check_not_barred(self, today):
        """Art. 78: after false information on a matter of public safety, health or life, a year's bar."""
        matter = self.version.matter
        earlier = (
            type(self)
            .objects.filter(version__matter=matter, version__safety_related=True, false_information_on__isnull=False)
            .exclude(pk=self.pk)
        )
        for other in earlier:
            same = (self.applicant_id and other.applicant_id == self.applicant_id) or (
                other.applicant_type == self.applicant_type
                and (other.id_number or other.credit_code)
                and (other.id_number, other.credit_code) == (self.id_number, self.credit_code)
            )
            if same and today < other.bar_ends():
                raise InvalidTransition(
                    lazy_format(
                        _(
                            "An application for this matter was refused on %(on)s for false information; it concerns "
                            "public safety, health or life, so a new application is possible from %(date)s "
                            "(Administrative Licensing Law, Article 78)."
                        ),
                        {"on": other.false_information_on.isoformat(), "date": other.bar_ends().isoformat()},
                    )
                )

    def _false_information_note(self, today):
        """Art. 78: the warning, and for a matter of public safety, health or life the year's bar with its end."""
        self.false_information_on = today
        note = str(self.FALSE_INFORMATION)
        if self.version.safety_related:
            note += " " + str(self.BARRED_FOR_A_YEAR % {"date": self.bar_ends().isoformat()})
        return note

    def _check_second_officer(self, by, second_officer):
        """Art. 34: where the matter requires it, two officers verified the substance; both are named."""
        if not self.version.two_officers:
            return None
        if second_officer is None or by is None or second_officer.pk == by.pk:
            raise InvalidTransition(
                _("This matter is verified by two officers: name the second officer, not yourself (Article 34).")
            )
        if not second_officer.is_staff or not (
            second_officer.sees_all_departments or second_officer.department_id == self.case.department_id
        ):
            raise InvalidTransition(_("The second officer must be staff of the deciding department (Article 34)."))
        return second_officer

    # --- Art. 50: renewal --------------------------------------------------

    RENEWAL_RULE = _("Administrative Licensing Law, Article 50: the renewal is decided before the licence expires")

    def _check_renewal_asked_in_time(self, today):
        """Art. 50: a renewal is asked at least the matter's period (30 days) before the licence expires."""
        licence = self.renews
        if licence.valid_until is None:
            raise InvalidTransition(_("This licence has no expiry: there is nothing to renew."))
        last_day = licence.valid_until - timedelta(days=self.version.renewal_lead_days)
        if today > last_day:
            raise InvalidTransition(
                lazy_format(
                    _(
                        "A renewal must be asked at least %(days)d days before the licence expires, by %(date)s "
                        "(Administrative Licensing Law, Article 50): apply for a new licence instead."
                    ),
                    {"days": self.version.renewal_lead_days, "date": last_day.isoformat()},
                )
            )
        return True

    def renewal_deemed_granted(self, today):
        """Art. 50: a renewal asked in time and not decided by the licence's expiry is granted by law."""
        return bool(
            self.renews_id
            and self.renewal_in_time
            and self.renews.valid_until is not None
            and today > self.renews.valid_until
        )

    def _decision_clock(self, accepted_on, calendar):
        """The clock of the decision: Art. 42's time limit, or for a renewal the days left before expiry (Art. 50)."""
        statutory = (str(self.DECISION_RULE), "working", self.version.statutory_limit, accepted_on)
        if not self.renews_id or self.renews.valid_until is None:
            return statutory
        due = workdays.compute(calendar, accepted_on, self.version.statutory_limit).due
        if due <= self.renews.valid_until:
            return statutory
        # The last working day on or before the expiry: decided by then, or renewed by law.
        left = workdays.working_days_between(calendar, accepted_on, self.renews.valid_until)
        return (str(self.RENEWAL_RULE), "working", max(left, 1), accepted_on)

    def _promised_due(self, accepted_on, calendar):
        """The center's promise (the matter's own limit), never after a renewed licence expires (Art. 50)."""
        promised = workdays.compute(calendar, accepted_on, self.version.promised_limit).due
        if self.renews_id and self.renews.valid_until is not None:
            promised = min(promised, self.renews.valid_until)
        return promised
