"""Sample programs for development and benchmarks, called by
`manage.py load_demo [--listings N]`. Everything here is fictional and
marked so: names end with "(Sample)", phones are 555-01xx, websites and
emails are on example.org, is_sample is set and source is "demo".

Without --listings the default directory is loaded once (running again
changes nothing); with --listings the sample programs are replaced by N new
ones, written with bulk inserts so 100,000 take minutes, not hours."""

import random
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from directory import geo
from directory.importing.codes import RELATION_MODELS
from directory.models import Organization, Program
from directory.services import program_links_insert, search_index_changed

DEFAULT_LISTINGS = 300
BATCH_SIZE = 2000
SEED = 20261122

# city, state, area code: a dozen metros spread over the country.
METROS = [
    ("New York", "NY", "212"),
    ("Los Angeles", "CA", "213"),
    ("Chicago", "IL", "312"),
    ("Houston", "TX", "713"),
    ("Phoenix", "AZ", "602"),
    ("Philadelphia", "PA", "215"),
    ("Atlanta", "GA", "404"),
    ("Denver", "CO", "303"),
    ("Seattle", "WA", "206"),
    ("Boston", "MA", "617"),
    ("Miami", "FL", "305"),
    ("Nashville", "TN", "615"),
]

FIRST = [
    "Harbor", "Cedar", "New Dawn", "Riverbend", "Summit", "Clearwater", "Beacon", "Open Door", "Bridgeway",
    "Lakeside", "Pathways", "Hillcrest", "North Star", "Willow", "Evergreen", "Crossroads", "Sunrise",
    "Fresh Start", "Stillwater", "Cornerstone", "Maple", "Horizon", "Greenway", "Lighthouse",
]  # fmt: skip
SECOND = [
    "Recovery", "Treatment", "Wellness", "Health", "Counseling", "Behavioral Health", "Recovery Services",
]  # fmt: skip
KIND = {
    "detox": "Withdrawal Center",
    "inpatient": "Hospital Unit",
    "residential": "Residential Program",
    "partial-hospitalization": "Day Program",
    "intensive-outpatient": "IOP",
    "outpatient": "Clinic",
    "opioid-treatment-program": "OTP",
    "sober-living": "Recovery House",
}
# Primary level of care and how common it is; the second element lists
# levels often offered together with it.
LEVEL_MIX = [
    ("outpatient", 30, ["intensive-outpatient"]),
    ("intensive-outpatient", 15, ["outpatient", "partial-hospitalization"]),
    ("residential", 14, ["detox"]),
    ("detox", 10, ["residential", "inpatient"]),
    ("sober-living", 10, []),
    ("opioid-treatment-program", 8, ["outpatient"]),
    ("partial-hospitalization", 7, ["intensive-outpatient"]),
    ("inpatient", 6, ["detox"]),
]
PAYMENT_ODDS = {
    "cash": 0.9, "private-insurance": 0.7, "medicaid": 0.55, "medicare": 0.3, "tricare": 0.15,
    "state-financed": 0.2, "government-funding": 0.1, "ihs-tribal": 0.03, "free": 0.04,
    "sliding-fee": 0.3, "payment-assistance": 0.2,
}  # fmt: skip
POPULATION_ODDS = {
    "adults": 0.95, "young-adults": 0.6, "older-adults": 0.4, "children-and-teens": 0.08,
    "women": 0.15, "men": 0.15, "pregnant-postpartum": 0.06, "veterans": 0.12, "lgbtq": 0.1,
    "co-occurring": 0.35, "criminal-justice": 0.15, "trauma": 0.2, "young-adult-program": 0.08,
    "senior-program": 0.04, "teen-program": 0.05, "domestic-violence": 0.05,
}  # fmt: skip
LANGUAGE_ODDS = {"spanish": 0.35, "sign-language": 0.06, "chinese": 0.03, "vietnamese": 0.02, "russian": 0.02}
ACCREDITATION_ODDS = {"carf": 0.2, "joint-commission": 0.2, "coa": 0.04}


def load(*, stdout, listings: int | None = None) -> None:
    samples = Program.objects.filter(is_sample=True)
    if listings is None:
        if samples.exists():
            stdout.write(f"Sample programs already loaded ({samples.count()}); nothing to do.")
            return
        listings = DEFAULT_LISTINGS
    started = timezone.now()
    with transaction.atomic():
        removed = delete_samples()
        created = create_samples(count=listings)
        transaction.on_commit(search_index_changed)
    seconds = (timezone.now() - started).total_seconds()
    stdout.write(f"Sample programs: removed {removed}, created {created} in {seconds:.1f} s.")


def delete_samples() -> int:
    """Delete every sample program without loading them: rows pointing at
    them first, then the programs in one statement. (Model.delete() would
    fetch each program to send signals, far too slow for 100,000.)"""
    samples = Program.objects.filter(is_sample=True)
    count = samples.count()
    if not count:
        return 0
    for relation in Program._meta.related_objects:
        related = relation.related_model
        if relation.many_to_many:
            continue
        related.objects.filter(**{f"{relation.field.name}__is_sample": True}).delete()
    for field_name in RELATION_MODELS:
        through = getattr(Program, field_name).through
        through.objects.filter(program__is_sample=True)._raw_delete(connection.alias)
    samples._raw_delete(connection.alias)
    return count


def create_samples(*, count: int) -> int:
    rng = random.Random(SEED + count)
    terms = {name: dict(model.objects.values_list("slug", "pk")) for name, model in RELATION_MODELS.items()}
    zips = metro_zips()
    organizations = sample_organizations()
    taken = set(Program.objects.values_list("slug", flat=True))
    now = timezone.now()
    created = 0
    for start in range(0, count, BATCH_SIZE):
        batch = [
            sample_program(rng, n, zips, organizations, taken, now, terms)
            for n in range(start, min(count, start + BATCH_SIZE))
        ]
        programs = Program.objects.bulk_create([program for program, _ in batch])
        insert_links(programs, [links for _, links in batch])
        created += len(programs)
    return created


def metro_zips() -> list[tuple[list[geo.ZipInfo], str]]:
    """Each metro's real street-address ZIP codes, with its area code."""
    found = {(city, state): [] for city, state, _ in METROS}
    for info in sorted(geo.zip_table().values(), key=lambda info: info.zip_code):
        if (info.city, info.state) in found and info.zip_type == "STANDARD":
            found[(info.city, info.state)].append(info)
    return [(found[(city, state)], code) for city, state, code in METROS]


def sample_organizations() -> list[Organization]:
    """A few providers that run several of the sample programs."""
    organizations = []
    for first in FIRST[:12]:
        name = f"{first} Health Partners (Sample)"
        organization, _ = Organization.objects.get_or_create(
            slug=slugify(f"sample {first} health partners"),
            defaults={"name": name, "website": f"https://{slugify(first)}.example.org/"},
        )
        organizations.append(organization)
    return organizations


def sample_program(rng, n, zips, organizations, taken, now, terms):
    metro_zip_codes, area_code = zips[n % len(zips)]
    info = rng.choice(metro_zip_codes)
    levels = pick_levels(rng)
    name = f"{rng.choice(FIRST)} {rng.choice(SECOND)} {KIND[levels[0]]} (Sample)"
    slug = Program.unique_slug(name, info.city, info.state, taken=taken)
    taken.add(slug)
    accepting = rng.choices(list(Program.Accepting), weights=[55, 20, 10, 15])[0]
    verified = rng.random() < 0.4
    program = Program(
        organization=rng.choice(organizations) if rng.random() < 0.25 else None,
        name=name,
        slug=slug,
        description=f"A sample {KIND[levels[0]].lower()} in {info.city} for trying out the directory.",
        street1=f"{rng.randint(10, 9999)} {rng.choice(['Main', 'Oak', 'Pine', 'Market', 'Elm', 'Park'])} St",
        city=info.city,
        state=info.state,
        zip_code=info.zip_code,
        county=info.county,
        latitude=round(info.latitude + rng.uniform(-0.01, 0.01), 6),
        longitude=round(info.longitude + rng.uniform(-0.01, 0.01), 6),
        phone=f"({area_code}) 555-01{n % 100:02d}",
        intake_phone=f"({area_code}) 555-01{(n + 50) % 100:02d}" if rng.random() < 0.3 else "",
        website=f"https://example.org/sample/{slug}",
        inquiry_email=f"intake+{slug[:40]}@example.org",
        hours="Monday to Friday, 8 am to 6 pm" if "sober-living" not in levels else "Open 24 hours",
        offers_telehealth=rng.random() < 0.35,
        accepting_clients=accepting,
        open_beds=rng.randint(0, 12) if accepting == "yes" and set(levels) & BED_LEVELS else None,
        availability_updated_at=now - timedelta(hours=rng.randint(1, 24 * 60)),
        license_number=f"SAMPLE-{n:06d}" if verified else "",
        license_state=info.state if verified else "",
        otp_certified="opioid-treatment-program" in levels,
        verified_at=(now - timedelta(days=rng.randint(1, 365))).date() if verified else None,
        source=Program.Source.DEMO,
        is_sample=True,
        status=rng.choices(list(Program.Status), weights=[2, 95, 3])[0],
    )
    links = {
        "levels_of_care": levels,
        "medications": pick_medications(rng, levels),
        "payment_options": pick(rng, PAYMENT_ODDS),
        "populations": pick(rng, POPULATION_ODDS),
        "languages": pick(rng, LANGUAGE_ODDS),
        "accreditations": pick(rng, ACCREDITATION_ODDS) if "sober-living" not in levels else [],
    }
    add_restrictions(random.Random(SEED * 31 + n), links)
    links["detox_substances"] = pick_detox_substances(random.Random(SEED * 37 + n), levels)
    return program, {
        field: [terms[field][s] for s in slugs if s in terms[field]] for field, slugs in links.items()
    }


def add_restrictions(rng, links) -> None:
    """Alcohol medications and limits on who is served, for a few programs,
    only where they agree with the rest of the listing: a veterans-only
    program has a veterans group, "does not treat opioid use disorder" only
    where no opioid medication is offered or accepted. (Its own generator,
    so the draws above, and the sample directory they make, stay as they
    were.)"""
    medications, levels = links["medications"], links["levels_of_care"]
    treatment = not set(levels) <= {"sober-living"}
    if treatment and "naltrexone" in medications:
        medications += [slug for slug, chance in ALCOHOL_MEDICATION_ODDS.items() if rng.random() < chance]
    restrictions = []
    if "veterans" in links["populations"] and rng.random() < 0.15:
        restrictions.append("veterans-only")
    if treatment and "outpatient" in levels and rng.random() < 0.04:
        restrictions.append("dui-dwi-only")
        links["populations"].append("dui-dwi")
    opioid_care = {"methadone", "buprenorphine", "accepts-outside-prescriptions"} & set(medications)
    if treatment and not opioid_care and "opioid-treatment-program" not in levels and rng.random() < 0.2:
        restrictions.append("no-opioid-treatment")
    links["restrictions"] = restrictions


ALCOHOL_MEDICATION_ODDS = {"acamprosate": 0.3, "disulfiram": 0.15}

# What a detox program detoxes from: most take opioids and alcohol, fewer
# benzodiazepines (a slow, supervised taper), fewer still stimulants.
DETOX_SUBSTANCE_ODDS = {
    "opioids": 0.85,
    "alcohol": 0.85,
    "benzodiazepines": 0.55,
    "cocaine": 0.3,
    "methamphetamine": 0.3,
}


def pick_detox_substances(rng, levels) -> list[str]:
    """The substances a detox program says it detoxes from (at least one);
    none for other programs. Its own generator, so the other draws stay."""
    if "detox" not in levels:
        return []
    return pick(rng, DETOX_SUBSTANCE_ODDS) or [rng.choice(["opioids", "alcohol"])]


BED_LEVELS = {"detox", "inpatient", "residential", "sober-living"}


def pick_levels(rng) -> list[str]:
    primary, _, companions = rng.choices(LEVEL_MIX, weights=[w for _, w, _ in LEVEL_MIX])[0]
    return [primary] + [level for level in companions if rng.random() < 0.4]


def pick_medications(rng, levels) -> list[str]:
    if "opioid-treatment-program" in levels:
        return ["methadone", "buprenorphine"] + (["naltrexone"] if rng.random() < 0.4 else [])
    if "sober-living" in levels:
        return ["accepts-outside-prescriptions"] if rng.random() < 0.5 else []
    odds = {"buprenorphine": 0.45, "naltrexone": 0.3, "accepts-outside-prescriptions": 0.5}
    return pick(rng, odds)


def pick(rng, odds: dict[str, float]) -> list[str]:
    return [slug for slug, chance in odds.items() if rng.random() < chance]


def insert_links(programs, links) -> None:
    """Fill the vocabulary join tables."""
    for field_name in RELATION_MODELS:
        pairs = [
            (program.pk, term_id)
            for program, program_links in zip(programs, links, strict=True)
            for term_id in program_links.get(field_name, ())
        ]
        program_links_insert(field_name=field_name, pairs=pairs)
