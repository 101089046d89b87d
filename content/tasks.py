"""Background tasks of the content app (django-tasks)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from . import selectors
from .site_url import site_base_url


@task()
def send_review_reminders():
    """Email every medical reviewer the list of live articles whose review is
    past due. Takes no arguments: it reads the list when it runs. Returns the
    number of messages sent."""
    articles = list(selectors.articles_past_due())
    recipients = selectors.medical_reviewer_emails()
    if not articles or not recipients:
        return 0
    base = site_base_url()
    context = {
        "articles": [
            {
                "title": article.title,
                "due": article.next_review_due,
                "edit_url": base + reverse("wagtailadmin_pages:edit", args=[article.pk]),
                "url": article.get_full_url(),
            }
            for article in articles
        ],
        "report_url": base + reverse("content_review_due"),
    }
    body = render_to_string("content/email/review_reminder.txt", context)
    subject = f"{len(articles)} article review{'s' if len(articles) != 1 else ''} past due"
    # One message per reviewer: no one sees the others' addresses.
    for address in recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return len(recipients)
