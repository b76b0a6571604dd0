"""Organizations (NGOs, community self-governing and mutual-aid organizations) and their members.

An organization representative registers the organization; staff verify it or
return it with what to fix. Only verified organizations book venues and
publish activities and achievements. Members are invited by e-mail, as
administrators (who act for the organization) or members.

The fields below are the contract the venues, development and board parts rely
on; registration, verification and invitations live beside them.
"""

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civiccenter.lib import clock
from civiccenter.lib.i18n import in_language_of_record, lazy_format
from civiccenter.lib.uploads import CheckedFileField, ResizedImageField, private_storage, thumbnail
from civiccenter.lib.uscc import check_ok as uscc_check_ok
from civiccenter.lib.uscc import normalize as normalize_uscc
from civiccenter.lib.uscc import validate as validate_uscc_shape
from civiccenter.lib.validators import validate_phone, validate_plain_text
from civiccenter.stateful import StatefulModel, log_status
from civiccenter.workflow import APPLICANT, STAFF, Move, Workflow

# The department whose staff verify organizations: civil affairs registers social organizations.
# Center-wide roles (supervisor: read only; system administrator) also reach the queue.
VERIFYING_DEPARTMENT = "MZ"
INVITATION_DAYS = 14
LOGO_THUMBNAIL_SIDE = 160


class OrganizationQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(status=Organization.Status.VERIFIED)

    def administered_by(self, user):
        """The organizations `user` may act for (book, publish): where they are an administrator."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user, memberships__role=Membership.Role.ADMINISTRATOR)

    def of_member(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)

    def for_verifier(self, user):
        """What `user` sees in the verification queue: the verifying department's staff and center-wide roles."""
        if not user.is_authenticated or not user.is_active or not user.is_staff:
            return self.none()
        if user.sees_all_departments or is_verifier_department(user):
            return self
        return self.none()

    def queue_order(self):
        """Pending first, then returned, then verified; oldest first within each."""
        return self.order_by(queue_rank().asc(), "created_at", "pk")


def queue_rank():
    return models.Case(models.When(status="pending", then=0), models.When(status="returned", then=1), default=2)


def is_verifier_department(user) -> bool:
    department = getattr(user, "department", None)
    return department is not None and department.code == VERIFYING_DEPARTMENT


class Organization(StatefulModel):
    class Type(models.TextChoices):
        SOCIAL_GROUP = "social_group", _("Social group")
        PRIVATE_NON_ENTERPRISE = "private_non_enterprise", _("Private non-enterprise unit")
        FOUNDATION = "foundation", _("Foundation")
        COMMUNITY = "community", _("Community self-governing organization")
        MUTUAL_AID = "mutual_aid", _("Mutual-aid organization")
        OTHER = "other", _("Other")

    class Field(models.TextChoices):
        ELDERLY = "elderly", _("Elderly care")
        CHILDREN = "children", _("Children and youth")
        DISABILITY = "disability", _("People with disabilities")
        EDUCATION = "education", _("Education")
        HEALTH = "health", _("Health")
        ENVIRONMENT = "environment", _("Environment")
        CULTURE = "culture", _("Culture and sports")
        COMMUNITY = "community", _("Community services")
        POVERTY = "poverty", _("Poverty relief")
        LEGAL = "legal", _("Legal aid")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting verification")
        RETURNED = "returned", _("Returned for correction")
        VERIFIED = "verified", _("Verified")

    # Registration (`register`) logs the first status, pending. A verified organization goes back to
    # pending only when what was verified (name, code, type, certificate) changes (`update_details`).
    WORKFLOW = Workflow(
        "ngo.organization",
        Status,
        [
            Move(
                "verify",
                (Status.PENDING,),
                Status.VERIFIED,
                label=_("Verify"),
                by=STAFF,
                permission="ngo.verify_organization",
                requires=_("The registration details and the certificate checked by the verifying department"),
            ),
            Move(
                "return_for_correction",
                (Status.PENDING,),
                Status.RETURNED,
                label=_("Return for correction"),
                by=STAFF,
                permission="ngo.verify_organization",
                requires=_("What the organization must fix, sent to its administrators"),
            ),
            Move(
                "resubmit",
                (Status.RETURNED,),
                Status.PENDING,
                label=_("Resubmit for verification"),
                by=APPLICANT,
                requires=_("An administrator of the organization, after the correction"),
            ),
            Move(
                "send_for_reverification",
                (Status.VERIFIED,),
                Status.PENDING,
                label=_("Send back for verification"),
                by=APPLICANT,
                requires=_("An administrator changed the name, code, type or certificate (`update_details`)"),
            ),
        ],
    )
    VERIFIED_FIELDS = ("name", "uscc", "type", "certificate")

    # The code's second character by type, for social organizations registered by civil affairs (GB 32100 §4.2).
    USCC_PREFIX = {"social_group": "51", "private_non_enterprise": "52", "foundation": "53"}

    name = models.CharField(_("name"), max_length=100, unique=True, validators=[validate_plain_text])
    type = models.CharField(_("type"), max_length=30, choices=Type)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc_shape]
    )
    # Set when the code's check character fails (early pilot codes): accepted, but staff see the warning.
    uscc_check_failed = models.BooleanField(_("check character does not match"), default=False, editable=False)
    certificate = CheckedFileField(
        _("registration certificate"), folder="ngo/certificates", storage=private_storage, max_bytes=10 * 1024 * 1024
    )
    field = models.CharField(_("field of service"), max_length=20, choices=Field)
    area = models.CharField(_("area served"), max_length=60, validators=[validate_plain_text])
    contact_person = models.CharField(_("contact person"), max_length=60, validators=[validate_plain_text])
    contact_phone = models.CharField(_("contact phone"), max_length=20, validators=[validate_phone])
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    # PIPL Art. 25: the contact person's phone is published only with their separate consent.
    show_phone = models.BooleanField(_("show the contact phone in the public directory"), default=False)
    description = models.TextField(_("description"), max_length=3000)
    logo = ResizedImageField(_("logo"), folder="ngo/logos", blank=True, max_width=600)
    logo_thumbnail = models.FileField(_("logo thumbnail"), upload_to="ngo/logos/thumbs", blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING, editable=False)
    return_reason = models.TextField(_("what to fix"), blank=True, editable=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    featured = models.BooleanField(_("featured on the NGO page"), default=False)
    created_by = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        editable=False,
        related_name="organizations_registered",
    )
    created_at = models.DateTimeField(_("registered at"), default=clock.now, editable=False)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        permissions = [("verify_organization", _("Can verify or return organizations"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "returned", "verified"]), name="organization_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(verified_at__isnull=False) | ~Q(status="verified"), name="organization_verified_has_date"
            ),
            # GB 32100-2015: organizations registered by civil affairs carry 51, 52 or 53 by type.
            *[
                models.CheckConstraint(
                    condition=~Q(type=kind) | Q(uscc__startswith=prefix),
                    name=f"organization_uscc_prefix_{kind}",
                    violation_error_message=_(
                        "The code does not begin with the digits its organization type requires."
                    ),
                )
                for kind, prefix in (("social_group", "51"), ("private_non_enterprise", "52"), ("foundation", "53"))
            ],
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""), name="organization_returned_has_reason"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("ngo:organization", args=[self.pk])

    @property
    def is_verified(self):
        return self.status == self.Status.VERIFIED

    def get_manage_url(self):
        return reverse("ngo:organization-manage", args=[self.pk])

    @property
    def public_phone(self):
        return self.contact_phone if self.show_phone else ""

    def clean(self):
        super().clean()
        self.uscc = normalize_uscc(self.uscc)
        prefix = self.USCC_PREFIX.get(self.type)
        if prefix and self.uscc and not self.uscc.startswith(prefix):
            raise ValidationError(
                {
                    "uscc": ValidationError(
                        lazy_format(
                            _("The code of a %(type)s registered by civil affairs begins with %(prefix)s."),
                            {"type": self.get_type_display(), "prefix": prefix},
                        ),
                        code="uscc_prefix",
                    )
                }
            )

    # Registration -------------------------------------------------------------------

    @classmethod
    @in_language_of_record
    def register(cls, *, by, **fields):
        """Store a new organization (pending) with `by` as its first administrator.

        A check character that fails is accepted (early pilot codes are legal) but flagged for staff.
        Raises IntegrityError when the name or code was taken meanwhile.
        """
        if by.account_type != by.AccountType.ORGANIZATION:
            raise ValidationError(_("Only an organization representative's account can register an organization."))
        organization = cls(created_by=by, **fields)
        organization.uscc = normalize_uscc(organization.uscc)
        organization.uscc_check_failed = not uscc_check_ok(organization.uscc)
        with transaction.atomic():
            organization.save()
            Membership.objects.create(organization=organization, user=by, role=Membership.Role.ADMINISTRATOR)
            log_status(organization, move="register", by=by, note=pgettext_lazy("an organization", "Registered"))
            organization.refresh_logo_thumbnail()
        return organization

    def refresh_logo_thumbnail(self):
        """The directory's small logo, drawn again whenever the logo changes."""
        if self.logo_thumbnail:
            self.logo_thumbnail.delete(save=False)
        if self.logo:
            extension = self.logo.name.rsplit(".", 1)[-1]
            self.logo_thumbnail.save(
                f"{uuid.uuid4().hex}.{extension}", thumbnail(self.logo, LOGO_THUMBNAIL_SIDE), save=False
            )
        type(self).objects.filter(pk=self.pk).update(logo_thumbnail=self.logo_thumbnail.name or "")

    @in_language_of_record
    def update_details(self, *, by, changed: list[str]):
        """Save an administrator's edit; changing what was verified sends a verified organization back."""
        if not self.is_administrator(by):
            raise ValidationError(_("Only the organization's administrators can change its details."))
        self.uscc = normalize_uscc(self.uscc)
        with transaction.atomic():
            current = type(self).objects.select_for_update().get(pk=self.pk)
            if "uscc" in changed:
                self.uscc_check_failed = not uscc_check_ok(self.uscc)
            # The form's copy of the row saves everything but the status, which only moves change.
            self.save(update_fields=[f.name for f in self._meta.concrete_fields if f.name not in ("id", "status")])
            self.refresh_from_db(fields=["status"])
            if "logo" in changed:
                self.refresh_logo_thumbnail()
            if current.status == self.Status.VERIFIED and set(changed) & set(self.VERIFIED_FIELDS):
                self.send_for_reverification(by=by)
                return True
        return False

    @in_language_of_record
    def send_for_reverification(self, *, by):
        """What was verified changed: the organization waits for verification again."""
        if not self.is_administrator(by):
            raise ValidationError(_("Only the organization's administrators can change its details."))
        self.move("send_for_reverification", by=by, note=_("Details that were verified changed"))

    send_for_reverification.alters_data = True

    # Verification -------------------------------------------------------------------

    @property
    def can_resubmit(self):
        return self.WORKFLOW.can("resubmit", self.status)

    def _notify_administrators(self, template, url):
        from civiccenter.models import Notification

        for membership in self.memberships.filter(role=Membership.Role.ADMINISTRATOR).select_related("user"):
            Notification.queue(recipient=membership.user, template=template, context={"organization": self}, url=url)

    @in_language_of_record
    def verify(self, *, by):
        with transaction.atomic():
            self.move(
                "verify",
                by=by,
                note=_("Verified"),
                fields={"verified_at": clock.now(), "verified_by": by, "return_reason": ""},
            )
            self._notify_administrators("ngo/email/organization_verified", self.get_absolute_url())

    verify.alters_data = True

    @in_language_of_record
    def return_for_correction(self, *, by, reason):
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(_("Say what the organization must fix."), code="reason_required")
        with transaction.atomic():
            self.move("return_for_correction", by=by, note=reason, fields={"return_reason": reason})
            self._notify_administrators("ngo/email/organization_returned", self.get_manage_url())

    return_for_correction.alters_data = True

    @in_language_of_record
    def resubmit(self, *, by):
        if not self.is_administrator(by):
            raise ValidationError(_("Only the organization's administrators can resubmit it."))
        self.move("resubmit", by=by, note=_("Corrected and resubmitted"))

    resubmit.alters_data = True

    # Members ----------------------------------------------------------------------------

    def is_administrator(self, user) -> bool:
        return user.is_authenticated and self.memberships.filter(user=user, role=Membership.Role.ADMINISTRATOR).exists()

    @in_language_of_record
    def invite(self, *, by, email, role, now=None):
        """Invite someone by e-mail; a new invitation to the same address replaces an unaccepted one.

        Returns the invitation and the token for the link (only its hash is stored).
        """
        from civiccenter.models import Notification, User

        email = User.objects.normalize_email(email).lower()
        if role not in Membership.Role.values:
            raise ValidationError(_("Choose a role."), code="role")
        if not self.is_administrator(by):
            raise ValidationError(_("Only the organization's administrators can invite members."))
        if self.memberships.filter(user__email__iexact=email).exists():
            raise ValidationError(_("This person is already a member."), code="already_member")
        token = secrets.token_urlsafe(32)
        now = now or clock.now()
        with transaction.atomic():
            self.invitations.filter(email__iexact=email, accepted_at__isnull=True).delete()
            invitation = self.invitations.create(
                email=email,
                role=role,
                token_hash=Invitation.hash(token),
                invited_by=by,
                created_at=now,
                expires_at=now + timedelta(days=INVITATION_DAYS),
            )
            Notification.queue(
                recipient=User.objects.filter(email__iexact=email).first(),
                email=email,
                template="ngo/email/organization_invitation",
                context={"organization": self, "invitation": invitation, "inviter": by},
                url=reverse("ngo:invitation", args=[token]),
                sensitive=True,
            )
        return invitation, token

    invite.alters_data = True


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMINISTRATOR = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        "civiccenter.User", verbose_name=_("user"), on_delete=models.CASCADE, related_name="ngo_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["organization", "role", "joined_at"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_once"),
            models.CheckConstraint(condition=Q(role__in=["admin", "member"]), name="membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.organization} ({self.get_role_display()})"

    @property
    def is_administrator(self):
        return self.role == self.Role.ADMINISTRATOR

    def _lock_organization(self):
        """Serialise changes to the organization's members: the last-administrator rule counts them."""
        Organization.objects.select_for_update().get(pk=self.organization_id)

    def _refuse_if_last_administrator(self):
        if (
            self.role == self.Role.ADMINISTRATOR
            and not Membership.objects.filter(organization_id=self.organization_id, role=self.Role.ADMINISTRATOR)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError(
                _("An organization must keep at least one administrator: make someone else an administrator first."),
                code="last_administrator",
            )

    @in_language_of_record
    def change_role(self, *, by, role):
        if role not in self.Role.values:
            raise ValidationError(_("Choose a role."), code="role")
        with transaction.atomic():
            self._lock_organization()
            if not self.organization.is_administrator(by):
                raise ValidationError(_("Only the organization's administrators can change roles."))
            self.refresh_from_db(fields=["role"])
            if role == self.role:
                return
            if role != self.Role.ADMINISTRATOR:
                self._refuse_if_last_administrator()
            self.role = role
            self.save(update_fields=["role"])

    change_role.alters_data = True

    @in_language_of_record
    def remove(self, *, by):
        """An administrator removes a member, or a member leaves; never the last administrator."""
        with transaction.atomic():
            self._lock_organization()
            if by.pk != self.user_id and not self.organization.is_administrator(by):
                raise ValidationError(_("Only the organization's administrators can remove members."))
            self.refresh_from_db(fields=["role"])
            self._refuse_if_last_administrator()
            self.delete()

    remove.alters_data = True


class InvitationQuerySet(models.QuerySet):
    def open(self, now=None):
        return self.filter(accepted_at__isnull=True, expires_at__gt=now or clock.now())


class Invitation(models.Model):
    """An e-mailed invitation to join an organization; the link's token is stored only as its hash."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role, default=Membership.Role.MEMBER)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        "civiccenter.User", verbose_name=_("invited by"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("invited at"), default=clock.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=["admin", "member"]), name="invitation_role_valid"),
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="invitation_expires_later"),
            # At most one unaccepted invitation per address and organization.
            models.UniqueConstraint(
                "organization",
                models.functions.Lower("email"),
                condition=Q(accepted_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.organization}"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def for_token(cls, token):
        return cls.objects.select_related("organization", "invited_by").filter(token_hash=cls.hash(token or "")).first()

    def is_expired(self, now=None):
        return (now or clock.now()) >= self.expires_at

    @in_language_of_record
    def accept(self, *, by, now=None):
        """Join the organization: the invitation must be open and addressed to `by`'s own e-mail."""
        now = now or clock.now()
        with transaction.atomic():
            invitation = type(self).objects.select_for_update().get(pk=self.pk)
            if invitation.accepted_at is not None:
                raise ValidationError(_("This invitation has already been accepted."), code="accepted")
            if invitation.is_expired(now):
                raise ValidationError(
                    _("This invitation has expired. Ask the organization's administrator to invite you again."),
                    code="expired",
                )
            if by.email.lower() != invitation.email.lower():
                raise ValidationError(
                    lazy_format(
                        _("This invitation was sent to %(email)s. Sign in with that address to accept it."),
                        {"email": invitation.email},
                    ),
                    code="wrong_email",
                )
            try:
                with transaction.atomic():
                    Membership.objects.create(organization=invitation.organization, user=by, role=invitation.role)
            except IntegrityError:
                raise ValidationError(
                    _("You are already a member of this organization."), code="already_member"
                ) from None
            invitation.accepted_at, invitation.accepted_by = now, by
            invitation.save(update_fields=["accepted_at", "accepted_by"])
            self.accepted_at, self.accepted_by = now, by

    accept.alters_data = True
