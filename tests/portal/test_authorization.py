"""The authorization matrix: every portal URL, tried by people who must not
get in. To add a view, add a Route to ROUTES (or, for a view any signed-in
user may open on purpose, to OPEN_TO_SIGNED_IN); test_every_portal_url_is_in_the_matrix
fails until you do.

A Route's ``kwargs`` builds the URL arguments from a World (the victim
organization B and its objects); ``role`` is the least role of B needed to
use it (None: any member); ``methods`` the HTTP methods the view answers;
``post_data`` a valid form body (a dict, or World -> dict), so a POST that
got through would change something (and the test would see it). That the
bodies are valid is tested: the same body posted by B's manager is accepted
and changes what it is about (test_the_matrix_posts_work_for_the_right_person),
so a refusal can only come from the authorization check, never from form
validation."""

from dataclasses import dataclass, field
from http import HTTPStatus

import pytest
from django import forms
from django.urls import URLPattern, reverse
from wagtail.models import Revision

from directory import vocabularies
from directory.models import Program
from inquiries.models import Inquiry
from portal import urls as portal_urls
from portal.listing_forms import ListingEditForm
from portal.models import Invitation, ListingClaim, Membership, Role
from portal.services import claim_create, invitation_create

from .factories import MembershipFactory, UserFactory, center, make_inquiry

pytestmark = pytest.mark.django_db


@dataclass
class World:
    """Organization B, seen by outsiders: its manager, a staff member, a
    listing, an open invitation and a claim by B's manager."""

    manager: object
    organization: object
    program: object
    staff_membership: object
    invitation: object
    claim: object
    inquiry: object
    extra: dict = field(default_factory=dict)


@dataclass
class Route:
    name: str
    kwargs: object  # World -> dict
    role: str | None = None
    methods: tuple = ("get",)
    post_data: object = field(default_factory=dict)  # dict, or World -> dict

    def body(self, world) -> dict:
        return self.post_data(world) if callable(self.post_data) else self.post_data


def listing_edit_body(program, **changes) -> dict:
    """The portal's listing edit form, complete and valid, as its page sends
    it: every field of ListingEditForm with the listing's values (a checkbox
    left out when off, as browsers do), one term of every vocabulary in the
    registry, then `changes`."""
    form = ListingEditForm(instance=program, links=program.current_links())
    body = {}
    for name, form_field in form.fields.items():
        value = form[name].value()
        if isinstance(form_field, forms.BooleanField):
            if value:
                body[name] = "on"
        else:
            body[name] = "" if value is None else value
    for vocabulary in vocabularies.all_vocabularies():
        body[vocabulary.relation] = [vocabulary.model.objects.order_by("pk").values_list("pk", flat=True)[0]]
    return {**body, **changes}


def intruder_listing_edit(world) -> dict:
    return listing_edit_body(
        world.program,
        name="Taken Over (Sample)",
        description="Overwritten by an intruder",
        phone="(212) 555-0100",
    )


ROUTES = [
    Route("portal:program_stats", lambda w: {"slug": w.program.slug}),
    Route("portal:program_stats", lambda w: {"slug": str(w.program.pk)}),
    Route("portal:team", lambda w: {"org_slug": w.organization.slug}, methods=("get",)),
    Route(
        "portal:team",
        lambda w: {"org_slug": w.organization.slug},
        role=Role.MANAGER,
        methods=("post",),
        post_data={"email": "intruder@example.org", "role": "manager"},
    ),
    Route(
        "portal:member_role",
        lambda w: {"org_slug": w.organization.slug, "pk": w.staff_membership.pk},
        role=Role.MANAGER,
        methods=("post",),
        post_data=lambda w: {f"member-{w.staff_membership.pk}-role": "manager"},
    ),
    # GET: the confirmation page; POST: the removal.
    Route(
        "portal:member_remove",
        lambda w: {"org_slug": w.organization.slug, "pk": w.staff_membership.pk},
        role=Role.MANAGER,
        methods=("get", "post"),
    ),
    Route(
        "portal:invitation_revoke",
        lambda w: {"org_slug": w.organization.slug, "pk": w.invitation.pk},
        role=Role.MANAGER,
        methods=("post",),
    ),
    Route("portal:inbox", lambda w: {"org_slug": w.organization.slug}),
    Route("portal:inbox", lambda w: {"org_slug": w.organization.slug}, methods=("get",)),
    Route("portal:inquiry_detail", lambda w: {"org_slug": w.organization.slug, "pk": w.inquiry.pk}),
    Route(
        "portal:inquiry_status",
        lambda w: {"org_slug": w.organization.slug, "pk": w.inquiry.pk},
        methods=("post",),
        post_data={"status": "closed"},
    ),
    Route(
        "portal:inquiry_note",
        lambda w: {"org_slug": w.organization.slug, "pk": w.inquiry.pk},
        methods=("post",),
        post_data={"note": "overwritten by an intruder"},
    ),
    # A listing's edit form and availability (issue 9b): any member of B.
    Route("portal:listing_edit", lambda w: {"slug": w.program.slug}),
    Route(
        "portal:listing_edit",
        lambda w: {"slug": str(w.program.pk)},
        methods=("post",),
        post_data=intruder_listing_edit,
    ),
    Route(
        "portal:listing_availability",
        lambda w: {"slug": w.program.slug},
        methods=("post",),
        post_data={"accepting": "no", "open_beds": "9"},
    ),
    # Claims belong to the user who sent them, whatever their role.
    Route("portal:claim_detail", lambda w: {"pk": w.claim.pk}, role="owner"),
]

# Views any signed-in user may use on purpose (they check their own rules):
# claiming a public listing, accepting an invitation sent to you.
OPEN_TO_SIGNED_IN = {"dashboard", "claim_program", "claim_organization", "invitation_accept"}


def portal_url_names():
    return {p.name for p in portal_urls.urlpatterns if isinstance(p, URLPattern)}


def test_every_portal_url_is_in_the_matrix():
    covered = {route.name.split(":", 1)[1] for route in ROUTES} | OPEN_TO_SIGNED_IN
    assert portal_url_names() - covered == set()


@pytest.fixture
def world():
    manager, organization, programs = center(role=Role.MANAGER, programs=1)
    staff = MembershipFactory(organization=organization, role=Role.STAFF)
    invitation = invitation_create(
        organization=organization, email="colleague-b@example.org", role=Role.STAFF, invited_by=manager
    )
    other_org_program = center(programs=1)[2][0]
    claim, _ = claim_create(
        user=manager,
        program=other_org_program,
        full_name="B Manager",
        job_title="Director",
        work_phone="555-010-0199",
    )
    inquiry = make_inquiry(programs[0], name="B Family Name", message="B family secret message")
    return World(manager, organization, programs[0], staff, invitation, claim, inquiry)


def snapshot(world):
    """Everything a forbidden request could change."""
    program = Program.objects.get(pk=world.program.pk)
    return (
        {name: sorted(getattr(program, name).values_list("pk", flat=True)) for name in Program.LINK_FIELDS},
        sorted(Membership.objects.values_list("pk", "role")),
        sorted(Invitation.objects.values_list("pk", "email", "accepted_at", "revoked_at")),
        sorted(ListingClaim.objects.values_list("pk", "status")),
        sorted((i.pk, i.status, i.opened_at, i.center_note) for i in Inquiry.objects.all()),
        sorted(
            Program.objects.values_list(
                "pk",
                "name",
                "phone",
                "description",
                "accepting_clients",
                "open_beds",
                "has_unpublished_changes",
            )
        ),
        Revision.objects.count(),
    )


def cases(world):
    for route in ROUTES:
        url = reverse(route.name, kwargs=route.kwargs(world))
        for method in route.methods:
            yield route, method, url


def request(client, method, url, route, world):
    return client.post(url, route.body(world)) if method == "post" else client.get(url)


SECRETS = ("colleague-b@example.org", "B Manager", "B Family Name", "B family secret message")


def assert_refused(response, route, method, url, allowed=(HTTPStatus.NOT_FOUND, HTTPStatus.FORBIDDEN)):
    assert response.status_code in allowed, f"{method.upper()} {url} ({route.name}) -> {response.status_code}"
    body = response.content.decode()
    for secret in SECRETS:
        assert secret not in body, f"{method.upper()} {url} leaked {secret!r}"


def test_anonymous_users_are_sent_to_sign_in(client, world):
    before = snapshot(world)
    for route, method, url in cases(world):
        response = request(client, method, url, route, world)
        assert response.status_code == HTTPStatus.FOUND, url
        assert response["Location"].startswith(reverse("account_login")), url
    for name in OPEN_TO_SIGNED_IN - {"claim_program", "claim_organization", "invitation_accept"}:
        assert client.get(reverse(f"portal:{name}"))["Location"].startswith(reverse("account_login"))
    assert snapshot(world) == before


def test_members_of_another_organization_get_nothing(client, world):
    outsider, _, own_programs = center(role=Role.MANAGER, programs=1)
    client.force_login(outsider)
    before = snapshot(world)
    for route, method, url in cases(world):
        assert_refused(request(client, method, url, route, world), route, method, url)
    assert snapshot(world) == before


def test_own_organization_slug_with_another_organizations_ids(client, world):
    """Ids taken from B, put in URLs under A's own organization."""
    outsider, own_org, _ = center(role=Role.MANAGER, programs=1)
    client.force_login(outsider)
    before = snapshot(world)
    for name, pk in [
        ("portal:member_remove", world.staff_membership.pk),
        ("portal:invitation_revoke", world.invitation.pk),
        ("portal:inquiry_detail", world.inquiry.pk),
        ("portal:inquiry_status", world.inquiry.pk),
        ("portal:inquiry_note", world.inquiry.pk),
    ]:
        url = reverse(name, kwargs={"org_slug": own_org.slug, "pk": pk})
        assert client.post(url, {"status": "closed", "note": "x"}).status_code == HTTPStatus.NOT_FOUND, url
        assert_refused(client.get(url), Route(name, None), "get", url, allowed=(404, 405))
    assert snapshot(world) == before


def test_guessed_ids_are_not_found(client, world):
    outsider, _, _ = center(programs=1)
    client.force_login(outsider)
    for url in [
        reverse("portal:program_stats", kwargs={"slug": "999999"}),
        reverse("portal:program_stats", kwargs={"slug": "no-such-listing"}),
        reverse("portal:listing_edit", kwargs={"slug": "999999"}),
        reverse("portal:team", kwargs={"org_slug": "no-such-org"}),
        reverse("portal:claim_detail", kwargs={"pk": 999999}),
        reverse("portal:inquiry_detail", kwargs={"org_slug": "no-such-org", "pk": world.inquiry.pk}),
    ]:
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url


def test_staff_members_cannot_use_manager_views(client, world):
    client.force_login(world.staff_membership.user)
    before = snapshot(world)
    for route, method, url in cases(world):
        if route.role == Role.MANAGER:
            response = request(client, method, url, route, world)
            assert response.status_code == HTTPStatus.FORBIDDEN, url
        elif route.role == "owner":
            assert_refused(request(client, method, url, route, world), route, method, url)
    assert snapshot(world) == before


def test_the_matrix_routes_work_for_the_right_person(client, world):
    """The matrix would prove nothing if the URLs failed for everybody."""
    client.force_login(world.manager)
    for _route, method, url in cases(world):
        if method == "get":
            assert client.get(url).status_code == HTTPStatus.OK, url
    client.force_login(world.staff_membership.user)  # staff answer the inbox
    url = reverse(
        "portal:inquiry_detail", kwargs={"org_slug": world.organization.slug, "pk": world.inquiry.pk}
    )
    assert "B family secret message" in client.get(url).content.decode()


def test_the_matrix_posts_work_for_the_right_person(client, world):
    """The refusals prove something only if the bodies are good: posted by
    B's manager, each POST body is accepted (2xx/3xx, no form error) and
    changes what it is about, so the 403/404s above come from authorization."""
    body = intruder_listing_edit(world)
    form = ListingEditForm(data=body, instance=world.program)
    assert form.is_valid(), form.errors
    unchecked = {
        name for name, f in form.fields.items() if isinstance(f, forms.BooleanField) and name not in body
    }
    assert set(form.fields) - unchecked <= set(body)  # complete: only a checkbox that is off is left out
    assert all(body[v.relation] for v in vocabularies.all_vocabularies())

    client.force_login(world.manager)
    for route, method, url in cases(world):
        if method != "post":
            continue
        before = snapshot(world)
        response = client.post(url, route.body(world))
        assert HTTPStatus.OK <= response.status_code < HTTPStatus.BAD_REQUEST, (
            f"POST {url} -> {response.status_code}"
        )
        assert snapshot(world) != before, f"POST {url} ({route.name}) changed nothing"

    program = Program.objects.get(pk=world.program.pk)
    assert program.description == "Overwritten by an intruder"  # published at once
    assert program.has_unpublished_changes  # the name and phone wait for review
    for vocabulary in vocabularies.all_vocabularies():
        if vocabulary.relation not in Program.REVIEWED_LINKS:
            assert (
                list(getattr(program, vocabulary.relation).values_list("pk", flat=True))
                == body[vocabulary.relation]
            ), vocabulary.relation


def test_center_users_get_nothing_under_admin(client, world):
    client.force_login(world.manager)
    for url in ["/admin/", "/admin/snippets/", "/admin/listing-claims/", "/django-admin/"]:
        response = client.get(url)
        assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN), url
        if response.status_code == HTTPStatus.FOUND:
            assert "login" in response["Location"], url
    assert not world.manager.has_perm("wagtailadmin.access_admin")


def test_user_helpers_list_only_own_objects(world):
    from portal.selectors import organizations_for_user, programs_for_user

    outsider, own_org, own_programs = center(programs=2)
    assert list(organizations_for_user(user=outsider)) == [own_org]
    assert set(programs_for_user(user=outsider)) == set(own_programs)
    assert world.program not in programs_for_user(user=outsider)


def test_unused_user_factory_is_verified():
    user = UserFactory()
    assert user.emailaddress_set.get().verified
