"""Center portal pages. Every object is loaded through portal.permissions,
so authorization is decided on the server in one place."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from directory.models import Organization, Program
from inquiries.services import inquiry_open, inquiry_set_note, inquiry_set_status

from . import members, selectors, services
from .forms import ClaimForm, InboxFilterForm, InquiryNoteForm, InquiryStatusForm, InvitationForm
from .models import Role
from .permissions import (
    get_claim_for_user_or_404,
    get_inquiry_for_user_or_404,
    get_invitation_in_organization_or_404,
    get_membership_in_organization_or_404,
    get_organization_for_user_or_404,
    get_program_for_user_or_404,
)


@login_required
def dashboard(request):
    context = {
        "organizations": selectors.dashboard_organizations(user=request.user),
        "claims": selectors.claims_for_user(user=request.user)[:20],
    }
    return render(request, "portal/dashboard.html", context)


@login_required
def program_stats(request, slug):
    program = get_program_for_user_or_404(user=request.user, slug_or_pk=slug)
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


@login_required
def team(request, org_slug):
    organization = get_organization_for_user_or_404(user=request.user, slug=org_slug)
    is_manager = members.is_manager(user=request.user, organization_id=organization.pk)
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        get_organization_for_user_or_404(user=request.user, slug=org_slug, role=Role.MANAGER)
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
    context = {
        "organization": organization,
        "is_manager": is_manager,
        "members": selectors.organization_members(organization=organization),
        "invitations": selectors.organization_open_invitations(organization=organization),
        "form": form,
    }
    return render(request, "portal/team.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def member_remove(request, org_slug, pk):
    organization = get_organization_for_user_or_404(user=request.user, slug=org_slug, role=Role.MANAGER)
    membership = get_membership_in_organization_or_404(organization=organization, pk=pk)
    try:
        services.membership_remove(membership=membership, by=request.user)
    except services.PortalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{membership.user.email} no longer has access to {organization.name}.")
    if membership.user_id == request.user.pk and not members.role_of(
        user=request.user, organization_id=organization.pk
    ):
        return redirect("portal:dashboard")
    return redirect("portal:team", org_slug=organization.slug)


@login_required
@require_POST
def invitation_revoke(request, org_slug, pk):
    organization = get_organization_for_user_or_404(user=request.user, slug=org_slug, role=Role.MANAGER)
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
        # lose ?next=) still ends here: portal.adapters.
        services.invitation_remember(session=request.session, token=token)
        return redirect_to_login(request.get_full_path())
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
    return render(
        request, "portal/invitation_accept.html", {"invitation": invitation, "error": error}, status=status
    )


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
    context = {"form": form, "program": program, "organization": organization, "already_manages": already}
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
    organization = get_organization_for_user_or_404(user=request.user, slug=org_slug)
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
