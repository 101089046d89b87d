"""Center portal pages. Every object is loaded through portal.permissions,
so authorization is decided on the server in one place."""

import functools
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from directory.models import Organization, Program
from inquiries.services import inquiry_open, inquiry_set_note, inquiry_set_status

from . import members, selectors, services
from .forms import ClaimForm, InboxFilterForm, InquiryNoteForm, InquiryStatusForm, InvitationForm, RoleForm
from .permissions import (
    ANSWER_INQUIRIES,
    MANAGE_TEAM,
    SEE_STATS,
    AccessEnded,
    describe_role,
    get_claim_for_user_or_404,
    get_inquiry_for_user_or_404,
    get_invitation_in_organization_or_404,
    get_membership_in_organization_or_404,
    get_organization_for_user_or_404,
    get_program_for_user_or_404,
    role_descriptions,
)


def explains_access_ended(view):
    """Someone a manager removed gets a page saying so (which organization,
    when, by whom) instead of a bare 404, and nothing else of it: a 403.
    portal.urls wraps every portal view with this."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except AccessEnded as ended:
            return render(request, "portal/access_ended.html", {"removal": ended.removal}, status=403)

    return wrapper


@login_required
def dashboard(request):
    context = {
        "organizations": selectors.dashboard_organizations(user=request.user),
        "claims": selectors.claims_for_user(user=request.user)[:20],
        "removals": selectors.recent_removals(user=request.user),
    }
    return render(request, "portal/dashboard.html", context)


@login_required
def program_stats(request, slug):
    program = get_program_for_user_or_404(user=request.user, slug_or_pk=slug, capability=SEE_STATS)
    return render(
        request,
        "portal/program_stats.html",
        {
            "program": program,
            "stats": selectors.program_monthly_stats(program=program),
            "review_state": selectors.review_state(program=program),
        },
    )


# Team --------------------------------------------------------------------


@dataclass
class TeamRow:
    membership: object
    sole_manager: bool  # the organization's only manager who can sign in: not removable or demotable
    role_form: RoleForm


@login_required
def team(request, org_slug):
    organization = get_organization_for_user_or_404(user=request.user, slug=org_slug)
    is_manager = members.is_manager(user=request.user, organization_id=organization.pk)
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        get_organization_for_user_or_404(user=request.user, slug=org_slug, capability=MANAGE_TEAM)
        if form.is_valid():
            try:
                services.invitation_create(
                    organization=organization, invited_by=request.user, **form.cleaned_data
                )
            except services.PortalError as error:
                form.add_error("email", str(error))
            else:
                messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
                return redirect("portal:team", org_slug=organization.slug)
    rows = [
        TeamRow(
            membership=membership,
            sole_manager=members.is_last_manager(membership),
            role_form=RoleForm(initial={"role": membership.role}, prefix=f"member-{membership.pk}"),
        )
        for membership in selectors.organization_members(organization=organization)
    ]
    context = {
        "organization": organization,
        "is_manager": is_manager,
        "rows": rows,
        "roles": role_descriptions(),
        "invitations": selectors.organization_open_invitations(organization=organization),
        "form": form,
    }
    return render(request, "portal/team.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def member_role(request, org_slug, pk):
    organization = get_organization_for_user_or_404(user=request.user, slug=org_slug, capability=MANAGE_TEAM)
    membership = get_membership_in_organization_or_404(organization=organization, pk=pk)
    form = RoleForm(request.POST, prefix=f"member-{membership.pk}")
    if not form.is_valid():
        messages.error(request, "Choose manager or staff.")
        return redirect("portal:team", org_slug=organization.slug)
    role = form.cleaned_data["role"]
    try:
        services.membership_set_role(membership=membership, role=role, by=request.user)
    except services.PortalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{membership.user.email} is now {membership.get_role_display().lower()}.")
    return redirect("portal:team", org_slug=organization.slug)


@login_required
def member_remove(request, org_slug, pk):
    """GET: the confirmation page (a form, no script); POST: remove."""
    organization = get_organization_for_user_or_404(user=request.user, slug=org_slug, capability=MANAGE_TEAM)
    membership = get_membership_in_organization_or_404(organization=organization, pk=pk)
    if request.method != "POST":
        context = {
            "organization": organization,
            "membership": membership,
            "sole_manager": members.is_last_manager(membership),
            "is_self": membership.user_id == request.user.pk,
        }
        return render(request, "portal/member_remove_confirm.html", context)
    try:
        services.membership_remove(membership=membership, by=request.user)
    except services.PortalError as error:
        messages.error(request, str(error))
        return redirect("portal:team", org_slug=organization.slug)
    if membership.user_id == request.user.pk:
        messages.success(request, f"You left {organization.name}.")
        return redirect("portal:dashboard")
    messages.success(
        request,
        f"{membership.user.email} no longer has access to {organization.name}. We emailed them to say so.",
    )
    return redirect("portal:team", org_slug=organization.slug)


@login_required
@require_POST
def invitation_revoke(request, org_slug, pk):
    organization = get_organization_for_user_or_404(user=request.user, slug=org_slug, capability=MANAGE_TEAM)
    invitation = get_invitation_in_organization_or_404(organization=organization, pk=pk)
    services.invitation_revoke(invitation=invitation)
    messages.success(request, f"The invitation for {invitation.email} was withdrawn.")
    return redirect("portal:team", org_slug=organization.slug)


def invitation_accept(request, token):
    invitation = selectors.invitation_from_token(token=token)
    if invitation is None:
        return render(request, "portal/invitation_invalid.html", status=404)
    if not request.user.is_authenticated:
        # Remembered so that signing up and verifying the address (which can
        # lose ?next=) still ends here (portal.adapters), and so that the
        # sign-up form fills in the invited address (portal.forms.SignupForm).
        services.invitation_remember(session=request.session, token=token)
        next_query = urlencode({"next": request.get_full_path()})
        context = {
            "invitation": invitation,
            "role_description": describe_role(invitation.role),
            "signup_url": f"{reverse('account_signup')}?{next_query}",
            "login_url": f"{reverse('account_login')}?{next_query}",
        }
        return render(request, "portal/invitation_accept.html", context)
    error = None
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except services.PortalError as exc:
            error = str(exc)
        else:
            services.invitation_forget(session=request.session)
            messages.success(request, f"You are now a member of {invitation.organization.name}.")
            return redirect("portal:dashboard")
    status = 400 if error else 200
    context = {"invitation": invitation, "error": error, "role_description": describe_role(invitation.role)}
    return render(request, "portal/invitation_accept.html", context, status=status)


# Claims ------------------------------------------------------------------


def _claim(request, *, program=None, organization=None):
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim, created = services.claim_create(
                user=request.user, program=program, organization=organization, **form.cleaned_data
            )
        except services.PortalError as error:
            messages.info(request, str(error))
            return redirect("portal:dashboard")
        if not created:
            messages.info(request, "You had already asked for this listing; we updated your request.")
        return redirect("portal:claim_detail", pk=claim.pk)
    already = selectors.user_manages(user=request.user, program=program, organization=organization)
    context = {
        "form": form,
        "program": program,
        "organization": organization,
        "already_manages": already,
        "websites": selectors.claim_websites(program=program, organization=organization),
    }
    return render(request, "portal/claim_form.html", context, status=400 if form.errors else 200)


@login_required
def claim_program(request, slug):
    program = Program.objects.published().select_related("organization").filter(slug=slug).first()
    if program is None:
        raise Http404("No published listing here.")
    return _claim(request, program=program)


@login_required
def claim_organization(request, slug):
    organization = Organization.objects.filter(slug=slug, programs__status=Program.Status.PUBLISHED).first()
    if organization is None:
        raise Http404("No organization here.")
    return _claim(request, organization=organization)


@login_required
def claim_detail(request, pk):
    claim = get_claim_for_user_or_404(user=request.user, pk=pk)
    return render(request, "portal/claim_detail.html", {"claim": claim})


# Inbox -------------------------------------------------------------------


@login_required
def inbox(request, org_slug):
    organization = get_organization_for_user_or_404(
        user=request.user, slug=org_slug, capability=ANSWER_INQUIRIES
    )
    form = InboxFilterForm(request.GET or None, organization=organization)
    filters = form.cleaned_data if form.is_valid() else {}
    inquiries = selectors.inbox_inquiries(
        organization=organization, program=filters.get("program"), status=filters.get("status")
    )
    page = Paginator(inquiries, 25).get_page(request.GET.get("page"))
    context = {
        "organization": organization,
        "form": form,
        "page": page,
        "query": _query_without_page(request),
    }
    return render(request, "portal/inbox.html", context, status=400 if form.errors else 200)


def _query_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _inquiry_page(request, organization, inquiry, *, status_form=None, note_form=None):
    contents = inquiry_open(inquiry=inquiry, user=request.user)
    inquiry.refresh_from_db()
    context = {
        "organization": organization,
        "inquiry": inquiry,
        "contents": contents,
        "status_form": status_form or InquiryStatusForm(initial={"status": inquiry.status}),
        "note_form": note_form or InquiryNoteForm(initial={"note": contents.center_note}),
    }
    invalid = (status_form and status_form.errors) or (note_form and note_form.errors)
    response = render(request, "portal/inquiry_detail.html", context, status=400 if invalid else 200)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def inquiry_detail(request, org_slug, pk):
    organization, inquiry = get_inquiry_for_user_or_404(user=request.user, org_slug=org_slug, pk=pk)
    return _inquiry_page(request, organization, inquiry)


@login_required
@require_POST
def inquiry_status(request, org_slug, pk):
    organization, inquiry = get_inquiry_for_user_or_404(user=request.user, org_slug=org_slug, pk=pk)
    form = InquiryStatusForm(request.POST)
    if not form.is_valid():
        return _inquiry_page(request, organization, inquiry, status_form=form)
    inquiry_set_status(inquiry=inquiry, status=form.cleaned_data["status"], user=request.user)
    messages.success(request, f"Inquiry {inquiry.reference} marked {inquiry.get_status_display().lower()}.")
    return redirect("portal:inquiry_detail", org_slug=organization.slug, pk=inquiry.pk)


@login_required
@require_POST
def inquiry_note(request, org_slug, pk):
    organization, inquiry = get_inquiry_for_user_or_404(user=request.user, org_slug=org_slug, pk=pk)
    form = InquiryNoteForm(request.POST)
    if not form.is_valid():
        return _inquiry_page(request, organization, inquiry, note_form=form)
    inquiry_set_note(inquiry=inquiry, note=form.cleaned_data["note"], user=request.user)
    messages.success(request, "Note saved.")
    return redirect("portal:inquiry_detail", org_slug=organization.slug, pk=inquiry.pk)
