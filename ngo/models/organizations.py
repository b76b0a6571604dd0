"""Organizations (NGOs, community self-governing and mutual-aid organizations) and their members.

An organization representative registers the organization; staff verify it or
return it with what to fix. Only verified organizations book venues and
publish activities and achievements. Members are invited by e-mail, as
administrators (who act for the organization) or members.

The fields below are the contract the venues, development and board parts rely
on; registration, verification and invitations live beside them.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiccenter.lib.uploads import CheckedFileField, ResizedImageField, private_storage
from civiccenter.lib.validators import validate_phone, validate_plain_text, validate_uscc_shape


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


class Organization(models.Model):
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
    description = models.TextField(_("description"), max_length=3000)
    logo = ResizedImageField(_("logo"), folder="ngo/logos", blank=True, max_width=600)
    logo_thumbnail = models.FileField(_("logo thumbnail"), upload_to="ngo/logos/thumbs", blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING, editable=False)
    return_reason = models.TextField(_("what to fix"), blank=True, editable=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        "civiccenter.User", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    featured = models.BooleanField(_("featured on the NGO page"), default=False)
    created_by = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        editable=False,
        related_name="organizations_registered",
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "returned", "verified"]), name="organization_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(verified_at__isnull=False) | ~Q(status="verified"), name="organization_verified_has_date"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_verified(self):
        return self.status == self.Status.VERIFIED


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
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now, editable=False)

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
