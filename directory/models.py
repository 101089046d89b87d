"""The directory's data: organizations, their programs (one program at one
address: what families compare) and the vocabularies programs are described
with. Vocabularies are data (loaded by migration), not code."""

import os
import re
import secrets
from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.dispatch import Signal
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.deconstruct import deconstructible
from django.utils.text import slugify
from wagtail.models import DraftStateMixin, RevisionMixin, WorkflowMixin
from wagtail.search import index

from . import vocabularies
from .review.publishing import PublishKeepingReview

PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")
SLUG_SLOT = "slug-slot"


def program_term_names(program_ids) -> dict[int, str]:
    """Program id -> the names of its terms in every vocabulary of the
    registry, space-separated (site search's text of what a program offers):
    one query per vocabulary, names only."""
    names: dict[int, list[str]] = {}
    ids = list(program_ids)
    for vocabulary in vocabularies.all_vocabularies():
        field = Program._meta.get_field(vocabulary.relation)
        rows = vocabulary.through.objects.filter(program_id__in=ids).values_list(
            "program_id", f"{field.m2m_reverse_field_name()}__name"
        )
        for program_id, name in rows:
            names.setdefault(program_id, []).append(name)
    return {program_id: " ".join(found) for program_id, found in names.items()}


# Programs in name order sort as readers expect: case ignored ("iRecover"
# among the I's, "Abbey" before "ABC"), case deciding only between names
# otherwise equal, then the id. One order for SQL and the search index
# (facets.py); they agree wherever SQL's LOWER agrees with str.lower(), i.e.
# for ASCII letters on every database and collation-independent only under
# a C/binary collation (what CI and the index's tests run).
PROGRAM_NAME_ORDER = (Lower("name"), "name", "pk")


def name_order_key(name: str) -> tuple[str, str]:
    """PROGRAM_NAME_ORDER's key in Python, without the id."""
    return name.lower(), name


def program_url(slug: str) -> str:
    """reverse("directory:program", kwargs={"slug": slug}), without matching
    the URL patterns for each of a page's 20 result cards (~30 us each):
    the URL is reversed once per script prefix and the slug put in its
    place (a plain slug needs no quoting; any other is reversed)."""
    if not PLAIN_SLUG.match(slug):
        return reverse("directory:program", kwargs={"slug": slug})
    before, after = _program_url_parts(get_script_prefix())
    return f"{before}{slug}{after}"


@lru_cache(maxsize=8)
def _program_url_parts(prefix: str) -> tuple[str, str]:
    before, _, after = reverse("directory:program", kwargs={"slug": SLUG_SLOT}).rpartition(SLUG_SLOT)
    return before, after


US_STATES = [
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"), ("CA", "California"),
    ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"), ("DC", "District of Columbia"),
    ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"), ("ID", "Idaho"), ("IL", "Illinois"),
    ("IN", "Indiana"), ("IA", "Iowa"), ("KS", "Kansas"), ("KY", "Kentucky"), ("LA", "Louisiana"),
    ("ME", "Maine"), ("MD", "Maryland"), ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"),
    ("MS", "Mississippi"), ("MO", "Missouri"), ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"),
    ("NH", "New Hampshire"), ("NJ", "New Jersey"), ("NM", "New Mexico"), ("NY", "New York"),
    ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"), ("OK", "Oklahoma"), ("OR", "Oregon"),
    ("PA", "Pennsylvania"), ("RI", "Rhode Island"), ("SC", "South Carolina"), ("SD", "South Dakota"),
    ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"), ("VT", "Vermont"), ("VA", "Virginia"),
    ("WA", "Washington"), ("WV", "West Virginia"), ("WI", "Wisconsin"), ("WY", "Wyoming"),
    ("AS", "American Samoa"), ("GU", "Guam"), ("MP", "Northern Mariana Islands"), ("PR", "Puerto Rico"),
    ("VI", "U.S. Virgin Islands"),
]  # fmt: skip


# Families must be able to reach a listing: one with no main, intake or
# hotline phone and no website is "incomplete". It stays reachable by its
# URL (its page says how else to find help) but is left out of everything
# that lists programs: the search index and the FilterSet's base queryset
# (the page, the API, the CSV, article counts, nearby lists) use
# ProgramQuerySet.listed(); staff see these as "Incomplete" in the admin.
CONTACTABLE = ~Q(phone="") | ~Q(intake_phone="") | ~Q(hotline_phone="") | ~Q(website="")


# Availability older than this shows as "not confirmed recently".
AVAILABILITY_FRESH_DAYS = 30


class Term(models.Model):
    """A vocabulary term: stable slug, plain-language name, a one-sentence
    explanation shown as help text in search, and the SAMHSA codes it maps
    to (used by the importer in both directions)."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True, help_text="One plain-language sentence.")
    sort_order = models.PositiveSmallIntegerField(default=100)
    samhsa_codes = models.JSONField(
        default=list, blank=True, help_text='SAMHSA service codes that mean this term, e.g. ["DT", "RD"].'
    )

    panels = ["name", "slug", "description", "sort_order", "samhsa_codes"]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class LevelOfCare(Term):
    asam_level = models.CharField("ASAM level", max_length=40, blank=True)
    is_housing = models.BooleanField(
        default=False, help_text="Housing rather than treatment (sober living / recovery residences)."
    )

    class Meta(Term.Meta):
        verbose_name = "level of care"
        verbose_name_plural = "levels of care"


class Medication(Term):
    class Meta(Term.Meta):
        verbose_name = "medication"


class PaymentOption(Term):
    class Kind(models.TextChoices):
        PAYMENT = "payment", "Payment accepted"
        ASSISTANCE = "assistance", "Payment assistance"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PAYMENT)

    class Meta(Term.Meta):
        verbose_name = "payment option"


class Population(Term):
    class Kind(models.TextChoices):
        AGE = "age", "Ages"
        GROUP = "group", "Special groups"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.GROUP)

    class Meta(Term.Meta):
        verbose_name = "population served"
        verbose_name_plural = "populations served"


class Language(Term):
    class Meta(Term.Meta):
        verbose_name = "language"


class Accreditation(Term):
    class Meta(Term.Meta):
        verbose_name = "accreditation"


class Restriction(Term):
    """A limit on who a program takes ("Serves veterans only", "Does not
    treat opioid use disorder"): SAMHSA's exclusive services and "does not
    treat" answers. Shown near the top of the program page and on result
    cards; some keep a program out of searches it would mislead
    (vocabularies.EXCLUSIONS)."""

    class Kind(models.TextChoices):
        ONLY = "only", "Serves only"
        NOT = "not", "Does not treat"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ONLY)

    class Meta(Term.Meta):
        verbose_name = "restriction"


# What SAMHSA publishes beyond the search filters, shown on program pages
# (issue 10). Same shape as the other vocabularies: data by migration
# directory/0004, stable slugs, SAMHSA codes.


class DetoxSubstance(Term):
    class Meta(Term.Meta):
        verbose_name = "detox substance"


class TreatmentApproach(Term):
    class Meta(Term.Meta):
        verbose_name = "treatment approach"
        verbose_name_plural = "treatment approaches"


class GenderAccepted(Term):
    class Meta(Term.Meta):
        verbose_name = "gender accepted"
        verbose_name_plural = "genders accepted"


class FacilityOperation(Term):
    class Meta(Term.Meta):
        verbose_name = "facility operation"


class SupportService(Term):
    class Kind(models.TextChoices):
        RECOVERY = "recovery", "Recovery support"
        TESTING = "testing", "Testing and screening"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RECOVERY)

    class Meta(Term.Meta):
        verbose_name = "recovery support or testing service"
        verbose_name_plural = "recovery support and testing"


class Organization(index.Indexed, models.Model):
    """A provider that may run several programs at different addresses."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    website = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = "organization"

    def __str__(self):
        return self.name


# Sent, inside the write's transaction, for programs written by a queryset
# update() or bulk_update(), which send no post_save: program_ids, fields
# (the names written) and bulk_write (True for bulk_update: the bulk writer
# indexes what it wrote for site search itself). signals.py logs them for
# the search indexes.
programs_updated = Signal()
_in_bulk_update = ContextVar("directory_program_bulk_update", default=False)


class ProgramQuerySet(models.QuerySet):
    """Program's manager and base manager (Meta.base_manager_name): so every
    queryset update of programs, including the ones Django makes itself
    (organization.programs.add/remove/set/clear, an organization's deletion
    setting its programs' organization to null), tells the search indexes
    which programs it wrote (`programs_updated`)."""

    def update(self, **kwargs):
        if _in_bulk_update.get():  # bulk_update's batches: it sends one signal for all
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            program_ids = list(self.order_by().values_list("pk", flat=True))
            rows = super().update(**kwargs)
            if program_ids:
                programs_updated.send(
                    sender=Program, program_ids=program_ids, fields=set(kwargs), bulk_write=False
                )
        return rows

    update.alters_data = True

    # Site search's text of the programs' terms, loaded with the rows ---------

    def with_term_names(self):
        """Programs that carry the names of all their terms (Program.term_names)
        once fetched: one query per vocabulary for the whole fetch, reading
        names only (prefetching the terms as objects cost imports more than
        indexing them). Like prefetch_related, not with iterator()."""
        clone = self._chain()
        clone._load_term_names = True
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._load_term_names = getattr(self, "_load_term_names", False)
        return clone

    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and getattr(self, "_load_term_names", False):
            programs = [obj for obj in self._result_cache if isinstance(obj, Program)]
            names = program_term_names([program.pk for program in programs])
            for program in programs:
                program._term_names = names.get(program.pk, "")

    def bulk_update(self, objs, fields, batch_size=None):
        objs = tuple(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            token = _in_bulk_update.set(True)
            try:
                rows = super().bulk_update(objs, fields, batch_size=batch_size)
            finally:
                _in_bulk_update.reset(token)
            if objs:
                programs_updated.send(
                    sender=Program, program_ids=[obj.pk for obj in objs], fields=set(fields), bulk_write=True
                )
        return rows

    bulk_update.alters_data = True

    def published(self):
        # live=False only for listings created in the admin and never published.
        return self.filter(status=Program.Status.PUBLISHED, live=True)

    def listed(self):
        """What search lists: published and contactable (CONTACTABLE). The
        one rule for the search index, the FilterSet's base queryset, the
        API and the nearby lists."""
        return self.published().filter(CONTACTABLE)

    def incomplete(self):
        """No way to contact the program (not CONTACTABLE): shown to staff
        as "Incomplete", never in search."""
        return self.exclude(CONTACTABLE)

    def public(self):
        """Published or closed: closed programs stay reachable and say so."""
        return self.filter(status__in=[Program.Status.PUBLISHED, Program.Status.CLOSED], live=True)

    def accepting_clients(self):
        return self.filter(accepting_clients=Program.Accepting.YES)

    def verified(self):
        return self.exclude(verified_at=None)


# Sent after a program's revision is published, with `program` (as now
# live) and `before` (its contact fields before): directory.review tells the
# previous inquiry address when they changed.
contacts_published = Signal()


class Program(WorkflowMixin, DraftStateMixin, RevisionMixin, index.Indexed, models.Model):
    """One program at one address: a listing.

    The row is always the live (approved) listing; drafts live in Wagtail
    revisions. Changes to REVIEWED_FIELDS and REVIEWED_LINKS made by a center
    wait in a draft revision for the "Listing change review" workflow
    (see directory/review/workflow.py); everything else is published at once.
    """

    # Held for staff review when a center changes them: who the listing is and
    # how families reach it (hijacking swaps these), and what care it offers.
    REVIEWED_FIELDS = (
        "name",
        "alternate_name",
        "phone",
        "intake_phone",
        "hotline_phone",
        "website",
        "inquiry_email",
        "street1",
        "street2",
        "city",
        "state",
        "zip_code",
        "county",
    )
    # Of the vocabularies (directory/vocabularies.py; the center portal edits
    # every one of them), these are held: what care it offers, and the two
    # shown under "Licensing and verification" on the program page, which
    # families read as vouched for and a deceptive listing would borrow
    # ("Accredited: The Joint Commission", "Run by: U.S. Department of
    # Veterans Affairs"); staff can check both. The descriptive service
    # vocabularies (detox substances, treatment approaches, recovery support,
    # genders, payment, groups, languages) say what a program does and are
    # published at once, like the description.
    REVIEWED_LINKS = ("levels_of_care", "medications", "accreditations", "facility_operations")
    # Every vocabulary relation (directory/vocabularies.py), kept in revisions.
    LINK_FIELDS = tuple(vocabulary.relation for vocabulary in vocabularies.all_vocabularies())
    CONTACT_FIELDS = ("phone", "intake_phone", "hotline_phone", "website", "inquiry_email")
    AVAILABILITY_FIELDS = ("accepting_clients", "open_beds", "availability_updated_at")
    # Kept with the address: a held address change moves the map position too.
    POSITION_FIELDS = ("latitude", "longitude", "coordinate_flag")
    # Marks a revision made by a center: only its held fields are under
    # review; everything else always comes from the live row.
    HELD_MARKER = "_held_changes"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CLOSED = "closed", "Closed"

    class Accepting(models.TextChoices):
        YES = "yes", "Accepting new clients"
        WAITLIST = "waitlist", "Waitlist"
        NO = "no", "Not accepting new clients"
        UNKNOWN = "unknown", "Not reported"

    class Source(models.TextChoices):
        SAMHSA = "samhsa", "SAMHSA locator"
        CENTER = "center", "Treatment center"
        STAFF = "staff", "Site staff"
        DEMO = "demo", "Demo data"

    class OtpStatus(models.TextChoices):
        # SAMHSA's OTP directory says "Full Certification" or "Provisional
        # Certification" (42 CFR 8.11: provisional for up to a year).
        NOT_REPORTED = "", "Not reported"
        CERTIFIED = "certified", "Certified"
        PROVISIONAL = "provisional", "Provisional"

    class CoordinateFlag(models.TextChoices):
        NONE = "", "Checked"
        FROM_ZIP = "zip_centroid", "Geocoded from ZIP centroid"
        SWAPPED = "swapped_fixed", "Latitude and longitude were swapped (fixed)"
        FAR = "far_from_zip", "More than 100 miles from its ZIP code"
        MISSING = "missing", "No coordinates"

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="programs"
    )
    name = models.CharField(max_length=200)
    alternate_name = models.CharField("second name / DBA", max_length=200, blank=True)
    slug = models.SlugField(max_length=220, unique=True)
    description = models.TextField(blank=True)

    street1 = models.CharField("street address", max_length=200, blank=True)
    street2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2, choices=US_STATES)
    zip_code = models.CharField("ZIP code", max_length=5)
    county = models.CharField(max_length=100, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    coordinate_flag = models.CharField(max_length=20, choices=CoordinateFlag.choices, blank=True)

    phone = models.CharField("main phone", max_length=30, blank=True)
    intake_phone = models.CharField(max_length=30, blank=True)
    hotline_phone = models.CharField(max_length=30, blank=True)
    website = models.URLField(max_length=300, blank=True)
    inquiry_email = models.EmailField(
        blank=True, help_text="Where inquiries are announced. Never shown publicly."
    )
    hours = models.TextField(blank=True)
    # Set when the previous contact answered a contact-change alert with
    # "This was not us" (directory/review/contacts.py): the center's portal
    # refuses changes to CONTACT_FIELDS until staff close the case.
    contact_changes_frozen = models.BooleanField(
        default=False,
        help_text="Contact details are locked for the center while staff look into a reported change.",
    )

    levels_of_care = models.ManyToManyField(LevelOfCare, blank=True, related_name="programs")
    medications = models.ManyToManyField(Medication, blank=True, related_name="programs")
    payment_options = models.ManyToManyField(PaymentOption, blank=True, related_name="programs")
    populations = models.ManyToManyField(Population, blank=True, related_name="programs")
    languages = models.ManyToManyField(Language, blank=True, related_name="programs")
    accreditations = models.ManyToManyField(Accreditation, blank=True, related_name="programs")
    restrictions = models.ManyToManyField(Restriction, blank=True, related_name="programs")
    offers_telehealth = models.BooleanField("offers telehealth", default=False)
    detox_substances = models.ManyToManyField(DetoxSubstance, blank=True, related_name="programs")
    treatment_approaches = models.ManyToManyField(TreatmentApproach, blank=True, related_name="programs")
    genders_accepted = models.ManyToManyField(GenderAccepted, blank=True, related_name="programs")
    facility_operations = models.ManyToManyField(FacilityOperation, blank=True, related_name="programs")
    support_services = models.ManyToManyField(SupportService, blank=True, related_name="programs")

    accepting_clients = models.CharField(max_length=10, choices=Accepting.choices, default=Accepting.UNKNOWN)
    open_beds = models.PositiveIntegerField(null=True, blank=True, help_text="Where beds apply.")
    availability_updated_at = models.DateTimeField(null=True, blank=True)

    license_number = models.CharField("state licence number", max_length=60, blank=True)
    license_state = models.CharField("licence state", max_length=2, choices=US_STATES, blank=True)
    otp_certified = models.BooleanField(
        "SAMHSA OTP certified",
        default=False,
        help_text="A SAMHSA-certified opioid treatment program (provisionally or fully): "
        "the importer gives it the OTP level of care and methadone.",
    )
    otp_status = models.CharField(
        "OTP certification status", max_length=12, choices=OtpStatus.choices, blank=True, default=""
    )
    otp_certified_on = models.DateField("OTP certification date", null=True, blank=True)
    otp_listed_on = models.DateField(
        "in the OTP directory of",
        null=True,
        blank=True,
        help_text="Date of the newest SAMHSA OTP directory that listed this program.",
    )
    otp_missing_since = models.DateField(
        "not in the OTP directory of",
        null=True,
        blank=True,
        help_text="Set when a newer complete OTP directory does not list this program: "
        "its certification is shown as unconfirmed until a directory lists it again.",
    )
    facility_type = models.CharField(
        max_length=30,
        blank=True,
        help_text="The SAMHSA locator's facility type (SA: substance use treatment, "
        "MH: mental health only, ...), as the last locator file gave it.",
    )
    verified_at = models.DateField("last verified", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    source = models.CharField(max_length=10, choices=Source.choices, default=Source.STAFF)
    external_id = models.CharField(
        max_length=100, blank=True, help_text="e.g. the SAMHSA frid (64 characters)"
    )
    is_sample = models.BooleanField(default=False, help_text="Demo data, not a real program.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramQuerySet.as_manager()

    search_fields = [
        index.SearchField("name"),
        index.SearchField("alternate_name"),
        index.AutocompleteField("name"),
        index.SearchField("city"),
        index.FilterField("status"),
        index.FilterField("live"),
        index.FilterField("state"),
        # CONTACTABLE's fields: site search lists what /find/ lists (listed()).
        *(index.FilterField(name) for name in ("phone", "intake_phone", "hotline_phone", "website")),
        index.RelatedFields("organization", [index.SearchField("name")]),
        # Site search finds programs by what they offer ("methadone detox",
        # "cognitive behavioral therapy"), not only by name: the names of
        # their terms in every vocabulary the program page shows.
        index.SearchField("term_names"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = "program"
        # Related managers and deletions update programs through the base
        # manager: ours, so those updates are logged for the search indexes.
        base_manager_name = "objects"
        indexes = [
            models.Index(fields=["status", "latitude", "longitude"], name="program_status_geo_idx"),
            models.Index(fields=["latitude", "longitude"], name="program_geo_idx"),
            models.Index(fields=["status", "name"], name="program_status_name_idx"),
            models.Index(fields=["status", "verified_at"], name="program_status_verified_idx"),
            models.Index(fields=["state", "city"], name="program_state_city_idx"),
            models.Index(fields=["zip_code"], name="program_zip_idx"),
            models.Index(fields=["phone"], name="program_phone_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~Q(external_id=""),
                name="program_unique_source_external_id",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="program_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="program_longitude_range",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.city}, {self.state})"

    def get_absolute_url(self):
        return program_url(self.slug)

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    @property
    def is_verified(self):
        return self.verified_at is not None

    @property
    def is_contactable(self) -> bool:
        """The CONTACTABLE rule for one loaded program."""
        return any(getattr(self, name) for name in ("phone", "intake_phone", "hotline_phone", "website"))

    @property
    def otp_unconfirmed(self) -> bool:
        """Certified once, but a newer complete OTP directory does not list it."""
        return self.otp_certified and self.otp_missing_since is not None

    @property
    def is_mental_health_only(self) -> bool:
        return is_mental_health_only(self.facility_type)

    # --- revisions ------------------------------------------------------------
    # Plain many-to-many links are not part of Wagtail's revision content, so
    # they are added here; they are applied when the revision is published
    # (signals.apply_published_links).

    @classmethod
    def get_indexed_objects(cls):
        """What site search indexes (Wagtail's bulk indexing, update_index,
        directory.services.programs_search_index), loaded in bulk."""
        return cls.objects.select_related("organization").with_term_names()

    def term_names(self) -> str:
        """The names of this program's terms in every vocabulary of the
        registry, for site search (loaded with the row by with_term_names,
        else read now)."""
        names = getattr(self, "_term_names", None)
        if names is None:
            names = program_term_names([self.pk]).get(self.pk, "") if self.pk else ""
        return names

    def current_links(self) -> dict:
        return {name: self.link_ids(name) for name in self.LINK_FIELDS}

    def link_ids(self, name: str) -> list[int]:
        """The term ids of one vocabulary in this version of the listing: a
        revision's (with_content_json), else the join table's."""
        pending = getattr(self, "_pending_links", None) or {}
        if name in pending:
            return sorted(pending[name])
        if self.pk:
            return sorted(getattr(self, name).values_list("pk", flat=True))
        return []

    def serializable_data(self):
        data = super().serializable_data()
        data["_links"] = self.current_links()
        held = getattr(self, "_held_changes", None)
        if held is not None:
            data[self.HELD_MARKER] = sorted(held)
        return data

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        links = dict(content.get("_links") or {})
        held = content.get(self.HELD_MARKER)
        if held is not None and self.pk:
            # A center's change: review covers the held fields only, so the
            # rest (availability, description...) is whatever is live now,
            # even if it changed after the draft was submitted.
            live = type(self).objects.get(pk=self.pk)
            kept = set(self.REVIEWED_FIELDS) | set(self.POSITION_FIELDS)
            for field in self._meta.concrete_fields:
                if field.attname not in kept and field.name not in kept and not field.primary_key:
                    if field.name in {"live_revision", "latest_revision"}:
                        continue
                    setattr(obj, field.attname, getattr(live, field.attname))
            live_links = live.current_links()
            links = {
                name: (links.get(name, live_links[name]) if name in self.REVIEWED_LINKS else live_links[name])
                for name in self.LINK_FIELDS
            }
            # The marker is not carried over: a staff edit of this draft in the
            # admin is a full revision of its own.
        obj._pending_links = links
        # The lock is the live row's, never an older version's.
        obj.contact_changes_frozen = self.contact_changes_frozen
        return obj

    def publish(self, revision, user=None, *, keep_review=False, **kwargs):
        """Publish a revision (Wagtail's action), then tell the previous
        inquiry address when contact details changed. Publishing ends the
        listing's review (WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH: staff publishing
        the draft settle it); with keep_review it stays as it is (a center's
        changes published at once while its held ones wait or were sent
        back, untouched by this save). contacts_published goes out after."""
        before = type(self).objects.filter(pk=self.pk).values(*self.CONTACT_FIELDS).first() or {}
        if keep_review:
            skip = kwargs.pop("skip_permission_checks", False)
            result = PublishKeepingReview(revision, user=user, **kwargs).execute(skip_permission_checks=skip)
        else:
            result = super().publish(revision, user=user, **kwargs)

        contacts_published.send(sender=type(self), program=type(self).objects.get(pk=self.pk), before=before)
        return result

    @property
    def availability_is_stale(self) -> bool:
        """Not confirmed for AVAILABILITY_FRESH_DAYS: shown as "not confirmed
        recently" and the center is reminded."""
        if self.availability_updated_at is None:
            return True
        return timezone.now() - self.availability_updated_at > timezone.timedelta(
            days=AVAILABILITY_FRESH_DAYS
        )

    def mark_availability(self, accepting, open_beds=None):
        self.accepting_clients = accepting
        self.open_beds = open_beds
        self.availability_updated_at = timezone.now()

    @staticmethod
    def unique_slug(name, city, state, taken=None):
        """A readable slug; callers that create many at once pass the set of
        slugs already used so no query is needed per row."""
        base = slugify(f"{name} {city} {state}")[:200] or "program"
        slug, n = base, 2
        exists = (
            (lambda s: s in taken)
            if taken is not None
            else (lambda s: Program.objects.filter(slug=s).exists())
        )
        while exists(slug):
            slug, n = f"{base}-{n}", n + 1
        return slug


def is_mental_health_only(facility_type: str) -> bool:
    """The locator's type_facility says mental health and nothing else
    ("MH", "Mental health"); "SA", "SA,MH", "BUPREN" or nothing are not."""
    parts = {" ".join(p.split()) for p in re.split(r"[,;/|]+", (facility_type or "").casefold())} - {""}
    return bool(parts) and parts <= MENTAL_HEALTH_TYPES


MENTAL_HEALTH_TYPES = {"mh", "mental health", "mental health only", "mental health treatment"}


class ProblemReport(models.Model):
    """'Report a problem with this listing': stored for staff to check."""

    class Kind(models.TextChoices):
        PHONE = "phone", "The phone number is wrong or disconnected"
        CLOSED = "closed", "The program has closed or moved"
        ADDRESS = "address", "The address or directions are wrong"
        SERVICES = "services", "The services, payment or availability are wrong"
        CONDUCT = "conduct", "Calls are answered by someone other than the program"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="problem_reports")
    kind = models.CharField("what is wrong", max_length=20, choices=Kind.choices)
    details = models.TextField(max_length=2000, blank=True)
    contact_email = models.EmailField("your email (optional)", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "listing problem report"
        indexes = [models.Index(fields=["status", "created_at"], name="problemreport_status_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.program.name}"


class ListingSafetyCase(models.Model):
    """Opened when the previous contact of a listing answered the
    contact-change alert with "This was not us": the listing's contact
    details were put back and center changes to them are locked
    (Program.contact_changes_frozen) until staff close the case. One case
    per alert (`contact_change_entry_id`, the alert's log entry): the
    emailed link works once."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="safety_cases")
    contact_change_entry_id = models.BigIntegerField(unique=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # field -> [value reported as not ours, value put back]
    restored = models.JSONField(default=dict, blank=True, editable=False)
    reported_by_email = models.EmailField(blank=True, editable=False)
    opened_at = models.DateTimeField(default=timezone.now, editable=False)
    staff_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        editable=False,
    )  # fmt: skip

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = "listing safety case"
        indexes = [models.Index(fields=["status", "opened_at"], name="safetycase_status_idx")]

    def __str__(self):
        return f"{self.program.name}: contact change reported {self.opened_at:%Y-%m-%d}"


class SearchIndexChange(models.Model):
    """The search index's change log (see facets.py): one row per saved or
    deleted program (program_id NULL: rebuild everything, e.g. after a bulk
    import or a vocabulary edit). Every process applies new rows to its own
    in-memory index, in id order, instead of rebuilding it. Rows older than
    a day are pruned."""

    id = models.BigAutoField(primary_key=True)
    program_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "search index change"

    def __str__(self):
        return f"change {self.pk}: program {self.program_id or 'all'}"


class FieldProvenance(models.Model):
    """Where each of a listing's values came from: for every field an import
    wrote, staff changed in the admin ("staff") or the center set in the
    portal ("center"), the source, the file (for a center, how it came in)
    and when (shown to staff on the listing's Source tab and inspect view).
    One row per program; `fields` maps a field name to {"source", "file",
    "at"}."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="provenance")
    fields = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "field provenance"
        verbose_name_plural = "field provenance"

    def __str__(self):
        return f"Provenance of {self.program_id}"

    def rows(self):
        """(field label, source, file, when, data date) for display, in model
        order. A vocabulary term stamped on its own ("levels_of_care:12",
        from a file that covers only some terms) is shown under its
        vocabulary with the term's id."""
        labels = {f.name: f.verbose_name for f in Program._meta.get_fields() if hasattr(f, "verbose_name")}
        order = list(labels)

        def position(key):
            base = key.split(":")[0]
            return (order.index(base) if base in order else 999, key)

        def label(key):
            base, _, term = key.partition(":")
            text = str(labels.get(base, base)).capitalize()
            return f"{text} (term {term})" if term else text

        return [
            (
                label(name),
                v.get("source", ""),
                v.get("file", ""),
                parse_datetime(v.get("at", "")),
                v.get("as_of", ""),
            )
            for name, v in sorted(self.fields.items(), key=lambda kv: position(kv[0]))
        ]


class MatchReview(models.Model):
    """An import row (or a stored listing) that may be the same facility as
    an existing listing, for staff to decide in the admin's match review
    queue ("Same facility: merge" / "Different facilities: keep separate").
    The row was written as a draft listing (`incoming_program`) so nothing is
    lost and no duplicate is published meanwhile. The decision is remembered
    by `key` (the source's facility id, else the normalised address and
    name: directory/importing/identity.py), so the next import does not ask
    again."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        MERGED = "merged", "Same facility: merged"
        SEPARATE = "separate", "Different facilities: kept separate"

    key = models.CharField(max_length=300, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    incoming = models.JSONField(default=dict, blank=True, help_text="The row's values as the file gave them.")
    incoming_program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The draft listing written from the row.",
    )  # fmt: skip
    candidate = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="match_reviews",
        help_text="The existing listing it may be.",
    )  # fmt: skip
    source = models.CharField(max_length=40, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    as_of = models.DateField("data date", null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    score = models.FloatField(null=True, blank=True)
    publish_if_separate = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "possible duplicate"
        indexes = [models.Index(fields=["status", "created_at"], name="matchreview_status_idx")]

    def __str__(self):
        return f"{self.incoming.get('name', '?')} / {self.candidate.name if self.candidate else '(gone)'}"


class ProgramRedirect(models.Model):
    """A merged listing's old address: its slug answers 301 to the listing
    it was merged into (directory/merging.py)."""

    old_slug = models.SlugField(max_length=220, unique=True)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "old listing address"

    def __str__(self):
        return f"{self.old_slug} -> {self.program_id}"


def import_upload_to(instance, filename: str) -> str:
    """uploads/YYYY/MM/<random>/<the file's own name>: the importer names
    the file in messages and provenance, so it keeps the name staff gave it."""
    return f"uploads/{timezone.now():%Y/%m}/{secrets.token_hex(8)}/{filename}"


@deconstructible
class PrivateImportStorage(FileSystemStorage):
    """Facility files staff upload and their import reports: on disk under
    settings.DIRECTORY_IMPORT_ROOT, outside MEDIA_ROOT, so no URL serves
    them; staff download reports through a permission-checked admin view."""

    def __init__(self):
        super().__init__()

    @property
    def base_location(self):
        return settings.DIRECTORY_IMPORT_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Import files are private and have no URL.")


class ImportJob(models.Model):
    """A facility file uploaded by staff in the admin: checked by a dry run,
    then applied, both in the task queue (directory/importing/jobs.py). The
    file and reports are deleted after DIRECTORY_IMPORT_RETENTION_DAYS
    (manage.py purge_import_files); the job and its summary stay."""

    class Status(models.TextChoices):
        CHECKING = "checking", "Checking (dry run)"
        CHECKED = "checked", "Checked: ready to apply"
        APPLYING = "applying", "Importing"
        APPLIED = "applied", "Imported"
        FAILED = "failed", "Refused or failed"

    file = models.FileField(storage=PrivateImportStorage(), upload_to=import_upload_to, max_length=300)
    file_name = models.CharField("file name", max_length=255)
    file_size = models.PositiveBigIntegerField(default=0)
    format = models.CharField(max_length=30, blank=True, help_text="Empty: detected from the file.")
    detected_format = models.CharField(max_length=30, blank=True)
    columns_found = models.JSONField("the file's columns", default=list, blank=True)
    columns = models.JSONField("column mapping", default=dict, blank=True, help_text="file column -> field")
    as_of = models.DateField("data date", null=True, blank=True)
    check_first = models.BooleanField("check with a dry run first", default=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CHECKING)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    dry_run_summary = models.JSONField(default=dict, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    dry_run_report = models.FileField(storage=PrivateImportStorage(), upload_to="reports/%Y/%m/", blank=True)
    report = models.FileField(storage=PrivateImportStorage(), upload_to="reports/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    files_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "facility import"
        permissions = [("import_facilities", "Can import facilities (upload files in the admin)")]

    def __str__(self):
        return f"Import {self.pk}: {self.file_name}"

    @property
    def running(self) -> bool:
        return self.status in {self.Status.CHECKING, self.Status.APPLYING}

    @property
    def percent(self) -> int:
        return min(100, self.progress_done * 100 // self.progress_total) if self.progress_total else 0
