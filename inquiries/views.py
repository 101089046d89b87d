"""Public inquiry pages: the form (on the program page and at its own URL),
POST/redirect/GET to a thank-you page, and the family's private status page
where they can delete the inquiry for good (after a confirmation page)."""

from http import HTTPStatus

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods

from config.ratelimit import count_rejected, form_attempts_limited, public_post_limited, too_many_requests
from config.site_url import absolute_url
from directory.models import Program
from directory.search import carried_search
from directory.selectors import program_detail_queryset

from . import selectors, services
from .forms import InquiryForm, Rejected

SESSION_KEY = "inquiry_token"


@sensitive_post_parameters()  # error reports never include what the family typed
@sensitive_variables()
@require_http_methods(["GET", "POST"])
def inquiry_create(request, slug):
    program = get_object_or_404(program_detail_queryset().filter(status=Program.Status.PUBLISHED), slug=slug)
    accepts = selectors.program_accepts_inquiries(program)
    # The search the family came from (directory/search/context.py): a hidden
    # field of the form, handed on to the thank-you page's address for its
    # nearby programs. Never stored with the inquiry.
    search_context = carried_search(request.POST if request.method == "POST" else request.GET)
    if request.method == "POST":
        # Every attempt counts toward a high limit; only an accepted inquiry
        # toward the usual one, so correcting a form never locks a family out.
        if form_attempts_limited(request, group="inquiry"):
            return _too_many(request, program, accepts)
        if not accepts:
            return render(
                request, "inquiries/form_page.html", {"program": program}, status=HTTPStatus.BAD_REQUEST
            )
        form = InquiryForm(request.POST, program=program)
        try:
            valid = form.is_valid()
        except Rejected as rejected:
            count_rejected("inquiry", rejected.reason)
            return render(
                request, "inquiries/rejected.html", {"program": program}, status=HTTPStatus.BAD_REQUEST
            )
        if valid:
            if public_post_limited(request, group="inquiry", program=program):
                return _too_many(request, program, accepts)
            inquiry = services.inquiry_create(
                program=program, data=form.inquiry_data(), idempotency_key=form.idempotency_key
            )
            request.session[SESSION_KEY] = inquiry.family_token
            return redirect(
                reverse("inquiries:thanks") + (search_context.link_query if search_context else "")
            )
        if form.rejected_reason:
            count_rejected("inquiry", form.rejected_reason)
        status = HTTPStatus.BAD_REQUEST
    else:
        form = InquiryForm(program=program) if accepts else None
        status = HTTPStatus.OK
    context = {"program": program, "form": form, "search_context": search_context}
    return render(request, "inquiries/form_page.html", context, status=status)


@sensitive_variables()
def _too_many(request, program, accepts):
    """The 429 page, with the form again holding what was typed (when the
    program takes inquiries), so nothing is lost while the family waits."""
    form = InquiryForm(program=program, initial=kept_answers(request.POST)) if accepts else None
    return too_many_requests(
        request, program=program, template_name="inquiries/429.html", context={"form": form}
    )


def kept_answers(data) -> dict:
    """What the family typed, as the form's initial values: every answer
    (not the honeypot nor the spent form token)."""
    return {name: data.get(name) for name in KEPT_FIELDS if data.get(name) not in (None, "")}


KEPT_FIELDS = [
    "name", "email", "phone", "contact_method", "best_time", "for_whom", "message",
    "send_confirmation", "consent",
]  # fmt: skip


@require_GET
def inquiry_thanks(request):
    token = request.session.get(SESSION_KEY, "")
    inquiry = selectors.inquiry_for_token(token)
    if inquiry is None:
        raise Http404("No inquiry was sent from this browser.")
    search_context = carried_search(request.GET)  # the search the family came from, if any
    context = {
        "inquiry": inquiry,
        "program": inquiry.program,
        "in_inbox": selectors.program_reads_inquiries(inquiry.program),
        "status_url": absolute_url(reverse("inquiries:status", args=[token]), request),
        "nearby": selectors.nearby_accepting_programs(program=inquiry.program, search=search_context),
        "search_context": search_context,
    }
    return render(request, "inquiries/thanks.html", context)


@require_http_methods(["GET", "POST"])
def inquiry_status(request, token):
    inquiry = selectors.inquiry_for_token(token)
    if inquiry is None:
        raise Http404("No inquiry has this link.")
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            # The status page's button asks first (a page, so it works
            # without JavaScript); only its "Yes" deletes.
            context = {"inquiry": inquiry, "program": inquiry.program}
            return render(request, "inquiries/delete_confirm.html", context)
        services.inquiry_delete_by_family(inquiry=inquiry)
        if request.session.get(SESSION_KEY) == token:
            del request.session[SESSION_KEY]
        return redirect("inquiries:deleted")
    context = {
        "inquiry": inquiry,
        "program": inquiry.program,
        "in_inbox": selectors.program_reads_inquiries(inquiry.program),
    }
    return render(request, "inquiries/status.html", context)


@require_GET
def inquiry_deleted(request):
    return render(request, "inquiries/deleted.html")
