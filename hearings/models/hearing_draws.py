"""The auditable draw of a hearing's participants: `HearingDraw`, inherited by `Hearing` (hearings.py).

Where applicants exceed a quota, participants are drawn at random so that anyone can check the draw afterwards:
the seed, a SHA-256 hash of the candidate list and the log are published, and `verify_draw()` re-runs it.
The move itself (`draw`, from registration closed to drawn) is in the table `Hearing.WORKFLOW`.
"""

import hashlib
import random
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock
from civiccenter.lib.i18n import in_language_of_record
from civiccenter.models import Notification
from hearings.models.registrations import HearingRegistration

ALGORITHM = "candidates per category sorted by registration id; random.Random(seed).sample(candidates, n)"


@dataclass(frozen=True)
class DrawCheck:
    """The result of re-running a draw: the candidate list matches its hash, the log and the positions match."""

    hash_ok: bool
    log_ok: bool
    positions_ok: bool

    @property
    def ok(self):
        return self.hash_ok and self.log_ok and self.positions_ok


class HearingDraw:
    """The draw of `Hearing`: the candidate list, the pure draw function, the move and its verification."""

    def _candidates(self):
        """[(category, [registration ids sorted])] of the registrations in the draw, in category order."""
        categories = list(self.categories.order_by("order", "pk"))
        ids = {}
        for category_id, pk in (
            self.registrations.filter(status=HearingRegistration.Status.APPLIED)
            .order_by("pk")
            .values_list("category_id", "pk")
        ):
            ids.setdefault(category_id, []).append(pk)
        return [(category, ids.get(category.pk, [])) for category in categories]

    @staticmethod
    def candidate_text(candidates) -> str:
        """The published candidate list: one line per category, `category id: registration ids`."""
        return "".join(f"{category_id}:{','.join(str(pk) for pk in pks)}\n" for category_id, pks in candidates)

    @staticmethod
    def parse_candidate_text(text):
        rows = []
        for line in text.splitlines():
            category_id, _sep, pks = line.partition(":")
            rows.append((int(category_id), [int(pk) for pk in pks.split(",") if pk]))
        return rows

    @staticmethod
    def run_draw(seed: str, candidates, quotas: dict) -> list[dict]:
        """The draw itself, a pure function: the same seed and candidates give the same result anywhere.

        One `random.Random(seed)` is used for the categories in order. Where a
        category has more candidates than places, the whole list is put in a
        random order (`sample(candidates, n)`); the first `quota` are selected
        and the rest, in that order, are the reserve list.
        """
        rng = random.Random(seed)  # noqa: S311 - reproducible by design; the seed itself comes from secrets
        steps = []
        for category_id, pks in candidates:
            quota = quotas[category_id]
            if len(pks) > quota:
                order = rng.sample(pks, len(pks))
                drawn = True
            else:
                order, drawn = list(pks), False
            steps.append(
                {
                    "category": category_id,
                    "quota": quota,
                    "candidates": list(pks),
                    "drawn": drawn,
                    "selected": order[:quota],
                    "reserve": order[quota:],
                }
            )
        return steps

    @in_language_of_record
    def draw(self, *, by, seed=None):
        """Select participants; where applicants exceed a quota, by an auditable random draw.

        The seed comes from `secrets` (never guessable beforehand) and is stored
        with the candidate list, its SHA-256 and the log, so the draw can be
        re-run by anyone (`verify_draw`).
        """
        with transaction.atomic():
            hearing = type(self).objects.select_for_update().get(pk=self.pk)
            if hearing.status != self.Status.REGISTRATION_CLOSED:
                raise InvalidTransition(_("Participants are drawn once registration is closed."))
            # Registrations of this hearing are locked too: no withdrawal slips in mid-draw.
            list(hearing.registrations.select_for_update().values_list("pk", flat=True))
            seed = seed or secrets.token_hex(32)
            categories = {c.pk: c for c in hearing.categories.all()}
            candidates = [(category.pk, pks) for category, pks in hearing._candidates()]
            text = self.candidate_text(candidates)
            digest = hashlib.sha256(text.encode()).hexdigest()
            steps = self.run_draw(seed, candidates, {pk: c.quota for pk, c in categories.items()})
            number = 0
            for step in steps:
                category = categories[step["category"]]
                step["category_name"] = category.name
                registrations = HearingRegistration.objects.in_bulk([*step["selected"], *step["reserve"]])
                for rank, pk in enumerate(step["selected"], start=1):
                    number += 1
                    registrations[pk].select(by=by, position=rank, number=number)
                for rank, pk in enumerate(step["reserve"], start=1):
                    registrations[pk].put_on_reserve(by=by, position=category.quota + rank, rank=rank)
            hearing.move(
                "draw",
                by=by,
                note=_("Participants drawn; seed %(seed)s, candidate list SHA-256 %(hash)s.")
                % {"seed": seed, "hash": digest},
                fields={
                    "draw_seed": seed,
                    "candidate_list": text,
                    "candidate_hash": digest,
                    "draw_log": steps,
                    "drawn_at": clock.now(),
                },
            )
            for registration in hearing.registrations.select_related("user").exclude(
                status=HearingRegistration.Status.WITHDRAWN
            ):
                Notification.queue(
                    recipient=registration.user,
                    template="hearings/hearings/email/drawn",
                    context={"hearing": hearing, "registration": registration},
                    url=reverse("hearings:my-registrations"),
                )
        self.refresh_from_db()

    draw.alters_data = True

    def verify_draw(self) -> "DrawCheck":
        """Re-run the draw from the published seed and candidate list and compare with what was recorded."""
        if not self.draw_seed:
            return DrawCheck(False, False, False)
        hash_ok = hashlib.sha256(self.candidate_list.encode()).hexdigest() == self.candidate_hash
        quotas = {step["category"]: step["quota"] for step in self.draw_log}
        try:
            candidates = self.parse_candidate_text(self.candidate_list)
            rerun = self.run_draw(self.draw_seed, candidates, quotas)
        except (KeyError, ValueError):
            return DrawCheck(hash_ok, False, False)
        keys = ("category", "quota", "candidates", "selected", "reserve")
        log_ok = [{k: s[k] for k in keys} for s in rerun] == [{k: s[k] for k in keys} for s in self.draw_log]
        # And the registrations still carry the positions the draw gave them.
        recorded = {}
        for category_id, pk, position in self.registrations.filter(draw_position__isnull=False).values_list(
            "category_id", "pk", "draw_position"
        ):
            recorded.setdefault(category_id, []).append((position, pk))
        expected = {s["category"]: s["selected"] + s["reserve"] for s in rerun if s["candidates"]}
        positions_ok = {c: [pk for _p, pk in sorted(rows)] for c, rows in recorded.items()} == expected
        return DrawCheck(hash_ok, log_ok, positions_ok)
