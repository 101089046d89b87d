"""A center's own listing: edit (held fields go to staff review) and
availability in one click. Objects come through portal.permissions."""

from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from directory.availability import program_set_availability
from directory.models import Program
from directory.review.workflow import (
    changes_requested_comment,
    pending_changes,
    pending_revision,
    program_submit_changes,
)

from . import selectors
from .listing_forms import HELD, HELD_IN_WORDS, AvailabilityForm, ListingEditForm, field_label
from .permissions import EDIT_LISTINGS, get_program_for_user_or_404


def pending_summary(program):
    """[(label, live value, proposed value)] for the page, in plain words."""
    rows = []
    for name, (old, new) in pending_changes(program).items():
        if name in Program.REVIEWED_LINKS:
            model = Program._meta.get_field(name).related_model
            names = dict(model.objects.filter(pk__in=[*old, *new]).values_list("pk", "name"))
            old = ", ".join(names[pk] for pk in old) or "none"
            new = ", ".join(names[pk] for pk in new) or "none"
        rows.append((field_label(name), old or "(empty)", new or "(empty)"))
    return rows


FROZEN_MESSAGE = (
    "Contact details are locked while our staff look into a report that an earlier change "
    "was not made by your center. Write to {email} to change them."
)


def refuse_frozen_contact_changes(*, form, program) -> None:
    """A "This was not us" report locked the listing's contact details
    (Program.contact_changes_frozen, until staff close the case): a change
    to one is a form error on that field. Setting a waiting value back to
    the public one is no change and stays allowed."""
    email = settings.LISTING_SAFETY_EMAIL
    for name, value in form.changes().items():
        if name in Program.CONTACT_FIELDS and value != getattr(program, name):
            form.add_error(name, FROZEN_MESSAGE.format(email=email))


@login_required
def listing_edit(request, slug):
    program = get_program_for_user_or_404(user=request.user, slug_or_pk=slug, capability=EDIT_LISTINGS)
    waiting = pending_revision(program)
    shown = waiting.as_object() if waiting else program  # the form shows what is waiting
    links = shown.current_links() if waiting else None
    form = ListingEditForm(request.POST or None, instance=shown, links=links)
    if request.method == "POST" and form.is_valid() and program.contact_changes_frozen:
        refuse_frozen_contact_changes(form=form, program=program)
    if request.method == "POST" and form.is_valid():
        # "Submit again for review" (a second submit button, shown when the
        # reviewer requested changes): the held changes go back to the
        # reviewers even if this save leaves them as they are.
        result = program_submit_changes(
            program=program, data=form.changes(), user=request.user, resubmit="resubmit" in request.POST
        )
        if result.changes_requested:
            saved = (
                "Saved. Your changes are on the public page now."
                if result.published
                else "Nothing was changed."
            )
            messages.info(
                request,
                f"{saved} The changes our staff sent back were not sent for review again: "
                "correct them below, or choose “Submit again for review”.",
            )
        elif result.held:
            messages.success(
                request,
                f"Saved. Changes to {HELD_IN_WORDS} appear after our staff check them, "
                "usually within two business days.",
            )
        elif result.published:
            messages.success(request, "Saved. Your changes are on the public page now.")
        else:
            messages.info(request, "Nothing was changed.")
        return redirect("portal:listing_edit", slug=program.slug)
    status = HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK
    context = {
        "program": program,
        "form": form,
        "held": HELD,
        "held_in_words": HELD_IN_WORDS,
        "pending": pending_summary(program),
        # The reviewer sent the waiting changes back ("" without a comment).
        "changes_requested": changes_requested_comment(program),
        # A "This was not us" report locked the contact details: said up
        # front, not only as an error after saving.
        "frozen_notice": FROZEN_MESSAGE.format(email=settings.LISTING_SAFETY_EMAIL)
        if program.contact_changes_frozen
        else None,
        "frozen_fields": [field_label(name) for name in Program.CONTACT_FIELDS],
    }
    return render(request, "portal/listing_edit.html", context, status=status)


@login_required
@require_POST
def listing_availability(request, slug):
    program = get_program_for_user_or_404(user=request.user, slug_or_pk=slug, capability=EDIT_LISTINGS)
    form = AvailabilityForm(request.POST)
    back = (
        reverse("portal:dashboard")
        if request.POST.get("return_to") == "dashboard"
        else reverse("portal:program_stats", kwargs={"slug": program.slug})
    )
    if not form.is_valid():
        context = {
            "program": program,
            "stats": selectors.program_monthly_stats(program=program),
            "availability_form": form,
        }
        return render(request, "portal/program_stats.html", context, status=HTTPStatus.BAD_REQUEST)
    program_set_availability(
        program=program,
        accepting=form.cleaned_data["accepting"],
        open_beds=form.cleaned_data["open_beds"],
        user=request.user,
    )
    messages.success(request, f"Availability for {program.name} updated. The public page shows it now.")
    return redirect(f"{back}#availability-{program.pk}")
