"""Staff admin for facility identity (issue 21): the match review queue
(possible duplicates from imports and `merge_duplicates`, side by side, with
"Same facility: merge" / "Different facilities: keep separate") and the
listings' bulk action "Merge into one listing". Registered by wagtail_hooks;
the work is in merging.py."""

from django import forms
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import classproperty
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from .merging import MergeError, programs_merge, review_decide
from .models import FieldProvenance, MatchReview, Program

PERMISSION = "directory.change_program"
# Shown side by side: what identifies a listing and how families reach it.
COMPARED = (
    ("name", "Name"), ("alternate_name", "Second name / DBA"), ("street1", "Street"), ("street2", "Line 2"),
    ("city", "City"), ("state", "State"), ("zip_code", "ZIP"), ("phone", "Phone"),
    ("intake_phone", "Intake"), ("website", "Website"), ("external_id", "Source id"),
)  # fmt: skip


def _provenance_of(program) -> dict:
    if program is None:
        return {}
    return FieldProvenance.objects.filter(program=program).values_list("fields", flat=True).first() or {}


@permission_required(PERMISSION, raise_exception=True)
def review_index(request):
    status = request.GET.get("status", MatchReview.Status.PENDING)
    if status not in MatchReview.Status.values:
        status = MatchReview.Status.PENDING
    reviews = MatchReview.objects.filter(status=status).select_related("candidate", "incoming_program")
    page = Paginator(reviews.order_by("-created_at", "-pk"), 50).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "directory/admin/match_review_index.html",
        {"page": page, "status": status, "statuses": MatchReview.Status.choices},
    )


@permission_required(PERMISSION, raise_exception=True)
def review_detail(request, pk):
    review = get_object_or_404(MatchReview.objects.select_related("candidate", "incoming_program"), pk=pk)
    candidate, draft = review.candidate, review.incoming_program
    origin = _provenance_of(candidate)
    rows = []
    for name, label in COMPARED:
        theirs = review.incoming.get(name, getattr(draft, name, "") if draft else "")
        mine = getattr(candidate, name, "") if candidate else ""
        stamp = origin.get(name) or {}
        rows.append(
            {
                "label": label,
                "incoming": theirs or "",
                "existing": mine or "",
                "differs": (theirs or "") != (mine or ""),
                "existing_source": " ".join(filter(None, [stamp.get("source"), stamp.get("as_of")])),
            }
        )
    return TemplateResponse(
        request,
        "directory/admin/match_review_detail.html",
        {"review": review, "rows": rows, "candidate": candidate, "draft": draft},
    )


@require_POST
@permission_required(PERMISSION, raise_exception=True)
def review_decide_view(request, pk):
    review = get_object_or_404(MatchReview, pk=pk)
    same = request.POST.get("decision") == "same"
    try:
        review_decide(review=review, same=same, user=request.user)
    except MergeError as exc:
        messages.error(request, str(exc))
        return redirect("directory_match_review:detail", pk=review.pk)
    if same:
        messages.success(request, "Merged into one listing. The decision is remembered for the next import.")
    else:
        messages.success(request, "Kept as two listings. The decision is remembered for the next import.")
    return redirect("directory_match_review:index")


def admin_urls():
    return [
        path("directory/match-review/", review_index, name="index"),
        path("directory/match-review/<int:pk>/", review_detail, name="detail"),
        path("directory/match-review/<int:pk>/decide/", review_decide_view, name="decide"),
    ]


class MatchReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)

    def get_context(self, request):
        context = super().get_context(request)
        pending = MatchReview.objects.filter(status=MatchReview.Status.PENDING).count()
        if pending:
            context["label"] = f"{self.label} ({pending})"
        return context


def menu_item():
    return MatchReviewMenuItem(
        "Possible duplicates", reverse("directory_match_review:index"), icon_name="doc-full", order=151
    )


# --- "Merge into one listing" on the listings' bulk actions ------------------------------


class MergeForm(forms.Form):
    survivor = forms.TypedChoiceField(
        label="Listing that stays", coerce=int, widget=forms.RadioSelect,
        help_text="Its address stays; the others' addresses redirect to it. Every field keeps its best value "
        "by provenance (newest data; the center's or staff's over an older file).",
    )  # fmt: skip


class MergeBulkAction(SnippetBulkAction):
    display_name = "Merge into one listing"
    action_type = "merge"
    aria_label = "Merge the selected listings into one"
    template_name = "directory/admin/confirm_bulk_merge.html"
    action_priority = 40
    form_class = MergeForm

    @classproperty
    def models(cls):
        return [Program]

    def check_perm(self, obj):
        user = self.request.user
        return user.has_perm("directory.change_program") and user.has_perm("directory.delete_program")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        objects, _ = self.get_actionable_objects()
        form.fields["survivor"].choices = [(p.pk, f"{p} – {p.slug}") for p in objects]
        return form

    def prepare_action(self, objects, objects_without_access):
        if len(objects) < 2:
            messages.error(self.request, "Choose at least two listings to merge.")
            return redirect(self.next_url)

    @classmethod
    def execute_action(cls, objects, user=None, survivor=None, **kwargs):
        chosen = next(p for p in objects if p.pk == survivor)
        result = programs_merge(survivor=chosen, merged=[p for p in objects if p.pk != survivor], user=user)
        return len(result.merged), 0

    def get_execution_context(self):
        return {"user": self.request.user, "survivor": self.cleaned_form.cleaned_data["survivor"]}

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"Merged {num_parent_objects} listing(s) into one; their old addresses redirect to it."
