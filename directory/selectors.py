"""Reads for program pages (the search itself is directory.search)."""

from urllib.parse import urlencode

from . import vocabularies
from .models import FieldProvenance, Program, ProgramRedirect
from .provenance import program_sources as provenance_sources

TERM_RELATIONS = vocabularies.TERM_RELATIONS


def program_detail_queryset():
    return (
        Program.objects.public()
        .select_related("organization", "verified_by")
        .prefetch_related(*TERM_RELATIONS)
    )


def program_redirect(*, slug: str):
    """The public listing an old slug (of a merged listing) now is, or None."""
    redirect = ProgramRedirect.objects.filter(old_slug=slug).select_related("program").first()
    if redirect is None or not Program.objects.public().filter(pk=redirect.program_id).exists():
        return None
    return redirect.program


def program_sources(*, program) -> list[dict]:
    """The program page's "Source: ..." line: the real sources of what it
    shows and the date of their data (directory/provenance.py)."""
    fields = FieldProvenance.objects.filter(program_id=program.pk).values_list("fields", flat=True).first()
    return provenance_sources(fields or {}, program_source=program.source)


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
