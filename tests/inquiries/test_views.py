"""inquiries/views.py: the form, POST/redirect/GET, thank-you page, the
family's status link, abuse checks and the 429 page."""

import math
import re
import time
from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse

from config.ratelimit import rejected_count
from directory.models import Program
from inquiries.forms import new_form_token
from inquiries.models import Inquiry
from tests.directory.factories import ProgramFactory
from tests.inquiries.conftest import post_data

pytestmark = pytest.mark.django_db


def url(program):
    return reverse("inquiries:create", args=[program.slug])


def send(client, program, **overrides):
    return client.post(url(program), post_data(**overrides))


def test_program_page_shows_form_naming_the_program(client, program):
    response = client.get(program.get_absolute_url())
    html = response.content.decode()
    assert f'action="/programs/{program.slug}/inquire/"' in html
    assert f"sends my name, contact details, preferences and message to {program.name}" in html
    consent = re.search(r'<input[^>]*name="consent"[^>]*>', html)[0]
    assert "checked" not in consent
    assert 'name="form_token"' in html


def test_program_without_inquiry_address_says_so_with_phones(client):
    program = ProgramFactory(inquiry_email="", intake_phone="555-0102")
    html = client.get(program.get_absolute_url()).content.decode()
    assert "does not receive messages through FindCare yet" in html
    assert "555-0102" in html
    assert 'name="form_token"' not in html
    response = client.post(url(program), post_data())
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Inquiry.objects.exists()


def test_an_unjoined_listing_leads_with_the_phone_and_offers_no_form(client, unjoined_program):
    """An inquiry address alone is not someone who reads inquiries here: the
    address is only told that a message waits until the center claims the
    listing. So no form; the phone first, why, and how the center can start
    (the portal's claim link)."""
    for page_url in (unjoined_program.get_absolute_url(), url(unjoined_program)):
        html = client.get(page_url).content.decode()
        assert 'name="form_token"' not in html
        note = re.search(r'<p class="inquiry-note">(.*?)</p>', html, re.S)[1]
        assert note.startswith("This program does not receive messages through FindCare yet. Call <a")
        assert unjoined_program.intake_phone in note
    page = client.get(unjoined_program.get_absolute_url()).content.decode()
    claim = reverse("portal:claim_program", kwargs={"slug": unjoined_program.slug})
    assert f'<a href="{claim}">Claim this listing</a> to receive families\' messages' in page
    assert page.index("does not receive messages") < page.index("Claim this listing")
    response = client.post(url(unjoined_program), post_data())
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Inquiry.objects.exists()


def test_a_joined_listing_shows_the_form_and_who_reads_it(client, program):
    html = client.get(program.get_absolute_url()).content.decode()
    assert 'name="form_token"' in html
    assert f"Staff at {program.name} read messages in their FindCare inbox." in html
    assert "does not receive messages" not in html
    assert "Claim this listing" not in html


def test_closed_program_cannot_receive(client):
    program = ProgramFactory(inquiry_email="a@example.org", status=Program.Status.CLOSED)
    assert (
        "it does not receive messages through FindCare"
        in client.get(program.get_absolute_url()).content.decode()
    )
    assert client.get(url(program)).status_code == HTTPStatus.NOT_FOUND


def test_own_url_shows_form(client, program):
    response = client.get(url(program))
    assert response.status_code == HTTPStatus.OK
    assert "<h1" in response.content.decode() and "Send inquiry" in response.content.decode()


def test_send_redirects_to_thanks_with_private_link(client, program, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, program)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("inquiries:thanks")
    inquiry = Inquiry.objects.get()
    assert inquiry.program == program and inquiry.name == "Sam"
    thanks = client.get(response["Location"])
    html = thanks.content.decode()
    assert inquiry.reference in html
    assert "988" in html and "1-800-662-4357" in html
    status_url = re.search(r'class="private-link"><a href="([^"]+)"', html)[1]
    assert status_url.rsplit("/", 2)[-2] != str(inquiry.pk)
    assert len(status_url.rsplit("/", 2)[-2]) >= 32
    assert len(mail.outbox) == 1


def test_errors_are_plain_linked_and_keep_values(client, program):
    bad = {"name": "", "email": "not-an-email", "phone": "12", "consent": "", "message": "Hi there"}
    response = send(client, program, **bad)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "There is a problem" in html
    assert '<a href="#id_name">Enter a name the program can call you by (initials are fine).</a>' in html
    assert '<a href="#id_email">Enter an email address like name@example.com.</a>' in html
    assert "Enter a 10-digit US phone number, like 212-555-0123." in html
    assert "Tick the box to agree, so we can send your inquiry to the program." in html
    assert "Hi there" in html and 'value="not-an-email"' in html
    assert not Inquiry.objects.exists()


NO_CONTACT = "Enter an email address or a phone number, so the program can reply."
NO_EMAIL = "Enter an email address, or choose to be contacted by phone."


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "", "phone": ""}, "email", NO_CONTACT),
        ({"email": "", "phone": "212-555-0123"}, "email", NO_EMAIL),
        ({"contact_method": "text"}, "phone", "Enter a phone number, or choose to be contacted by email."),
        ({"contact_method": ""}, "contact_method", "Choose how the program should contact you."),
        ({"for_whom": "x"}, "for_whom", "Select a valid choice. x is not one of the available choices."),
        ({"message": "x" * 1001}, "message", "Shorten your message to 1000 characters or fewer."),
    ],
)
def test_validation_messages(client, program, overrides, field, message):
    response = send(client, program, **overrides)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["form"].errors[field] == [message]


@pytest.mark.parametrize("phone", ["(212) 555-0123", "212.555.0123", "+1 212 555 0123", "2125550123"])
def test_us_phone_formats(client, program, phone):
    response = send(client, program, phone=phone, contact_method="phone")
    assert response.status_code == HTTPStatus.FOUND
    assert Inquiry.objects.get().phone == "(212) 555-0123"  # the one stored form (config.phones)


def test_double_submit_stores_one(client, program):
    data = post_data()
    first = client.post(url(program), data)
    second = client.post(url(program), data)
    assert first.status_code == second.status_code == HTTPStatus.FOUND
    assert Inquiry.objects.count() == 1


def test_honeypot_rejected_counted_not_stored(client, program):
    response = send(client, program, fax_extension="http://spam.example")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Inquiry.objects.exists()
    assert rejected_count("inquiry", "honeypot") == 1


def test_too_fast_is_an_error_not_stored(client, program):
    response = send(client, program, form_token=new_form_token())
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "quicker than we expected" in response.content.decode()
    assert not Inquiry.objects.exists()
    assert rejected_count("inquiry", "too_fast") == 1


def test_forged_token_asks_to_resend(client, program):
    response = send(client, program, form_token="forged")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "open too long" in response.content.decode()
    assert not Inquiry.objects.exists()


def test_rate_limit_per_ip_shows_phones(client, program, settings):
    settings.RATELIMIT_PER_IP = "2/h"
    assert send(client, program).status_code == HTTPStatus.FOUND
    assert send(client, program).status_code == HTTPStatus.FOUND
    response = send(client, program)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    html = response.content.decode()
    assert "555-0101" in html and "988" in html
    assert Inquiry.objects.count() == 2
    assert rejected_count("inquiry", "rate_limit") == 1
    # Another address is not limited.
    assert client.post(url(program), post_data(), REMOTE_ADDR="10.0.0.9").status_code == HTTPStatus.FOUND


def test_forms_sent_back_with_errors_do_not_use_up_the_accepted_limit(client, program, settings):
    """Issue 27: the 11th try in 90 seconds, mostly validation errors, got
    "try again in about an hour". Errors count toward a much higher limit."""
    settings.RATELIMIT_PER_IP = "10/h"
    for _ in range(10):
        assert send(client, program, contact_method="").status_code == HTTPStatus.BAD_REQUEST
    assert send(client, program).status_code == HTTPStatus.FOUND
    assert Inquiry.objects.count() == 1


def test_attempts_have_their_own_higher_limit_and_the_429_says_when(client, program, settings):
    settings.RATELIMIT_ATTEMPTS_PER_IP = "3/h"
    for _ in range(3):
        assert send(client, program, contact_method="").status_code == HTTPStatus.BAD_REQUEST
    response = send(client, program)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    minutes = int(re.search(r"Please try again in about (\d+) minutes?\.", response.content.decode())[1])
    assert 1 <= minutes <= 60
    assert 0 < int(response["Retry-After"]) <= 3600
    assert not Inquiry.objects.exists()


def test_after_ten_forms_sent_back_the_corrected_one_is_accepted_with_the_default_limits(client, program):
    """The settings as shipped: RATELIMIT_PER_IP counts accepted inquiries
    only; the attempts limit is far above a person's corrections."""
    from django.conf import settings

    assert int(settings.RATELIMIT_ATTEMPTS_PER_IP.split("/")[0]) >= 5 * int(
        settings.RATELIMIT_PER_IP.split("/")[0]
    )
    for _ in range(10):
        assert send(client, program, for_whom="").status_code == HTTPStatus.BAD_REQUEST
    assert send(client, program).status_code == HTTPStatus.FOUND
    assert Inquiry.objects.count() == 1


@pytest.mark.parametrize("limit", ["attempts", "accepted"])
def test_the_429_page_keeps_what_was_typed_and_says_when(client, program, settings, limit):
    """Issue 27: the 429 page said "Nothing you typed was saved" and the
    family had to type it all again. The form comes back with every answer
    (only in this page: nothing is stored), and the page says in about how
    many minutes the limiter's window ends."""
    if limit == "attempts":
        settings.RATELIMIT_ATTEMPTS_PER_IP = "1/h"
        send(client, program, contact_method="")
    else:
        settings.RATELIMIT_PER_IP = "1/h"
        send(client, program)
    typed = {
        "name": "Robin Q",
        "message": "My son needs help with heroin <soon>.",
        "for_whom": "someone-i-care-about",
    }
    response = send(client, program, **typed)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    html = response.content.decode()
    minutes = int(re.search(r"Please try again in about (\d+) minutes?\.", html)[1])
    # The limiter's fixed one-hour window ends in Retry-After seconds.
    assert minutes == max(1, math.ceil(int(response["Retry-After"]) / 60)) and 1 <= minutes <= 60
    assert "it is all still in the form below" in html
    assert 'value="Robin Q"' in html
    assert "My son needs help with heroin &lt;soon&gt;.</textarea>" in html
    assert re.search(r'<input[^>]*value="someone-i-care-about"[^>]*checked', html)
    assert re.search(r'<input[^>]*name="consent"[^>]*checked', html)
    assert 'name="form_token"' in html and 'action="/programs/' in html
    assert "no-store" in response["Cache-Control"]
    assert Inquiry.objects.count() == (0 if limit == "attempts" else 1)


def test_rate_limit_per_program(client, program, settings):
    settings.RATELIMIT_PER_PROGRAM = "1/h"
    assert client.post(url(program), post_data(), REMOTE_ADDR="10.0.0.1").status_code == HTTPStatus.FOUND
    response = client.post(url(program), post_data(), REMOTE_ADDR="10.0.0.2")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_problem_report_is_rate_limited_too(client, program, settings):
    settings.RATELIMIT_PER_IP = "1/h"
    report = reverse("directory:report_problem", args=[program.slug])
    assert client.post(report, {"kind": "phone"}).status_code == HTTPStatus.FOUND
    response = client.post(report, {"kind": "phone"})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "555-0100" in response.content.decode()


def test_rate_limit_degrades_when_cache_is_down(client, program, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/1",  # nothing listens here
        }
    }
    assert send(client, program).status_code == HTTPStatus.FOUND


def test_forwarded_for_used_only_behind_trusted_proxies(client, program, settings):
    settings.RATELIMIT_PER_IP = "1/h"
    settings.TRUSTED_PROXY_COUNT = 1

    def post(forwarded):
        return client.post(url(program), post_data(), HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1")

    assert post("1.1.1.1").status_code == HTTPStatus.FOUND
    assert post("2.2.2.2").status_code == HTTPStatus.FOUND
    assert post("2.2.2.2").status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_status_page_and_delete(client, program, admin_user):
    send(client, program)
    token = client.session["inquiry_token"]
    status_url = reverse("inquiries:status", args=[token])
    html = client.get(status_url).content.decode()
    assert "Not opened yet" in html
    from inquiries import services

    services.inquiry_open(inquiry=Inquiry.objects.get(), user=admin_user)
    services.inquiry_set_status(inquiry=Inquiry.objects.get(), status="contacted", user=admin_user)
    html = client.get(status_url).content.decode()
    assert "Opened by the program" in html and "Answered: the program says it contacted you" in html
    confirm = client.post(status_url)  # the status page's button asks first
    assert confirm.status_code == HTTPStatus.OK
    assert "Yes, delete it for good" in confirm.content.decode()
    assert Inquiry.objects.exists()
    response = client.post(status_url, {"confirm": "yes"})
    assert response["Location"] == reverse("inquiries:deleted")
    assert not Inquiry.objects.exists()
    assert client.get(status_url).status_code == HTTPStatus.NOT_FOUND


def test_other_token_or_id_is_404(client, program):
    send(client, program)
    inquiry = Inquiry.objects.get()
    for token in ["0" * 64, str(inquiry.pk), inquiry.reference, inquiry.token_hash]:
        assert client.get(reverse("inquiries:status", args=[token])).status_code == HTTPStatus.NOT_FOUND
        deleting = client.post(reverse("inquiries:status", args=[token]), {"confirm": "yes"})
        assert deleting.status_code == HTTPStatus.NOT_FOUND
    assert Inquiry.objects.exists()


def test_thanks_without_an_inquiry_is_404(client):
    assert client.get(reverse("inquiries:thanks")).status_code == HTTPStatus.NOT_FOUND


def test_thanks_lists_nearby_programs_accepting_clients(client, program, django_capture_on_commit_callbacks):
    program.levels_of_care.set([])
    ProgramFactory(
        name="Open Door (Sample)", zip_code=program.zip_code, accepting_clients=Program.Accepting.YES
    )
    ProgramFactory(
        name="Full House (Sample)", zip_code=program.zip_code, accepting_clients=Program.Accepting.NO
    )
    send(client, program)
    html = client.get(reverse("inquiries:thanks")).content.decode()
    assert "Open Door (Sample)" in html and "Full House (Sample)" not in html


def test_form_page_time_check_uses_shown_time(client, program, settings):
    settings.INQUIRY_MIN_FILL_SECONDS = 1
    html = client.get(url(program)).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', html)[1]
    time.sleep(1.1)
    assert client.post(url(program), post_data(token=token)).status_code == HTTPStatus.FOUND


def test_error_reports_hide_the_form(client, program):
    from django.views.debug import SafeExceptionReporterFilter

    response = send(client, program, message="private words")
    cleansed = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert "private words" not in str(cleansed)


def test_thanks_and_status_say_delivered_to_the_inbox_of_a_joined_listing(
    client, program, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(client, program)
    thanks = client.get(reverse("inquiries:thanks")).content.decode()
    assert "<h1>Your inquiry was delivered</h1>" in thanks
    assert f"Delivered to the FindCare inbox of <strong>{program.name}</strong>" in thanks
    status_url = reverse("inquiries:status", args=[client.session["inquiry_token"]])
    steps = re.search(r'<ol class="inquiry-steps">(.*?)</ol>', client.get(status_url).content.decode(), re.S)[
        1
    ]
    assert "Delivered to the program's FindCare inbox on" in steps
    assert "We emailed the program that it is waiting" in steps
    assert "Not opened yet." in steps and "Not answered yet." in steps


def test_thanks_and_status_of_an_inquiry_nobody_reads_say_so(
    client, unjoined_program, django_capture_on_commit_callbacks
):
    """An inquiry stored for a listing nobody reads (sent before the rule, or
    whose members have since left) is never said to be "sent to the
    program": it waits unread, and the pages say to call."""
    from inquiries import services
    from inquiries.views import SESSION_KEY
    from tests.inquiries.conftest import inquiry_data

    with django_capture_on_commit_callbacks(execute=True):
        inquiry = services.inquiry_create(program=unjoined_program, data=inquiry_data(), idempotency_key="k")
    session = client.session
    session[SESSION_KEY] = inquiry.family_token
    session.save()
    thanks = client.get(reverse("inquiries:thanks")).content.decode()
    assert "<h1>Your inquiry was saved</h1>" in thanks
    assert "Nobody at <strong>Quay Recovery (Sample)</strong> reads messages on FindCare" in thanks
    assert "inbox" not in thanks and "should contact you" not in thanks
    status = client.get(reverse("inquiries:status", args=[inquiry.family_token])).content.decode()
    assert "waiting unread: nobody at the program reads messages on FindCare" in status
    assert "Delivered to" not in status and "Sent to the program" not in status
    assert "To reach them, call the program at" in status
