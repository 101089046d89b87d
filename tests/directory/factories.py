"""Factories for directory tests. Vocabulary post-generation hooks accept
term objects or slugs, e.g. ``ProgramFactory(levels_of_care=["detox"])``;
the slugs are the ones the vocabulary migration loads."""

import factory
from django.utils.text import slugify

from directory import geo, vocabularies
from directory.models import (
    Accreditation,
    Language,
    LevelOfCare,
    Medication,
    Organization,
    PaymentOption,
    Population,
    Program,
)

# A few real ZIP codes (city, state) so coordinates are real centroids.
ZIPS = [
    ("10001", "New York", "NY"),
    ("60601", "Chicago", "IL"),
    ("19103", "Philadelphia", "PA"),
    ("30303", "Atlanta", "GA"),
    ("98101", "Seattle", "WA"),
]


def _terms(model, values):
    """Objects pass through; slugs are looked up (created when missing, so
    tests that do not rely on the migration's data still work)."""
    terms = []
    for value in values:
        if isinstance(value, str):
            value, _ = model.objects.get_or_create(slug=value, defaults={"name": value.replace("-", " ")})
        terms.append(value)
    return terms


def _m2m(field_name, model):
    def hook(obj, create, extracted, **kwargs):
        if create and extracted:
            getattr(obj, field_name).set(_terms(model, extracted))

    return factory.PostGeneration(hook)


class TermFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Term {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))

    class Meta:
        abstract = True
        django_get_or_create = ("slug",)


class LevelOfCareFactory(TermFactory):
    class Meta:
        model = LevelOfCare


class MedicationFactory(TermFactory):
    class Meta:
        model = Medication


class PaymentOptionFactory(TermFactory):
    class Meta:
        model = PaymentOption


class PopulationFactory(TermFactory):
    class Meta:
        model = Population


class LanguageFactory(TermFactory):
    class Meta:
        model = Language


class AccreditationFactory(TermFactory):
    class Meta:
        model = Accreditation


class OrganizationFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Provider {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))

    class Meta:
        model = Organization


class _ProgramFields(factory.django.DjangoModelFactory):
    """A published program at a real ZIP centroid in New York by default;
    pass ``zip_code``/``city``/``state`` (and let coordinates follow) or
    explicit ``latitude``/``longitude``."""

    class Params:
        place = factory.Iterator(ZIPS)

    name = factory.Sequence(lambda n: f"Recovery Program {n}")
    slug = factory.Sequence(lambda n: f"recovery-program-{n}")
    zip_code = factory.LazyAttribute(lambda o: o.place[0])
    city = factory.LazyAttribute(lambda o: o.place[1])
    state = factory.LazyAttribute(lambda o: o.place[2])
    street1 = factory.Sequence(lambda n: f"{100 + n} Main Street")
    latitude = factory.LazyAttribute(lambda o: geo.zip_centroid(o.zip_code)[0])
    longitude = factory.LazyAttribute(lambda o: geo.zip_centroid(o.zip_code)[1])
    # 555-0101..0149 only: tests change listings to numbers from 555-0150
    # up (or 555-0100), which must differ from whatever the sequence gave.
    phone = factory.Sequence(lambda n: f"555-01{n % 49 + 1:02d}")
    website = "https://example.org/"
    status = Program.Status.PUBLISHED
    source = Program.Source.STAFF

    class Meta:
        model = Program
        skip_postgeneration_save = True


# Every vocabulary of the registry, by term objects or slugs.
ProgramFactory = type(
    "ProgramFactory",
    (_ProgramFields,),
    {
        "__doc__": _ProgramFields.__doc__,
        "__module__": __name__,
        **{v.relation: _m2m(v.relation, v.model) for v in vocabularies.all_vocabularies()},
    },
)
