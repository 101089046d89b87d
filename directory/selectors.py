"""Reads for the directory: the search (results, total, facet counts) and
program pages. Views call these; query logic lives here, not in views."""

from dataclasses import dataclass, field
from itertools import islice
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef

from . import facets
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
    dom_id: str = ""

    @property
    def count_display(self) -> str:
        # Pre-formatted: Django's number localization is slow over ~100 options.
        return f"{self.count:,}"


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
    """What a result card needs from SQL; its vocabulary terms come from the
    facet index (attach_card_terms), so a page costs no prefetch queries."""
    return queryset.select_related("organization")


CARD_RELATIONS = {
    "card_levels": "levels_of_care",
    "card_medications": "medications",
    "card_payments": "payment_options",
}
TERM_RELATIONS = [
    "levels_of_care", "medications", "payment_options", "populations", "languages", "accreditations",
]  # fmt: skip
ALL_RELATIONS = {f"terms_{name}": name for name in TERM_RELATIONS}


def attach_card_terms(programs, index=None, relations=CARD_RELATIONS) -> list:
    """Set card_levels / card_medications / card_payments (or the given
    attribute -> relation map) on each program from the in-memory index:
    no prefetch queries. Published programs only."""
    index = index or facets.current_index(flags=ProgramFilter.FLAGS)
    programs = list(programs)
    for attribute, relation in relations.items():
        model = getattr(Program, relation).rel.model
        bits_by_term = index.terms.get(relation, {})
        # Bytes, not big ints: testing one bit of a 100,000-bit int by
        # shifting copies the whole number.
        marks = {t.pk: facets.as_bytes(bits_by_term.get(t.pk, 0), index) for t in index.vocabularies[model]}
        for program in programs:
            pos = index.positions.get(program.pk)
            terms = []
            if pos is not None:
                terms = [t for t in index.vocabularies[model] if marks[t.pk][pos >> 3] >> (pos & 7) & 1]
            setattr(program, attribute, terms)
    return programs


def program_search(
    *, data, page_number=1, with_facets=True, page_size=PAGE_SIZE, relations=CARD_RELATIONS
) -> SearchResult:
    filterset = ProgramFilter(data or None, queryset=program_base_queryset())
    if filterset.is_bound and not filterset.is_valid():
        return SearchResult(filterset=filterset, page=None, total=0, notices=filterset.form.notices)
    counter = FacetCounter(filterset)
    total = counter.total()
    page_number = min(clamp_page(page_number), MAX_PAGE)
    page = counter.page(page_number, page_size, total)
    page.object_list = attach_card_terms(page.object_list, counter.index, relations)
    result = SearchResult(
        filterset=filterset,
        page=page,
        total=total,
        place=filterset.place,
        notices=filterset.form.notices if filterset.is_bound else [],
    )
    if with_facets:
        result.facets = counter.facets()
    return result


def clamp_page(value):
    try:
        return max(1, int(str(value)[:6]))
    except (TypeError, ValueError):
        return 1


class FacetCounter:
    """Counts for a search from the in-memory facet index (see facets.py):
    the total, and for every option how many results choosing it would
    give (the search without its own group's filter, AND the option)."""

    def __init__(self, filterset: ProgramFilter):
        self.filterset = filterset
        self.cleaned = filterset.cleaned
        self.term_filters = {n: f for n, f in filterset.filters.items() if isinstance(f, TermFilter)}
        self.index = facets.current_index(flags=ProgramFilter.FLAGS)
        self.terms = {
            name: self.index.vocabularies[getattr(Program, f.relation).rel.model]
            for name, f in self.term_filters.items()
        }
        self.masks = self._masks()

    def _masks(self) -> dict[str, int]:
        """One bitset per active filter; location and name together, from SQL."""
        masks = {}
        for name in self.term_filters:
            chosen = set(self.cleaned.get(name) or [])
            if chosen:
                mask = 0
                for term in self.terms[name]:
                    if term.slug in chosen:
                        mask |= self.index.terms[self.term_filters[name].relation].get(term.pk, 0)
                masks[name] = mask
        for name in ProgramFilter.FLAGS:
            if self.cleaned.get(name):
                masks[name] = self.index.flags[name]
        self.candidates = None
        text = " ".join((self.cleaned.get("q") or "").split())
        if text:
            # Name search runs over the index's in-memory names: a LIKE scan
            # of every row costs SQLite hundreds of ms at 100,000 programs.
            masks["q"] = self.index.bits_for_positions(self.index.text_positions(text))
        if self.filterset.place:
            # Location runs in SQL, once: matching ids nearest first, with
            # distances, from which the page is cut.
            sql_only = set(self.term_filters) | set(ProgramFilter.FLAGS) | {"q"}
            matching = self.filterset.filter_queryset(program_base_queryset(), exclude=sql_only)
            self.candidates = list(self.filterset.ordered(matching).values_list("pk", "distance"))
            masks["place"] = self.index.bits_for(pk for pk, _ in self.candidates)
        return masks

    def ordered_matches(self):
        """(pk, distance) of every result in result order, lazily: by
        distance from the SQL candidates, else by the index's name or
        verification order, keeping those whose bit is set."""
        marks = facets.as_bytes(self.bits(), self.index)
        if self.candidates is not None:
            positions = self.index.positions
            for pk, miles in self.candidates:
                pos = positions.get(pk)
                if pos is not None and marks[pos >> 3] >> (pos & 7) & 1:
                    yield pk, miles
            return
        ids = self.index.ids
        order = self.index.by_verified if self.filterset.sort_key == "verified" else self.index.by_name
        for pos in order:
            if marks[pos >> 3] >> (pos & 7) & 1:
                yield ids[pos], None

    def page(self, page_number, page_size, total):
        """One page of results: positions from the index, then one query
        for those rows (no OFFSET scans, whatever the page)."""
        page = Paginator(range(total), page_size, allow_empty_first_page=True).get_page(page_number)
        wanted = list(islice(self.ordered_matches(), (page.number - 1) * page_size, page.number * page_size))
        rows = {p.pk: p for p in with_card_details(Program.objects.filter(pk__in=[pk for pk, _ in wanted]))}
        for pk, miles in wanted:
            if pk in rows:
                rows[pk].distance = miles
        page.object_list = [rows[pk] for pk, _ in wanted if pk in rows]
        return page

    def bits(self, *, without=None) -> int:
        bits = self.index.everything
        for name, mask in self.masks.items():
            if name != without:
                bits &= mask
        return bits

    def total(self) -> int:
        return self.bits().bit_count()

    def facets(self) -> dict[str, list[FacetOption]]:
        result = {}
        for name in self.term_filters:
            others = self.bits(without=name)
            chosen = set(self.cleaned.get(name) or [])
            result[name] = [
                FacetOption(
                    value=term.slug,
                    label=term.name,
                    count=(
                        others & self.index.terms[self.term_filters[name].relation].get(term.pk, 0)
                    ).bit_count(),
                    selected=term.slug in chosen,
                    help=term.description,
                    dom_id=f"f-{name}-{term.slug}",
                )
                for term in self.terms[name]
            ]
        for name in ProgramFilter.FLAGS:
            others = self.bits(without=name)
            result[name] = [
                FacetOption(
                    value="1",
                    label=str(self.filterset.filters[name].label),
                    count=(others & self.index.flags[name]).bit_count(),
                    selected=bool(self.cleaned.get(name)),
                    dom_id=f"f-{name}",
                )
            ]
        return result


def search_glossary() -> list[dict]:
    """Each vocabulary the search filters on, with its terms' plain-language
    descriptions, for /find/terms/ (derived from the FilterSet, so the page
    lists exactly the groups the search offers)."""
    groups = []
    for name, search_filter in ProgramFilter.base_filters.items():
        if isinstance(search_filter, TermFilter):
            model = Program._meta.get_field(search_filter.relation).related_model
            groups.append({"name": name, "label": search_filter.label, "terms": facets.vocabulary(model)})
    return groups


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
    return attach_card_terms(with_card_details(candidates.order_by("distance", "name"))[:limit])


MAX_CSV_ROWS = 20_000


def with_export_details(queryset):
    return queryset.select_related("organization").prefetch_related(
        "levels_of_care", "medications", "payment_options", "populations", "languages", "accreditations"
    )


def program_address(program: Program) -> str:
    parts = [program.street1, program.street2, program.city, f"{program.state} {program.zip_code}"]
    return ", ".join(part for part in parts if part)


def directions_links(*, program: Program) -> list[tuple[str, str]]:
    """Plain links that open the visitor's choice of map with the address
    filled in (no map is embedded in our pages, nothing loads from a map
    host until the visitor follows a link); `geo:` opens the default map app
    on Android."""
    address = program_address(program)
    links = [
        ("Apple Maps", "https://maps.apple.com/?" + urlencode({"daddr": address})),
        ("Google Maps", "https://www.google.com/maps/dir/?" + urlencode({"api": 1, "destination": address})),
        ("OpenStreetMap", "https://www.openstreetmap.org/search?" + urlencode({"query": address})),
    ]
    if program.latitude is not None and program.longitude is not None:
        point = f"{program.latitude:.6f},{program.longitude:.6f}"
        links.append(("Default map app (Android)", f"geo:{point}?" + urlencode({"q": address})))
    return links


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
