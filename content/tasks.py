"""Background tasks of the content app (django-tasks)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from config.site_url import site_base_url

from . import selectors


@task()
def send_review_reminders():
    """Email every medical reviewer the list of live medically reviewed pages
    (articles, the care guide) whose review is past due. Takes no arguments:
    it reads the list when it runs. Returns the number of messages sent."""
    pages = list(selectors.reviews_past_due())
    recipients = selectors.medical_reviewer_emails()
    if not pages or not recipients:
        return 0
    base = site_base_url()
    context = {
        "pages": [
            {
                "title": page.title,
                "type": page.get_verbose_name().lower(),
                "due": page.next_review_due,
                "edit_url": base + reverse("wagtailadmin_pages:edit", args=[page.pk]),
                "url": page.get_full_url(),
            }
            for page in pages
        ],
        "report_url": base + reverse("content_review_due"),
    }
    body = render_to_string("content/email/review_reminder.txt", context)
    subject = f"{len(pages)} medical review{'s' if len(pages) != 1 else ''} past due"
    # One message per reviewer: no one sees the others' addresses.
    for address in recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return len(recipients)
