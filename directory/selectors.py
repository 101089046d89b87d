"""Reads for the directory: the search (results, total, facet counts) and
program pages. Views call these; query logic lives here, not in views."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch

from .filters import ProgramFilter, TermFilter, within_radius
from .models import Program
from .places import Place

PAGE_SIZE = 20
MAX_PAGE = 500  # deeper pages are clamped: nobody reads 10,000 results


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    help: str = ""


@dataclass
class SearchResult:
    filterset: ProgramFilter
    page: Page | None
    total: int
    facets: dict[str, list[FacetOption]] = field(default_factory=dict)
    place: Place | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def form(self):
        return self.filterset.form


def program_base_queryset():
    return Program.objects.published()


def with_card_details(queryset):
    """What a result card shows, in a fixed number of queries."""
    from .models import LevelOfCare, Medication, PaymentOption

    return queryset.select_related("organization").prefetch_related(
        Prefetch("levels_of_care", queryset=LevelOfCare.objects.all()),
        Prefetch("medications", queryset=Medication.objects.all()),
        Prefetch("payment_options", queryset=PaymentOption.objects.all()),
    )


def program_search(
    *, data, page_number=1, with_facets=True, page_size=PAGE_SIZE, details=None
) -> SearchResult:
    filterset = ProgramFilter(data or None, queryset=program_base_queryset())
    if filterset.is_bound and not filterset.is_valid():
        return SearchResult(filterset=filterset, page=None, total=0, notices=filterset.form.notices)
    queryset = filterset.qs
    total = queryset.count()
    paginator = Paginator((details or with_card_details)(queryset), page_size, allow_empty_first_page=True)
    paginator.count = total  # already counted; saves a query
    page = paginator.get_page(min(clamp_page(page_number), MAX_PAGE))
    result = SearchResult(
        filterset=filterset,
        page=page,
        total=total,
        place=filterset.place,
        notices=filterset.form.notices if filterset.is_bound else [],
    )
    if with_facets:
        result.facets = facet_counts(filterset)
    return result


def clamp_page(value):
    try:
        return max(1, int(str(value)[:6]))
    except (TypeError, ValueError):
        return 1


def facet_counts(filterset: ProgramFilter) -> dict[str, list[FacetOption]]:
    """For every option, how many results choosing it would give: the search
    without its own group's filter, grouped by term (one query per group)."""
    cleaned = filterset.form.cleaned_data if filterset.is_bound else {}
    facets = {}
    base = program_base_queryset()
    for name, search_filter in filterset.filters.items():
        if isinstance(search_filter, TermFilter):
            facets[name] = term_facet(filterset, name, search_filter, cleaned.get(name) or [], base)
    for name, condition in ProgramFilter.FLAGS.items():
        others = filterset.filter_queryset(base, exclude={name}) if filterset.is_bound else base
        facets[name] = [
            FacetOption(
                value="1",
                label=filterset.filters[name].label,
                count=others.filter(condition).count(),
                selected=bool(cleaned.get(name)),
            )
        ]
    return facets


def term_facet(filterset, name, search_filter, selected, base):
    relation = getattr(Program, search_filter.relation)
    through = relation.through
    term_model = relation.rel.model
    target = relation.field.m2m_reverse_field_name()
    others = filterset.filter_queryset(base, exclude={name}) if filterset.is_bound else base
    counts = dict(
        through.objects.filter(program_id__in=others.values("pk"))
        .values_list(f"{target}__slug")
        .annotate(n=Count("program_id"))
        .values_list(f"{target}__slug", "n")
    )
    return [
        FacetOption(
            value=term.slug,
            label=term.name,
            count=counts.get(term.slug, 0),
            selected=term.slug in selected,
            help=term.description,
        )
        for term in term_model.objects.all()
    ]


def program_detail_queryset():
    return (
        Program.objects.public()
        .select_related("organization", "verified_by")
        .prefetch_related(
            "levels_of_care", "medications", "payment_options", "populations", "languages", "accreditations"
        )
    )


def nearby_programs(*, program: Program, limit=5, miles=50):
    """Published programs near this one offering at least one of its levels
    of care, nearest first (none if it has no coordinates)."""
    if program.latitude is None or program.longitude is None:
        return Program.objects.none()
    place = Place(program.city, program.latitude, program.longitude)
    level_ids = [level.pk for level in program.levels_of_care.all()]
    candidates = within_radius(program_base_queryset().exclude(pk=program.pk), place, miles)
    if level_ids:
        through = Program.levels_of_care.through
        candidates = candidates.filter(
            Exists(through.objects.filter(program_id=OuterRef("pk"), levelofcare_id__in=level_ids))
        )
    return with_card_details(candidates.order_by("distance", "name"))[:limit]


MAX_CSV_ROWS = 20_000


def with_export_details(queryset):
    return queryset.select_related("organization").prefetch_related(
        "levels_of_care", "medications", "payment_options", "populations", "languages", "accreditations"
    )


def program_address(program: Program) -> str:
    parts = [program.street1, program.street2, program.city, f"{program.state} {program.zip_code}"]
    return ", ".join(part for part in parts if part)


def directions_url(*, program: Program) -> str:
    """A plain link that map apps (and Apple/Google map sites) open with the
    address filled in; no map is embedded in our pages."""
    return "https://maps.apple.com/?" + urlencode({"daddr": program_address(program)})


def program_json_ld(*, program: Program, url: str) -> dict:
    """schema.org description of the listing for search engines."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "name": program.name,
        "url": url,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": ", ".join(p for p in [program.street1, program.street2] if p),
            "addressLocality": program.city,
            "addressRegion": program.state,
            "postalCode": program.zip_code,
            "addressCountry": "US",
        },
        "availableService": [
            {"@type": "MedicalTherapy", "name": level.name} for level in program.levels_of_care.all()
        ],
    }
    if program.alternate_name:
        data["alternateName"] = program.alternate_name
    if program.phone:
        data["telephone"] = program.phone
    if program.latitude is not None and program.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": program.latitude,
            "longitude": program.longitude,
        }
    if program.website:
        data["sameAs"] = program.website
    if program.is_closed:
        data["description"] = "This program has closed."
    return data
