"""Staff review of listing claims, inside the Wagtail admin (Wagtail wraps
these views in its admin-access check; the claim permission is checked here)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from directory.models import Program

from . import selectors, services
from .forms import RefuseClaimForm
from .models import ListingClaim


def _require_permission(request):
    if not request.user.has_perm("portal.change_listingclaim"):
        raise PermissionDenied


def claim_index(request):
    _require_permission(request)
    status = request.GET.get("status", ListingClaim.Status.PENDING)
    if status not in ListingClaim.Status.values:
        status = ListingClaim.Status.PENDING
    claims = ListingClaim.objects.filter(status=status).select_related("user", "program", "organization")
    context = {"claims": claims[:200], "status": status, "statuses": ListingClaim.Status.choices}
    return render(request, "portal/admin/claim_index.html", context)


def claim_review(request, pk):
    _require_permission(request)
    claim = get_object_or_404(ListingClaim.objects.select_related("user", "program", "organization"), pk=pk)
    form = RefuseClaimForm(request.POST if request.POST.get("action") == "refuse" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "approve":
                services.claim_approve(claim=claim, reviewer=request.user)
                messages.success(request, f"Claim approved: {claim.user.email} now manages {claim.target}.")
                return redirect("portal_claims")
            if form.is_valid():
                services.claim_refuse(claim=claim, reviewer=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, f"Claim refused; {claim.user.email} is told why.")
                return redirect("portal_claims")
        except services.PortalError as error:
            messages.error(request, str(error))
    programs = (
        [claim.program] if claim.program else list(Program.objects.filter(organization=claim.organization))
    )
    context = {
        "claim": claim,
        "form": form,
        "programs": programs,
        "domain_matches": selectors.claim_email_domain_matches(claim=claim),
        "websites": selectors.claim_websites(program=claim.program, organization=claim.organization),
        "other_claims": selectors.pending_claims()
        .exclude(pk=claim.pk)
        .filter(program=claim.program, organization=claim.organization),
    }
    return render(request, "portal/admin/claim_review.html", context, status=400 if form.errors else 200)
