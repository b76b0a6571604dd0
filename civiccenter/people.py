"""People and departments: accounts, roles through groups, and the department scoping every staff list uses."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from civiccenter import roles
from civiccenter.lib import clock
from civiccenter.lib.crypto import EncryptedCharField
from civiccenter.lib.i18n import localized
from civiccenter.lib.validators import validate_person_name, validate_phone, validate_plain_text


class DepartmentScopedQuerySet(models.QuerySet):
    """Rows that belong to a department, scoped for staff in one place.

    Subclasses name the path from their model to `Department` in
    `department_lookup`. The admin base class and every staff-facing view use
    `visible_to(user)`; none repeats the rule.
    """

    department_lookup = "department"

    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all_departments:
            return self
        if user.is_staff and user.department_id:
            return self.filter(**{self.department_lookup: user.department_id})
        return self.none()


class DepartmentQuerySet(DepartmentScopedQuerySet):
    department_lookup = "pk"


class Department(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True, validators=[validate_plain_text])
    name_en = models.CharField(_("name in English"), max_length=150, blank=True, validators=[validate_plain_text])
    code = models.SlugField(
        _("short code"),
        max_length=16,
        unique=True,
        help_text=_("A few letters used in tracking numbers and reports, e.g. SCJG."),
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=30, validators=[validate_phone])
    window_location = models.CharField(
        _("window location"), max_length=100, blank=True, validators=[validate_plain_text]
    )
    window_location_en = models.CharField(
        _("window location in English"), max_length=150, blank=True, validators=[validate_plain_text]
    )
    # Who is told at once of an emergency (12345 hotline rules, 国办发〔2020〕53号: emergencies are passed on
    # immediately); without an address, the department's staff who handle such cases are told instead.
    duty_email = models.EmailField(
        _("duty contact e-mail"),
        blank=True,
        help_text=_("Told at once of emergencies, at any hour. Empty: the staff who handle opinions are told."),
    )
    duty_phone = models.CharField(
        _("duty contact phone"),
        max_length=30,
        blank=True,
        validators=[validate_phone],
        help_text=_("Shown to staff beside an emergency, to call when the matter cannot wait."),
    )
    document_prefix = models.CharField(
        _("document prefix"),
        max_length=20,
        blank=True,
        validators=[validate_plain_text],
        help_text=_(
            "The organ's short name in document numbers (机关代字), e.g. 示范市监许: numbers read 示范市监许〔2026〕12号. "
            "Empty: the short code."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    objects = DepartmentQuerySet.as_manager()

    display_name = localized("name")
    display_description = localized("description")
    display_window_location = localized("window_location")

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.display_name


class UserQuerySet(DepartmentScopedQuerySet):
    pass


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("email_confirmed_at", clock.now())
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        # Sign-in by e-mail ignores case: Zhang@Example.cn is zhang@example.cn.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    class AccountType(models.TextChoices):
        CITIZEN = "citizen", _("Citizen")
        ORGANIZATION = "organization", _("Organization representative")

    email = models.EmailField(
        _("e-mail address"),
        max_length=254,
        unique=True,
        error_messages={"unique": _("An account with this e-mail address already exists.")},
    )
    full_name = models.CharField(_("full name"), max_length=50, validators=[validate_person_name])
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    account_type = models.CharField(_("account type"), max_length=20, choices=AccountType, default=AccountType.CITIZEN)
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        default="zh-hans",
        help_text=_("The language of the e-mails and notices the portal sends you."),
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("Staff only: the department whose work this person sees and handles."),
    )
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    is_staff = models.BooleanField(_("staff"), default=False, help_text=_("Can sign in to the staff administration."))
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Unselect this instead of deleting the account.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=clock.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_ci_unique",
                violation_error_message=_("An account with this e-mail address already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(account_type__in=["citizen", "organization"]),
                name="user_account_type_valid",
            ),
            models.CheckConstraint(condition=models.Q(language__in=["zh-hans", "en"]), name="user_language_valid"),
        ]

    def __str__(self):
        return f"{self.full_name} <{self.email}>"

    def clean(self):
        super().clean()
        self.email = type(self).objects.normalize_email(self.email).lower()

    def get_absolute_url(self):
        return reverse("accounts:profile")

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @cached_property
    def role_names(self) -> frozenset:
        return frozenset(self.groups.values_list("name", flat=True))

    @property
    def sees_all_departments(self) -> bool:
        """Center-wide roles read (and, with the permission, change) every department's rows."""
        if self.is_superuser:
            return True
        return self.is_staff and bool(self.role_names & roles.ALL_DEPARTMENT_ROLES)

    def confirm_email(self):
        if self.email_confirmed_at is None:
            self.email_confirmed_at = clock.now()
            self.save(update_fields=["email_confirmed_at"])
