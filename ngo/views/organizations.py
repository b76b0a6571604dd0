"""Organizations, public side: the directory and each organization's page; registration; the
representatives' own pages (my organizations, manage, edit, members, invitations); the private certificate.

The directory lists verified organizations only, a bounded page at a time, in the same few queries
whatever their number. Pages of one organization that change it are reached only through
`administered_by(user)`, so another user's organization answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.db import IntegrityError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civiccenter import sections, submissions
from civiccenter.cases import InvalidTransition
from civiccenter.models import User
from civiccenter.throttle import throttled
from ngo.forms.organizations import DirectoryFilterForm, InvitationForm, OrganizationForm, RoleForm
from ngo.models.organizations import Invitation, Membership, Organization

PER_PAGE = 24
# A bounded paginator: deep pages are refused rather than scanned (24 × 50 = 1,200 organizations).
MAX_PAGES = 50


def section_trail():
    return [(reverse("ngo:index"), sections.get("ngo-services").title)]


def directory_trail():
    return [*section_trail(), (reverse("ngo:organizations"), _("Directory of organizations"))]


def mine_trail():
    return [*section_trail(), (reverse("ngo:organizations-mine"), _("My organizations"))]


def _message(error):
    return " ".join(str(message) for message in getattr(error, "messages", [error]))


# Public ---------------------------------------------------------------------------------


def directory(request):
    verified = Organization.objects.verified()
    areas = verified.order_by("area").values_list("area", flat=True).distinct()
    form = DirectoryFilterForm(request.GET or None, areas=list(areas))
    organizations = verified.filter(**form.filters()).order_by("name", "pk")
    paginator = Paginator(organizations, PER_PAGE)
    number = request.GET.get("page") or 1
    try:
        page = paginator.page(min(int(number), MAX_PAGES))
    except (ValueError, TypeError):
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    kept = urlencode([(k, v) for k, v in form.filters().items()])
    return render(
        request,
        "ngo/organizations/directory.html",
        {
            "form": form,
            "page": page,
            "organizations": page.object_list,
            "query": kept,
            "last_page": min(paginator.num_pages, MAX_PAGES),
            "trail": section_trail(),
        },
    )


def detail(request, pk):
    from ngo.models import Booking

    organization = get_object_or_404(Organization.objects.verified(), pk=pk)
    held_bookings = (
        Booking.objects.held().filter(organization=organization).select_related("venue").order_by("-starts_at")[:20]
    )
    return render(
        request,
        "ngo/organizations/organization_detail.html",
        {"organization": organization, "held_bookings": held_bookings, "trail": directory_trail()},
    )


# Registration ---------------------------------------------------------------------------


@login_required
@throttled("submit")
@submissions.once
def register(request):
    if request.user.account_type != User.AccountType.ORGANIZATION:
        return render(request, "ngo/organizations/register_needs_account.html", {"trail": section_trail()})
    form = OrganizationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in OrganizationForm.Meta.fields}
        try:
            organization = Organization.register(by=request.user, **fields)
        except IntegrityError:
            form.add_error(None, _("An organization with this name or code was registered a moment ago."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is registered and waits for verification by the center's staff.")
                % {"name": organization.name},
            )
            return submissions.receipt(request, organization.get_manage_url())
    return render(request, "ngo/organizations/register.html", {"form": form, "trail": section_trail()})


# The representatives' own pages ----------------------------------------------------------


@login_required
def mine(request):
    memberships = (
        Membership.objects.filter(user=request.user).select_related("organization").order_by("organization__name")
    )
    return render(
        request,
        "ngo/organizations/mine.html",
        {
            "memberships": memberships,
            "can_register": request.user.account_type == User.AccountType.ORGANIZATION,
            "trail": section_trail(),
        },
    )


def _administered(request, pk):
    return get_object_or_404(Organization.objects.administered_by(request.user), pk=pk)


@login_required
def manage(request, pk):
    organization = _administered(request, pk)
    invite_form = InvitationForm()
    invite_form.helper.form_action = reverse("ngo:organization-invite", args=[pk])
    return render(request, "ngo/organizations/manage.html", _manage_context(request, organization, invite_form))


def _manage_context(request, organization, invite_form):
    return {
        "organization": organization,
        "memberships": organization.memberships.select_related("user").order_by("role", "joined_at"),
        "invitations": organization.invitations.open().order_by("-created_at"),
        "history": organization.history,
        "invite_form": invite_form,
        "roles": Membership.Role.choices,
        "trail": mine_trail(),
    }


@login_required
def edit(request, pk):
    organization = _administered(request, pk)
    form = OrganizationForm(
        request.POST or None, request.FILES or None, instance=organization, submit_label=_("Save changes")
    )
    if request.method == "POST" and form.is_valid():
        try:
            back = organization.update_details(by=request.user, changed=form.changed_data)
        except IntegrityError:
            form.add_error(None, _("An organization with this name or code was registered a moment ago."))
        except (ValidationError, InvalidTransition) as error:
            form.add_error(None, _message(error))
        else:
            if back:
                messages.warning(request, _("The changes were saved; the center verifies the organization again."))
            else:
                messages.success(request, _("The changes were saved."))
            return redirect(organization.get_manage_url())
    return render(
        request,
        "ngo/organizations/edit.html",
        {"form": form, "organization": organization, "trail": mine_trail()},
    )


@require_POST
@login_required
def resubmit(request, pk):
    organization = _administered(request, pk)
    try:
        organization.resubmit(by=request.user)
    except (ValidationError, InvalidTransition) as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("The organization was sent for verification again."))
    return redirect(organization.get_manage_url())


@require_POST
@login_required
@throttled("submit")
def invite(request, pk):
    organization = _administered(request, pk)
    form = InvitationForm(request.POST)
    form.helper.form_action = reverse("ngo:organization-invite", args=[pk])
    if form.is_valid():
        try:
            organization.invite(by=request.user, email=form.cleaned_data["email"], role=form.cleaned_data["role"])
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, _("An invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect(organization.get_manage_url())
    return render(request, "ngo/organizations/manage.html", _manage_context(request, organization, form), status=400)


def _membership(request, pk, member):
    organization = _administered(request, pk)
    return organization, get_object_or_404(organization.memberships.select_related("user"), pk=member)


@require_POST
@login_required
def change_role(request, pk, member):
    organization, membership = _membership(request, pk, member)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
    else:
        try:
            membership.change_role(by=request.user, role=form.cleaned_data["role"])
        except ValidationError as error:
            messages.error(request, _message(error))
        else:
            messages.success(request, _("The role of %(name)s was changed.") % {"name": membership.user.full_name})
    return redirect(organization.get_manage_url())


@require_POST
@login_required
def remove_member(request, pk, member):
    organization, membership = _membership(request, pk, member)
    try:
        membership.remove(by=request.user)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("%(name)s is no longer a member.") % {"name": membership.user.full_name})
    if membership.user_id == request.user.pk and membership.pk is None:
        return redirect("ngo:organizations-mine")
    return redirect(organization.get_manage_url())


@require_POST
@login_required
def leave(request, pk):
    membership = get_object_or_404(Membership.objects.filter(user=request.user), organization_id=pk)
    try:
        membership.remove(by=request.user)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("You have left %(name)s.") % {"name": membership.organization.name})
    return redirect("ngo:organizations-mine")


@login_required
def invitation(request, token):
    """The invitation's link: shows whom it invites to what; accepting needs the invited address's account."""
    found = Invitation.for_token(token)
    if found is None:
        raise Http404
    if request.method == "POST":
        try:
            found.accept(by=request.user)
        except ValidationError as error:
            messages.error(request, _message(error))
        else:
            messages.success(request, _("You are now a member of %(name)s.") % {"name": found.organization.name})
            return redirect("ngo:organizations-mine")
    return render(
        request,
        "ngo/organizations/invitation.html",
        {
            "invitation": found,
            "expired": found.is_expired(),
            "own_address": request.user.email.lower() == found.email.lower(),
            "trail": section_trail(),
        },
    )


# The private certificate -----------------------------------------------------------------


def certificate(request, pk):
    """The registration certificate: to the organization's administrators and the verifying staff; 404 to others."""
    if not request.user.is_authenticated:
        raise Http404
    own = Organization.objects.administered_by(request.user).values("pk")
    if request.user.has_perm("ngo.view_organization"):
        visible = Organization.objects.filter(pk__in=Organization.objects.for_verifier(request.user).values("pk"))
        visible = visible | Organization.objects.filter(pk__in=own)
    else:
        visible = Organization.objects.filter(pk__in=own)
    organization = get_object_or_404(visible.exclude(certificate=""), pk=pk)
    response = FileResponse(
        organization.certificate.open("rb"),
        as_attachment=True,
        filename=organization.certificate.name.rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "private, no-store"
    return response
