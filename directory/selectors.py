"""Reads for the directory: the search (results, total, facet counts) and
program pages. Views call these; query logic lives here, not in views."""

import functools
import operator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db import connection

from . import facets, geo, geo_index, vocabularies
from .filters import FlagFilter, ProgramFilter, TermFilter
from .models import PROGRAM_NAME_ORDER, Program
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
    return Program.objects.published().order_by(*PROGRAM_NAME_ORDER)


# What a result card (templatetags program_card, availability) reads of a
# program, and its distance; loading only these costs a third less per page.
CARD_FIELDS = (
    "slug", "name", "is_sample", "verified_at", "street1", "city", "state", "zip_code", "phone",
    "accepting_clients", "open_beds", "availability_updated_at", "latitude", "longitude",
)  # fmt: skip


def with_card_details(queryset):
    """What a result card needs from SQL; its vocabulary terms come from the
    facet index (attach_card_terms), so a page costs no prefetch queries."""
    return queryset.only(*CARD_FIELDS)


def card_rows(ids) -> list[Program]:
    """The programs with these ids as result cards need them (CARD_FIELDS):
    the same query as with_card_details(), its SQL compiled once per number
    of ids (compiling it cost a third of loading a page's 20 rows)."""
    if not ids:
        return []
    return list(Program.objects.raw(_card_sql(len(ids), connection.vendor), list(ids)))


@lru_cache(maxsize=64)
def _card_sql(count: int, vendor: str) -> str:
    placeholders = list(range(1, count + 1))
    sql, params = with_card_details(Program.objects.filter(pk__in=placeholders)).query.sql_with_params()
    if list(params) != placeholders:  # the ids must be the query's only parameters, in order
        raise ValueError(f"unexpected parameters in the card query: {params!r}")
    return sql


def organization_rows(ids) -> list[Program]:
    """Every field and the organization (the API's programs)."""
    return list(Program.objects.filter(pk__in=ids).select_related("organization"))


CARD_RELATIONS = {
    "card_levels": "levels_of_care",
    "card_medications": "medications",
    "card_payments": "payment_options",
}  # template attribute -> relation, for result cards
TERM_RELATIONS = [vocabulary.relation for vocabulary in vocabularies.VOCABULARIES]
ALL_RELATIONS = {f"terms_{name}": name for name in TERM_RELATIONS}


def attach_card_terms(programs, index=None, relations=CARD_RELATIONS) -> list:
    """Set card_levels / card_medications / card_payments (or the given
    attribute -> relation map) on each program from the in-memory index:
    no prefetch queries. Published programs only."""
    index = index or facets.get()
    programs = list(programs)
    for attribute, relation in relations.items():
        bits_by_term = index.terms.get(relation, {})
        vocabulary = index.vocabularies[relation]
        # Bytes, not big ints: testing one bit of a 100,000-bit int by
        # shifting copies the whole number.
        marks = {t.pk: facets.as_bytes(bits_by_term.get(t.pk, 0), index) for t in vocabulary}
        for program in programs:
            pos = index.positions.get(program.pk)
            terms = []
            if pos is not None:
                terms = [t for t in vocabulary if marks[t.pk][pos >> 3] >> (pos & 7) & 1]
            setattr(program, attribute, terms)
    return programs


def search_data(params):
    """The query parameters, or None when they hold no search (just a page
    number, nothing, or parameters we do not know), so an empty form shows
    every program by name. The page, the API and the CSV use this rule."""
    return params if vocabularies.is_search(params) else None


def program_search(
    *,
    data,
    page_number=1,
    with_facets=True,
    page_size=PAGE_SIZE,
    relations=CARD_RELATIONS,
    details=card_rows,
) -> SearchResult:
    index = facets.current_index()  # once per request: one change-log query
    filterset = ProgramFilter(data or None, queryset=program_base_queryset())
    if filterset.is_bound and not filterset.is_valid():
        return SearchResult(filterset=filterset, page=None, total=0, notices=filterset.form.notices)
    counter = FacetCounter(filterset, index)
    total = counter.total()
    page_number = min(clamp_page(page_number), MAX_PAGE)
    page = counter.page(page_number, page_size, total, details)
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


def program_count(*, data) -> int | None:
    """How many programs the search page shows for these parameters (None
    when they do not make a valid search): the page's own count."""
    result = program_search(data=search_data(data), page_size=1, with_facets=False)
    return result.total if result.page is not None else None


def clamp_page(value):
    try:
        return max(1, int(str(value)[:6]))
    except (TypeError, ValueError):
        return 1


class FacetCounter:
    """Counts for a search from the in-memory facet index (see facets.py):
    the total, and for every option how many results choosing it would
    give (the search without its own group's filter, AND the option)."""

    def __init__(self, filterset: ProgramFilter, index: facets.FacetIndex):
        self.filterset = filterset
        self.cleaned = filterset.cleaned
        self.term_filters = {n: f for n, f in filterset.filters.items() if isinstance(f, TermFilter)}
        self.flag_filters = {n: f for n, f in filterset.filters.items() if isinstance(f, FlagFilter)}
        self.index = index
        self.terms = {name: self.index.vocabularies[f.relation] for name, f in self.term_filters.items()}
        self.masks = self._masks()

    def _masks(self) -> dict[str, int]:
        """One bitset per active filter; location from SQL, as ids only."""
        masks = {}
        for name, term_filter in self.term_filters.items():
            chosen = set(self.cleaned.get(name) or [])
            if chosen:
                mask = 0
                for term in self.terms[name]:
                    if term.slug in chosen:
                        mask |= self.index.terms[term_filter.relation].get(term.pk, 0)
                masks[name] = mask
        for name in self.flag_filters:
            if self.cleaned.get(name):
                masks[name] = self.index.flags[name]
        self.circle = None
        text = " ".join((self.cleaned.get("q") or "").split())
        if text:
            # Name search runs over the index's in-memory names: a LIKE scan
            # of every row costs SQLite hundreds of ms at 100,000 programs.
            masks["q"] = self.index.text_bits(text)
        if place := self.filterset.place:
            # Location from the index's grid too (geo_index.py): the same
            # box and distance as the FilterSet's SQL, without a query.
            self.circle = geo_index.Circle(place.latitude, place.longitude, self.filterset.radius_miles)
            marks = geo_index.within(self.index.geo, self.circle, self.index.size)
            masks["place"] = int.from_bytes(marks, "little")
        return masks

    def ordered_matches(self, wanted: int):
        """Ids of results in result order, lazily, at least the first
        `wanted`: the nearest first when sorting by distance, else by the
        index's name or verification order, keeping those whose bit is set."""
        bits = self.bits()
        marks = facets.as_bytes(bits, self.index)
        ids = self.index.ids
        if self.circle is not None and self.filterset.sort_key == "distance":
            nearest = geo_index.nearest(
                self.index.geo, self.circle, marks, bits.bit_count(), wanted, self.index.name_key
            )
            yield from (ids[pos] for pos in nearest)
            return
        order = self.index.by_verified if self.filterset.sort_key == "verified" else self.index.by_name
        for pos in order:
            if marks[pos >> 3] >> (pos & 7) & 1:
                yield ids[pos]

    def page(self, page_number, page_size, total, details=card_rows):
        """One page of results: positions from the index, then one query
        for those rows (no OFFSET scans, whatever the page)."""
        page = Paginator(range(total), page_size, allow_empty_first_page=True).get_page(page_number)
        start, end = (page.number - 1) * page_size, page.number * page_size
        wanted = list(islice(self.ordered_matches(end), start, end))
        rows = {p.pk: p for p in details(wanted)}
        place = self.filterset.place
        page.object_list = [rows[pk] for pk in wanted if pk in rows]
        for program in page.object_list:
            program.distance = distance_from(place, program) if place else None
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
        for name, term_filter in self.term_filters.items():
            others = self.bits(without=name)
            chosen = set(self.cleaned.get(name) or [])
            bits_by_term = self.index.terms[term_filter.relation]
            result[name] = [
                FacetOption(
                    value=term.slug,
                    label=term.name,
                    count=(others & bits_by_term.get(term.pk, 0)).bit_count(),
                    selected=term.slug in chosen,
                    help=term.description,
                    dom_id=f"f-{name}-{term.slug}",
                )
                for term in self.terms[name]
            ]
        for name, flag_filter in self.flag_filters.items():
            others = self.bits(without=name)
            result[name] = [
                FacetOption(
                    value="1",
                    label=str(flag_filter.label),
                    count=(others & self.index.flags[name]).bit_count(),
                    selected=bool(self.cleaned.get(name)),
                    dom_id=f"f-{name}",
                )
            ]
        return result


def distance_from(place, program) -> float | None:
    if program.latitude is None or program.longitude is None:
        return None
    return geo.haversine_miles(place.latitude, place.longitude, program.latitude, program.longitude)


def search_glossary() -> list[dict]:
    """Each vocabulary the search filters on, with its terms' plain-language
    descriptions, for /find/terms/ (from the registry, so the page lists
    exactly the groups the search offers)."""
    index = facets.current_index()
    return [
        {"name": v.param, "label": v.label, "terms": index.vocabularies[v.relation]}
        for v in vocabularies.VOCABULARIES
    ]


def program_detail_queryset():
    return (
        Program.objects.public()
        .select_related("organization", "verified_by")
        .prefetch_related(*TERM_RELATIONS)
    )


def nearby_programs(*, program: Program, limit=5, miles=50):
    """Published programs within `miles` of this one offering at least one
    of its levels of care, nearest first (none if it has no coordinates):
    the radius search and the level test both from the index, no query but
    the one for the cards."""
    if program.latitude is None or program.longitude is None:
        return []
    index = facets.current_index()
    place = Place(program.city, program.latitude, program.longitude)
    level_ids = [level.pk for level in program.levels_of_care.all()]
    wanted = index.everything
    if level_ids:
        levels = index.terms.get("levels_of_care", {})
        wanted &= functools.reduce(operator.or_, (levels.get(pk, 0) for pk in level_ids), 0)
    own = index.positions.get(program.pk)
    if own is not None:
        wanted &= ~(1 << own)
    circle = geo_index.Circle(place.latitude, place.longitude, miles)
    wanted &= int.from_bytes(geo_index.within(index.geo, circle, index.size), "little")
    marks = facets.as_bytes(wanted, index)
    nearest = geo_index.nearest(index.geo, circle, marks, wanted.bit_count(), limit, index.name_key)
    chosen = [index.ids[pos] for pos in nearest]
    rows = {p.pk: p for p in card_rows(chosen)}
    programs = [rows[pk] for pk in chosen if pk in rows]
    for nearby in programs:
        nearby.distance = distance_from(place, nearby)
    return attach_card_terms(programs, index)


MAX_CSV_ROWS = 20_000


def with_export_details(queryset):
    return queryset.select_related("organization").prefetch_related(*TERM_RELATIONS)


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
