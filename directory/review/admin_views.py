"""The reviewer's page for a listing change, in the Wagtail admin
(registered by directory/wagtail_hooks.py): `/admin/listing-reviews/`
lists the changes waiting, `/admin/listing-reviews/<listing id>/` shows
one (screen.py: public and proposed values whole, side by side, marked in
words; evidence.py: what we know) with Approve / Request changes / Reject
(decisions.py). Only the review task's reviewers (the "Listing reviewers"
group and superusers) may open or act: anyone else with admin access gets
a 403; people without admin access never reach it (Wagtail's login)."""

from http import HTTPStatus

from django import forms
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.text import get_text_list
from wagtail.admin import messages

from directory.models import Program

from .decisions import (
    APPROVE,
    REJECT,
    REQUEST_CHANGES,
    StaleReview,
    can_review,
    listing_review_decide,
    user_reviews_listings,
)
from .evidence import review_evidence
from .screen import HeldChange, held_change, waiting_reviews

DECISIONS = [(APPROVE, "Approve"), (REQUEST_CHANGES, "Request changes"), (REJECT, "Reject")]
COMMENT_NEEDED = {
    REQUEST_CHANGES: "Say what the center should change: they receive this comment.",
    REJECT: "Say why the change is rejected: the center receives this comment.",
}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=DECISIONS)
    revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    comment = forms.CharField(
        required=False,
        max_length=2000,
        strip=True,
        label="Comment for the center",
        help_text="Required to request changes or reject; the center's members receive it by email "
        "(never your name).",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        needed = COMMENT_NEEDED.get(data.get("decision"))
        if needed and not data.get("comment"):
            self.add_error("comment", needed)
        return data


def _forbidden(request):
    return TemplateResponse(
        request, "directory/admin/listing_review_forbidden.html", {}, status=HTTPStatus.FORBIDDEN
    )


def _done_message(change: HeldChange, decision: str) -> str:
    labels = [label.lower() for label in change.changed_labels]
    what = get_text_list(labels, "and")
    name = change.program.name
    if decision == APPROVE:
        verb = "is" if len(labels) == 1 else "are"
        return f"Approved: the new {what} {verb} live on {name}."
    if decision == REQUEST_CHANGES:
        return f"Changes requested: {name} keeps its public {what}; the center was sent your comment."
    return f"Rejected: {name} keeps its public {what}; the proposal was dropped and the center was told why."


def review_index(request):
    if not user_reviews_listings(request.user):
        return _forbidden(request)
    return TemplateResponse(
        request, "directory/admin/listing_review_index.html", {"reviews": waiting_reviews()}
    )


def review_page(request, program_id):
    program = get_object_or_404(Program, pk=program_id)
    change = held_change(program)
    if change is None:
        if not user_reviews_listings(request.user):
            return _forbidden(request)
        return TemplateResponse(request, "directory/admin/listing_review.html", {"program": program})
    if not can_review(user=request.user, change=change):
        return _forbidden(request)
    status = HTTPStatus.OK
    form = DecisionForm(request.POST or None, initial={"revision": change.revision.pk})
    if request.method == "POST":
        if form.is_valid():
            decision = form.cleaned_data["decision"]
            try:
                listing_review_decide(
                    change=change,
                    user=request.user,
                    decision=decision,
                    revision_id=form.cleaned_data["revision"],
                    comment=form.cleaned_data["comment"],
                )
            except StaleReview:
                messages.error(
                    request,
                    "This change was updated, withdrawn or decided since you opened it: "
                    "nothing was done. Check it again below.",
                )
                return redirect(request.path)
            messages.success(request, _done_message(change, decision))
            return redirect("directory_listing_reviews")
        status = HTTPStatus.BAD_REQUEST
    context = {
        "program": program,
        "change": change,
        "evidence": review_evidence(change),
        "form": form,
        "decisions": DECISIONS,
    }
    return TemplateResponse(request, "directory/admin/listing_review.html", context, status=status)
