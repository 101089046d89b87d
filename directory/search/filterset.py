"""The one description of a directory search. The HTML page, the JSON API
and the CSV download all bind this FilterSet to the query string.

Bad input never fails the search: an unknown place is a form error on the
location field; unknown vocabulary values are dropped and reported as
notices; radius, sort and page are clamped to what we offer."""

import copy
import math

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt

from directory import places, vocabularies
from directory.geo import EARTH_RADIUS_MILES, bounding_box
from directory.models import PROGRAM_NAME_ORDER, Organization, Program

from . import freshness

RADIUS_CHOICES = [5, 10, 25, 50, 100]
DEFAULT_RADIUS = 25
SORT_CHOICES = [("distance", "Distance"), ("name", "Name"), ("verified", "Recently verified")]
MAX_VALUES_PER_FILTER = 20
MAX_QUERY_LENGTH = 100


class SharedChoicesMixin:
    """Every search builds a form, and Django deep-copies each field's
    choices into it (~100 vocabulary terms: a few milliseconds per page).
    Our choices are read-only (a callable over the search index), so the
    copies share them; everything a request may change (the widget's
    attributes, error messages, what was ignored) is still per form."""

    def __deepcopy__(self, memo):
        result = copy.copy(self)
        memo[id(self)] = result
        result.widget = copy.copy(self.widget)
        result.widget.attrs = self.widget.attrs.copy()
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result


class LenientMultipleChoiceField(SharedChoicesMixin, forms.MultipleChoiceField):
    """Keeps the values we know and remembers the ones we don't, so a stale
    bookmark still searches instead of failing."""

    def clean(self, value):
        values = [str(v)[:60] for v in self.to_python(value) if v not in ("", None)][:MAX_VALUES_PER_FILTER]
        if not values:  # most groups of a search: no need to read the choices
            self.ignored = []
            return []
        known = {str(key) for key, _ in self.choices}
        self.ignored = [v for v in values if v not in known]
        return [v for v in dict.fromkeys(values) if v in known]


class LenientChoiceField(SharedChoicesMixin, forms.ChoiceField):
    """A single choice that falls back to its initial value when unknown."""

    def clean(self, value):
        value = self.to_python(value)
        known = {str(key) for key, _ in self.choices}
        self.ignored = [value] if value and value not in known else []
        return value if value in known else self.initial


class RadiusField(forms.IntegerField):
    """Any number is accepted and snapped to the nearest offered radius."""

    def clean(self, value):
        self.ignored = []
        try:
            miles = float(str(value).strip()) if value not in (None, "") else DEFAULT_RADIUS
        except ValueError:
            self.ignored = [str(value)[:20]]
            return DEFAULT_RADIUS
        if not math.isfinite(miles):
            return DEFAULT_RADIUS
        return min(RADIUS_CHOICES, key=lambda choice: abs(choice - miles))


class ProgramSearchForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("location") or ""
        cleaned["place"] = None
        self.place_suggestions = []
        if text:
            place = places.resolve(text)
            if place is None:
                self.place_suggestions = places.suggest(text)
                self.add_error("location", self.unknown_place_error(text[:60]))
            cleaned["place"] = place
        return cleaned

    def unknown_place_error(self, text):
        if self.place_suggestions and places.is_ambiguous(text):
            return forms.ValidationError(
                "“%(text)s” is the name of places in more than one state. Add the state, such as "
                "%(example)s, or choose a place below.",
                code="ambiguous_place",
                params={"text": text, "example": self.place_suggestions[0]},
            )
        if self.place_suggestions:
            return forms.ValidationError(
                "We couldn't find “%(text)s”. Did you mean %(example)s?",
                code="unknown_place",
                params={"text": text, "example": self.place_suggestions[0]},
            )
        return forms.ValidationError(
            "We couldn't find “%(text)s”. Enter a 5-digit ZIP code, a city and state such as "
            "Denver, CO, or a county such as Fulton County, GA.",
            code="unknown_place",
            params={"text": text},
        )

    @property
    def notices(self):
        """Plain-language notes about values we ignored."""
        ignored = []
        for field in self.fields.values():
            for value in getattr(field, "ignored", []):
                ignored.append(f"{field.label}: “{value}”")
        if not ignored:
            return []
        return ["Some search options were not recognized and were ignored: " + "; ".join(ignored) + "."]


def vocabulary_choices(relation):
    def choices():
        return [(term.slug, term.name) for term in freshness.vocabulary(relation)]

    return choices


class SharedFilterMixin:
    """django-filter deep-copies every filter for every search (its choices,
    its label, its extra arguments): ~0.3 ms a page. Ours keep nothing per
    search but what the FilterSet sets (model, parent) and the form field it
    builds, so a shallow copy is enough; a filter with a `method` gets its
    own method proxy, bound to the copy (django-filter's FilterMethod holds
    the filter it was made for)."""

    def __deepcopy__(self, memo):
        clone = copy.copy(self)
        memo[id(self)] = clone
        if self.method is not None:
            clone.method = self.method  # the setter makes a FilterMethod for the clone
        return clone


class TextFilter(SharedFilterMixin, django_filters.CharFilter):
    pass


class TermFilter(SharedFilterMixin, django_filters.MultipleChoiceFilter):
    """Programs with any of the chosen terms (OR within a group, AND across
    groups), as an EXISTS subquery so no DISTINCT is needed."""

    field_class = LenientMultipleChoiceField

    def __init__(self, *args, relation, **kwargs):
        self.relation = relation
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(term_condition(self.relation, value))


def term_condition(relation, slugs) -> Q:
    """Programs with any of these terms of a relation, less those a
    restriction contradicts (vocabularies.EXCLUSIONS)."""
    exclusions = vocabularies.exclusions_for(relation)
    plain = [slug for slug in slugs if slug not in exclusions]
    match = Q(Exists(term_members(relation, plain))) if plain else Q(pk__in=[])
    for slug in slugs:
        if slug in exclusions:  # the term, unless a restriction contradicts it
            match |= Q(Exists(term_members(relation, [slug]))) & ~Q(Exists(restricted(exclusions[slug])))
    return match


def term_members(relation, slugs):
    through = getattr(Program, relation).through
    target = getattr(Program, relation).field.m2m_reverse_field_name()
    return through.objects.filter(program_id=OuterRef("pk"), **{f"{target}__slug__in": slugs})


SEARCHABLE_RELATIONS = frozenset(vocabulary.relation for vocabulary in vocabularies.VOCABULARIES)


def read_text(text):
    """The name field read for names families use (vocabularies.read_names,
    searchable vocabularies only): (names, other words), or None when it
    holds none. "heroin detox" is detox for opioids; "harbor suboxone" is a
    name with "harbor" in it, offering buprenorphine. The FilterSet and the
    in-memory index (query.py) both read it here."""
    read = vocabularies.read_names(vocabularies.words(text), SEARCHABLE_RELATIONS)
    names = [item for item in read if not isinstance(item, str)]
    if not names:
        return None
    return names, [item for item in read if isinstance(item, str)]


def restricted(slugs):
    """Programs with one of these restrictions (vocabularies.EXCLUSIONS)."""
    through = Program.restrictions.through
    return through.objects.filter(program_id=OuterRef("pk"), restriction__slug__in=sorted(slugs))


class FlagFilter(SharedFilterMixin, django_filters.Filter):
    """A yes/no filter from the registry: ticked keeps the programs matching
    its condition; unticked (or absent) filters nothing."""

    field_class = forms.BooleanField

    def __init__(self, *args, condition, **kwargs):
        self.condition = condition
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs.filter(self.condition) if value else qs


class RadiusFilter(SharedFilterMixin, django_filters.Filter):
    field_class = RadiusField


class SortFilter(SharedFilterMixin, django_filters.Filter):
    field_class = LenientChoiceField


def registry_filters() -> dict:
    """One filter per vocabulary and flag in directory/vocabularies.py."""
    filters = {}
    for vocabulary in vocabularies.VOCABULARIES:
        filters[vocabulary.param] = TermFilter(
            label=vocabulary.label,
            relation=vocabulary.relation,
            choices=vocabulary_choices(vocabulary.relation),
        )
    for flag in vocabularies.FLAGS:
        filters[flag.param] = FlagFilter(label=flag.label, condition=flag.condition)
    return filters


class BaseProgramFilter(django_filters.FilterSet):
    """Location, radius, name and sort; the vocabulary and flag filters are
    added from the registry (ProgramFilter below)."""

    location = TextFilter(
        label="ZIP code, city or county",
        method="filter_location",  # with the radius; the place is resolved by the form
        max_length=MAX_QUERY_LENGTH,
    )
    radius = RadiusFilter(label="Distance", method="filter_noop")
    q = TextFilter(label="Program or organization name", method="filter_text", max_length=100)

    class Meta:
        model = Program
        fields = []
        form = ProgramSearchForm

    @classmethod
    def form_class(cls):
        """django-filter builds a new form class, and a new field per filter,
        for every FilterSet instance; ours are the same for every search
        (choices are read when used), so each FilterSet class builds its form
        class once."""
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            fields = {name: copy.deepcopy(each).field for name, each in cls.base_filters.items()}
            form_class = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
            cls._form_class = form_class
        return form_class

    def get_form_class(self):
        return self.form_class()

    # Filter methods -----------------------------------------------------
    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_location(self, queryset, name, value):
        return within_radius(queryset, self.place, self.radius_miles) if self.place else queryset

    def filter_text(self, queryset, name, value):
        value = " ".join(value.split())
        if not value:
            return queryset
        # Organizations as a subquery, not a join: one small scan instead of
        # a lookup per program.
        match = self.name_condition(value)
        if reading := read_text(value):
            # Names families use: their terms (each name, any of its terms),
            # with the other words in the name; as well as the name itself.
            names, others = reading
            also = Q()
            for name_read in names:
                any_term = Q(pk__in=[])
                for relation, slug in name_read.terms_in(SEARCHABLE_RELATIONS):
                    any_term |= term_condition(relation, [slug])
                also &= any_term
            for word in others:
                also &= self.name_condition(word)
            match |= also
        return queryset.filter(match)

    @staticmethod
    def name_condition(value) -> Q:
        organizations = Organization.objects.filter(name__icontains=value).values("pk")
        names = Q(name__icontains=value) | Q(alternate_name__icontains=value)
        return names | Q(organization__in=organizations)

    def filter_sort(self, queryset, name, value):
        key = self.sort_key
        if key == "distance" and self.place:
            return queryset.order_by("distance", *PROGRAM_NAME_ORDER)
        if key == "verified":
            return queryset.order_by(F("verified_at").desc(nulls_last=True), *PROGRAM_NAME_ORDER)
        return queryset.order_by(*PROGRAM_NAME_ORDER)

    # The search as a whole --------------------------------------------------
    @property
    def cleaned(self):
        return self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}

    @property
    def place(self):
        return self.cleaned.get("place")

    @property
    def radius_miles(self):
        return self.cleaned.get("radius") or DEFAULT_RADIUS

    @property
    def sort_key(self):
        """The order used: distance needs a location, else name."""
        key = self.requested_sort
        return "name" if key == "distance" and not self.place else key

    radius_options = RADIUS_CHOICES

    sort_options = SORT_CHOICES

    @property
    def requested_sort(self):
        """What the visitor chose (distance by default), kept in the form
        even when there is no location yet, so adding one sorts by distance."""
        return self.cleaned.get("sort") or "distance"

    @property
    def wider_radius(self):
        wider = [miles for miles in RADIUS_CHOICES if miles > self.radius_miles]
        return wider[0] if wider else None

    @property
    def chosen_filters(self):
        """Each chosen filter value with a label, for "remove this" links."""
        chosen = []
        for name, search_filter in self.filters.items():
            value = self.cleaned.get(name)
            if isinstance(search_filter, TermFilter) and value:
                labels = dict(self.form.fields[name].choices)
                chosen += [{"name": name, "value": v, "label": labels.get(v, v)} for v in value]
            elif isinstance(search_filter, FlagFilter) and value:
                chosen.append({"name": name, "value": self.data.get(name), "label": search_filter.label})
            elif name == "q" and value:
                chosen.append({"name": name, "value": self.data.get(name), "label": f"Name: {value}"})
        return chosen

    def filter_queryset(self, queryset, exclude=()):
        """django-filter's contract, with the filters named in `exclude`
        left out; an invalid search (unknown place) matches nothing."""
        if not self.is_bound:
            return queryset
        if not self.form.is_valid():
            return queryset.none()
        for name, value in self.form.cleaned_data.items():
            if name in self.filters and name not in exclude:
                queryset = self.filters[name].filter(queryset, value)
        return queryset


def _program_filter():
    # Declared filters keep creation order: location, radius, q, then the
    # registry's vocabularies and flags, then sort.
    attrs = registry_filters()
    attrs["sort"] = SortFilter(
        label="Sort by", choices=SORT_CHOICES, initial="distance", method="filter_sort"
    )
    attrs["__module__"] = __name__
    attrs["__doc__"] = "The directory search: BaseProgramFilter plus the registry's filters."
    return type(BaseProgramFilter)("ProgramFilter", (BaseProgramFilter,), attrs)


ProgramFilter = _program_filter()


def within_radius(queryset, place, miles):
    """Programs within `miles`: an indexed bounding-box prefilter, then the
    exact great-circle (haversine) distance on the candidates only."""
    (south, north), lng_ranges = bounding_box(place.latitude, place.longitude, miles)
    in_lng = Q()
    for west, east in lng_ranges:
        in_lng |= Q(longitude__gte=west, longitude__lte=east)
    queryset = queryset.filter(in_lng, latitude__gte=south, latitude__lte=north)
    return queryset.annotate(distance=haversine(place)).filter(distance__lte=miles)


def haversine(place):
    lat1, lng1 = math.radians(place.latitude), math.radians(place.longitude)
    dlat = (Radians(F("latitude")) - lat1) / 2
    dlng = (Radians(F("longitude")) - lng1) / 2
    a = Power(Sin(dlat), 2) + math.cos(lat1) * Cos(Radians(F("latitude"))) * Power(Sin(dlng), 2)
    return 2 * EARTH_RADIUS_MILES * ASin(Sqrt(a))
