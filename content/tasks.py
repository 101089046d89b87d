"""Background tasks of the content app (django-tasks)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from config.site_url import absolute_url, page_url

from . import selectors
from .link_check import link_check_run
from .review_tasks import EDITORS, MEDICAL_REVIEWERS


@task()
def send_review_reminders():
    """Email every editor and every medical reviewer the list of live
    medically reviewed pages (articles, the care guide) whose review is past
    due, each told what their part is: an editor starts the review, a medical
    reviewer approves it. Takes no arguments: it reads the list when it runs.
    Returns the number of messages sent."""
    pages = list(selectors.reviews_past_due())
    recipients = selectors.review_reminder_recipients()
    if not pages or not recipients:
        return 0
    context = {
        "pages": [
            {
                "title": page.title,
                "type": page.get_verbose_name().lower(),
                "due": page.next_review_due,
                "edit_url": absolute_url(reverse("wagtailadmin_pages:edit", args=[page.pk])),
                "url": page_url(page),
            }
            for page in pages
        ],
        "report_url": absolute_url(reverse("content_review_due")),
    }
    subject = f"{len(pages)} medical review{'s' if len(pages) != 1 else ''} past due"
    # One message per person, in their role's words: no one sees the others' addresses.
    for address, roles in recipients:
        body = render_to_string(
            "content/email/review_reminder.txt",
            {**context, "is_editor": EDITORS in roles, "is_reviewer": MEDICAL_REVIEWERS in roles},
        )
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return len(recipients)


@task()
def check_links():
    """Run the link check of the live articles (content/link_check.py) and
    store its results for the "Broken links" report. Takes no arguments: it
    reads the articles when it runs. Returns the counts by result."""
    return link_check_run().counts
