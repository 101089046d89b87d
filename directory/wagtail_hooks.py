"""Staff admin for the directory, in Wagtail: listings, organizations and
each vocabulary under one "Directory" menu. Programs are snippets with
revisions (RevisionMixin), so every edit keeps a revision and a log entry
that Wagtail shows as the listing's history; there is no history table of
our own."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.compare import M2MFieldComparison
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    MultiFieldPanel,
    ObjectList,
    Panel,
    TabbedInterface,
)
from wagtail.admin.ui.tables import Column
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import InspectView, SnippetViewSet, SnippetViewSetGroup

from config.workflow_actions import refuse_unexpected_workflow_action_data

from . import match_review, vocabularies
from .availability import AVAILABILITY_ACTION
from .importing import admin_views as import_admin_views
from .importing import jobs as import_jobs
from .merging import MERGE_ACTION
from .models import (
    CONTACTABLE,
    US_STATES,
    FieldProvenance,
    LevelOfCare,
    ListingSafetyCase,
    Organization,
    ProblemReport,
    Program,
    is_mental_health_only,
)
from .provenance import STAFF_SOURCE, program_provenance_record
from .review.contact_alert import contact_field_label
from .review.contacts import (
    CONTACT_RESTORED_ACTION,
    CONTACT_UNFROZEN_ACTION,
    duplicate_contacts,
    listing_safety_case_close,
)
from .services import program_geocode
from .tasks import CONTACT_CHANGE_ACTION

checkboxes = forms.CheckboxSelectMultiple

# Bulk imports do not feed Wagtail's search index, so the admin searches
# with plain database queries on these fields instead.
PROGRAM_SEARCH_FIELDS = ["name", "alternate_name", "city", "zip_code", "phone", "external_id", "slug"]


class ProgramFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(field_name="state", choices=US_STATES)
    status = django_filters.ChoiceFilter(field_name="status", choices=Program.Status.choices)
    levels_of_care = django_filters.ModelMultipleChoiceFilter(
        field_name="levels_of_care",
        queryset=LevelOfCare.objects.all(),
        widget=checkboxes,
        label="Level of care",
    )
    verified = django_filters.BooleanFilter(
        field_name="verified_at", lookup_expr="isnull", exclude=True, label="Verified"
    )
    coordinate_flag = django_filters.ChoiceFilter(
        field_name="coordinate_flag", choices=Program.CoordinateFlag.choices, label="Coordinates"
    )
    source = django_filters.ChoiceFilter(field_name="source", choices=Program.Source.choices)
    is_sample = django_filters.BooleanFilter(field_name="is_sample", label="Sample data")
    # Listings families cannot reach: never in search (models.CONTACTABLE).
    incomplete = django_filters.BooleanFilter(
        method="filter_incomplete",
        label="Incomplete (no phone or website)",
        help_text="Yes: no main, intake or hotline phone and no website; not shown in search.",
    )
    otp_status = django_filters.ChoiceFilter(
        method="filter_otp_status",
        choices=[("any", "Any SAMHSA-certified OTP"), *Program.OtpStatus.choices[1:]],
        label="OTP certification",
    )
    otp_missing = django_filters.BooleanFilter(
        field_name="otp_missing_since",
        lookup_expr="isnull",
        exclude=True,
        label="Not in the latest OTP directory",
    )
    mental_health_only = django_filters.BooleanFilter(
        method="filter_mental_health_only", label="Mental health only (locator facility type)"
    )

    class Meta:
        model = Program
        fields = []

    def filter_incomplete(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(~CONTACTABLE) if value else queryset.filter(CONTACTABLE)

    def filter_otp_status(self, queryset, name, value):
        if not value:
            return queryset
        queryset = queryset.filter(otp_certified=True)
        return queryset if value == "any" else queryset.filter(otp_status=value)

    def filter_mental_health_only(self, queryset, name, value):
        if value is None:
            return queryset
        types = Program.objects.exclude(facility_type="").values_list("facility_type", flat=True).distinct()
        mental_health = [kind for kind in types if is_mental_health_only(kind)]
        return (
            queryset.filter(facility_type__in=mental_health)
            if value
            else queryset.exclude(facility_type__in=mental_health)
        )


class ProgramAdminForm(WagtailAdminModelForm):
    """Fills in coordinates from the ZIP code when staff leave them empty
    (offline, the ZIP centroid), fixes swapped ones and flags far ones.
    Done while cleaning, because Wagtail validates the form again when it
    saves."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A draft's links live in its revision, not in the join tables.
        pending = getattr(self.instance, "_pending_links", None) or {}
        for name, ids in pending.items():
            if name in self.fields and not self.is_bound:
                self.initial[name] = ids

    def save(self, commit=True):
        instance = super().save(commit=commit)
        if not commit:
            # Wagtail saves a live listing's edit as a revision without
            # touching the row: carry the chosen links into the revision.
            links = instance.current_links()
            for name in Program.LINK_FIELDS:
                if name in self.cleaned_data:
                    links[name] = sorted(term.pk for term in self.cleaned_data[name])
            instance._pending_links = links
        return instance

    def _post_clean(self):
        super()._post_clean()
        typed = {"latitude", "longitude"} & set(self.changed_data)
        if typed and self.cleaned_data.get("latitude") is not None:
            self.instance.coordinate_flag = ""  # a person placed it: no longer the ZIP centroid
        program_geocode(program=self.instance)
        # Saved after the instance (hooks below): these values now come from staff.
        self.instance._staff_changed = [
            name for name in self.changed_data if name in self.fields and not self.fields[name].disabled
        ]


# A reviewer's "Approve" / "Request changes" on the listing's edit screen
# carries only what the task's own action form declares
# (config/workflow_actions.py; every snippet edit screen).
hooks.register("before_edit_snippet", refuse_unexpected_workflow_action_data)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def record_staff_provenance(request, instance):
    if isinstance(instance, Program) and getattr(instance, "_staff_changed", None):
        program_provenance_record(program_id=instance.pk, fields=instance._staff_changed, source=STAFF_SOURCE)


class VocabularyLinksComparison(M2MFieldComparison):
    """One vocabulary's terms in two versions of a listing, by name, for
    History -> Compare and the reviewer's comparisons. A version's links are
    in its revision (Program.link_ids); Wagtail's own many-to-many
    comparison reads the live join table for both versions, so it never
    showed a vocabulary change."""

    def __init__(self, field, obj_a, obj_b):
        self.field = field
        ids_a, ids_b = obj_a.link_ids(field.name), obj_b.link_ids(field.name)
        model = field.related_model
        terms = {term.pk: term for term in model.objects.filter(pk__in={*ids_a, *ids_b})}  # vocabulary order
        order = {pk: n for n, pk in enumerate(terms)}

        def version(ids):
            # A term deleted since the revision was saved has no name left.
            deleted = f"(deleted {model._meta.verbose_name})"
            found = [terms.get(pk) or model(pk=pk, name=deleted) for pk in ids]
            return sorted(found, key=lambda term: (order.get(term.pk, len(order)), term.pk))

        self.val_a, self.val_b = version(ids_a), version(ids_b)


class VocabularyPanel(FieldPanel):
    """A vocabulary's checkboxes; compared by the terms each version links."""

    def __init__(self, field_name, **kwargs):
        kwargs.setdefault("widget", checkboxes)
        super().__init__(field_name, **kwargs)

    def get_comparison_class(self):
        return VocabularyLinksComparison


# Vocabularies edited on the Verification tab (the program page shows them
# under "Licensing and verification"); every other one of the registry is
# on the Services tab, searchable ones first.
VERIFICATION_VOCABULARIES = ("accreditations",)


def vocabulary_panels(vocabulary_list) -> list[VocabularyPanel]:
    return [
        VocabularyPanel(v.relation) for v in vocabulary_list if v.relation not in VERIFICATION_VOCABULARIES
    ]


class ContactCheckPanel(HelpPanel):
    """Warns the reviewer when this version's phone numbers or website are
    already used by another organization's listing (hijack pattern)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("template", "directory/admin/contact_check_panel.html")
        super().__init__(**kwargs)

    class BoundPanel(HelpPanel.BoundPanel):
        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["duplicates"] = duplicate_contacts(self.instance) if self.instance.pk else []
            return context


def provenance_html(program) -> str:
    """Which source and file set each of a listing's values, and when."""
    provenance = FieldProvenance.objects.filter(program_id=program.pk).first() if program.pk else None
    return render_to_string(
        "directory/admin/provenance.html", {"rows": provenance.rows() if provenance else []}
    )


class ProvenancePanel(Panel):
    """Read-only: where the listing's values came from (imports, staff, the center)."""

    class BoundPanel(Panel.BoundPanel):
        def render_html(self, parent_context=None):
            return provenance_html(self.instance)


class ProgramInspectView(InspectView):
    def get_fields(self):
        return [*super().get_fields(), "provenance"]

    def get_field_label(self, field_name, field):
        if field_name == "provenance":
            return "Provenance"
        return super().get_field_label(field_name, field)

    def get_provenance_display_value(self):
        return provenance_html(self.object)


class ProgramViewSet(SnippetViewSet):
    model = Program
    icon = "site"
    menu_label = "Listings"
    list_display = ["name", "city", "state", "status", "accepting_clients", "verified_at", "updated_at"]
    list_per_page = 50
    filterset_class = ProgramFilterSet
    search_fields = PROGRAM_SEARCH_FIELDS
    search_backend_name = None
    ordering = ["name"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = ProgramInspectView

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    ContactCheckPanel(heading="Contact check"),
                    FieldPanel("name"),
                    FieldPanel("alternate_name"),
                    FieldPanel("slug"),
                    FieldPanel("organization"),
                    FieldPanel("status"),
                    FieldPanel("description"),
                    FieldPanel("hours"),
                ],
                heading="Listing",
            ),
            ObjectList(
                [
                    MultiFieldPanel(
                        [
                            FieldPanel("street1"),
                            FieldPanel("street2"),
                            FieldRowPanel([FieldPanel("city"), FieldPanel("state"), FieldPanel("zip_code")]),
                            FieldPanel("county"),
                        ],
                        heading="Address",
                    ),
                    MultiFieldPanel(
                        [
                            FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                            FieldPanel("coordinate_flag", read_only=True),
                        ],
                        heading="Map position",
                        help_text="Leave empty to use the centre of the ZIP code.",
                    ),
                    MultiFieldPanel(
                        [
                            FieldPanel("phone"),
                            FieldPanel("intake_phone"),
                            FieldPanel("hotline_phone"),
                            FieldPanel("website"),
                            FieldPanel("inquiry_email"),
                        ],
                        heading="Contact",
                    ),
                ],
                heading="Address and contact",
            ),
            ObjectList(
                [
                    *vocabulary_panels(vocabularies.VOCABULARIES),
                    FieldPanel("offers_telehealth"),
                    *vocabulary_panels(vocabularies.DESCRIPTIVE),
                ],
                heading="Services",
            ),
            ObjectList(
                [
                    FieldPanel("accepting_clients"),
                    FieldPanel("open_beds"),
                    FieldPanel("availability_updated_at"),
                ],
                heading="Availability",
            ),
            ObjectList(
                [
                    FieldRowPanel([FieldPanel("license_number"), FieldPanel("license_state")]),
                    MultiFieldPanel(
                        [
                            FieldPanel("otp_certified"),
                            FieldRowPanel([FieldPanel("otp_status"), FieldPanel("otp_certified_on")]),
                            FieldRowPanel([FieldPanel("otp_listed_on"), FieldPanel("otp_missing_since")]),
                        ],
                        heading="SAMHSA opioid treatment program (OTP) certification",
                        help_text="From SAMHSA's OTP directory. 'Not in the OTP directory of' is set when "
                        "a newer complete directory does not list the program: its page then shows the "
                        "certification as unconfirmed. Clear it once you have checked.",
                    ),
                    *[VocabularyPanel(name) for name in VERIFICATION_VOCABULARIES],
                    FieldRowPanel([FieldPanel("verified_at"), FieldPanel("verified_by")]),
                ],
                heading="Verification",
            ),
            ObjectList(
                [
                    FieldPanel("source"),
                    FieldPanel("external_id"),
                    FieldPanel("facility_type"),
                    FieldPanel("is_sample"),
                    ProvenancePanel(),
                ],
                heading="Source",
            ),
        ],
        base_form_class=ProgramAdminForm,
    )


class OrganizationViewSet(SnippetViewSet):
    model = Organization
    icon = "group"
    menu_label = "Organizations"
    list_display = ["name", "website", "updated_at"]
    search_fields = ["name", "slug"]
    search_backend_name = None
    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("website")]


TERM_PANELS = ["name", "slug", "description", "sort_order", "samhsa_codes"]


def term_extra_fields(term_model) -> list[str]:
    """A vocabulary's own fields beyond every term's (ASAM level, kind...)."""
    return [f.name for f in term_model._meta.concrete_fields if f.name not in {"id", *TERM_PANELS}]


def term_viewset(term_model, *, icon="tag"):
    """A small viewset per vocabulary: staff can add and reword terms;
    slugs are what URLs and imports rely on, so change them with care."""
    extra = term_extra_fields(term_model)
    return type(
        f"{term_model.__name__}ViewSet",
        (SnippetViewSet,),
        {
            "model": term_model,
            "icon": icon,
            "menu_label": term_model._meta.verbose_name_plural.capitalize(),
            "list_display": ["name", "slug", *extra, "sort_order"],
            "search_fields": ["name", "slug", "description"],
            "search_backend_name": None,
            "ordering": ["sort_order", "name"],
            "panels": [FieldPanel(name) for name in [*TERM_PANELS, *extra]],
        },
    )


class ProblemReportViewSet(SnippetViewSet):
    """Reports from the public "Report a problem with this listing" form."""

    model = ProblemReport
    icon = "warning"
    menu_label = "Problem reports"
    list_display = ["program", "kind", "status", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["details", "program__name"]
    search_backend_name = None
    ordering = ["-created_at"]
    panels = [
        FieldPanel("program", read_only=True),
        FieldPanel("kind", read_only=True),
        FieldPanel("details", read_only=True),
        FieldPanel("contact_email", read_only=True),
        FieldPanel("status"),
        FieldPanel("resolved_at"),
    ]


class SafetyCasePermissionPolicy(ModelPermissionPolicy):
    """Nobody adds a safety case by hand, superusers included: a case is
    opened by the alert's "This was not us" link, with the alert and the
    values it put back (a hand-made one would have neither; its form could
    only fail). Staff open, note and close the cases there are."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action != "add"]
        if not actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)


# Registered before the viewset below asks for the model's policy.
register_permission_policy(ListingSafetyCase, SafetyCasePermissionPolicy(ListingSafetyCase))


def program_history_link(case) -> str:
    url = reverse(ProgramViewSet().get_url_name("history"), args=[case.program_id])
    return format_html('<a href="{}">History of {}</a>', url, case.program.name)


class SafetyCasePanel(Panel):
    """Read-only: what the report put back, who reported it, the history link."""

    class BoundPanel(Panel.BoundPanel):
        def render_html(self, parent_context=None):
            case = self.instance
            if not case.pk:
                return ""
            rows = [
                (contact_field_label(name), values[0], values[1]) for name, values in case.restored.items()
            ]
            return render_to_string(
                "directory/admin/safety_case.html",
                {"case": case, "rows": rows, "history": program_history_link(case)},
            )


class SafetyCaseForm(WagtailAdminModelForm):
    """Staff close a case; closing may let the center change the listing's
    contact details again (directory.review.contacts.listing_safety_case_close)."""

    unfreeze = forms.BooleanField(
        required=False,
        label="Let the center change the contact details again",
        help_text="When closing: unlock the listing's contact details in the center portal.",
    )

    def save(self, commit=True):
        was_open = ListingSafetyCase.objects.filter(
            pk=self.instance.pk, status=ListingSafetyCase.Status.OPEN
        ).exists()
        case = super().save(commit=False)
        if was_open and case.status == ListingSafetyCase.Status.CLOSED:
            listing_safety_case_close(case=case, user=self.for_user, unfreeze=self.cleaned_data["unfreeze"])
        elif commit:
            case.save()
        return case


class ListingSafetyCaseViewSet(SnippetViewSet):
    """Reports of a contact change "not made by us" (the alert's link): the
    contact details were put back and locked; staff look into it and close
    the case."""

    model = ListingSafetyCase
    icon = "warning"
    menu_label = "Listing safety cases"
    list_display = [
        "program",
        "status",
        "opened_at",
        Column("history", label="History", accessor=program_history_link),
    ]
    list_filter = ["status"]
    search_fields = ["program__name"]
    search_backend_name = None
    ordering = ["-opened_at"]
    edit_handler = ObjectList(
        [
            SafetyCasePanel(heading="What was reported"),
            FieldPanel("status"),
            FieldPanel("unfreeze"),
            FieldPanel("staff_note"),
        ],
        base_form_class=SafetyCaseForm,
    )


class DirectoryViewSetGroup(SnippetViewSetGroup):
    menu_label = "Directory"
    menu_icon = "site"
    menu_order = 150
    items = (
        ProgramViewSet,
        ProblemReportViewSet,
        ListingSafetyCaseViewSet,
        OrganizationViewSet,
        # One per vocabulary of the registry, in its order.
        *(term_viewset(vocabulary.model) for vocabulary in vocabularies.all_vocabularies()),
    )


register_snippet(DirectoryViewSetGroup)


@hooks.register("register_log_actions")
def register_directory_log_actions(actions):
    actions.register_action(AVAILABILITY_ACTION, "Availability updated", "Availability updated")
    actions.register_action(CONTACT_CHANGE_ACTION, "Contact details changed", "Contact details changed")
    restored = "Contact details restored after a report"
    actions.register_action(CONTACT_RESTORED_ACTION, restored, restored)
    unlocked = "Contact details unlocked for the center"
    actions.register_action(CONTACT_UNFROZEN_ACTION, unlocked, unlocked)


class MergeLogFormatter(LogFormatter):
    """The survivor's history names each listing merged into it."""

    label = "Listings merged"

    def format_message(self, log_entry):
        data = log_entry.data or {}
        return (
            f"Merged listing '{data.get('merged_name', '?')}' ({data.get('merged_slug', '?')}) into this one"
        )


@hooks.register("register_log_actions")
def register_merge_log_action(actions):
    actions.register_action(MERGE_ACTION)(MergeLogFormatter)


# Facility identity (issue 21): the match review queue and "Merge into one listing".
hooks.register("register_bulk_action", match_review.MergeBulkAction)


@hooks.register("register_admin_urls")
def register_match_review_urls():
    return [path("", include((match_review.admin_urls(), "directory_match_review")))]


@hooks.register("register_admin_menu_item")
def register_match_review_menu_item():
    return match_review.menu_item()


# --- Facility file upload (directory/importing/admin_views.py) ----------------------
# Who may import: staff with the "Can import facilities" permission
# (directory.import_facilities; superusers have it), given to a group under
# Settings -> Groups. Not the listing add/change permission: an import writes
# thousands of listings at once.


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("facility-imports/", import_admin_views.import_index, name="directory_imports"),
        path("facility-imports/upload/", import_admin_views.import_upload, name="directory_import_upload"),
        path("facility-imports/<int:pk>/", import_admin_views.import_job, name="directory_import_job"),
        path(
            "facility-imports/<int:pk>/report/<slug:kind>.csv",
            import_admin_views.import_job_report,
            name="directory_import_report",
        ),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return import_jobs.can_import(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem("Import facilities", reverse("directory_imports"), icon_name="upload", order=155)


@hooks.register("register_permissions")
def register_import_permission():
    return Permission.objects.filter(content_type__app_label="directory", codename="import_facilities")
