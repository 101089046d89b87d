"""schema.org data for articles (MedicalWebPage, FAQPage), rendered as
JSON-LD with the site-wide helper (config/seo.py)."""

from django.conf import settings
from django.utils.html import strip_tags

from config.seo import json_ld_script_content


def _person(contributor):
    person = {"@type": "Person", "name": contributor.name}
    if contributor.credentials:
        person["honorificSuffix"] = contributor.credentials
    return person


def medical_web_page(article, url):
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "headline": article.title,
        "name": article.seo_title or article.title,
        "description": article.meta_description,
        "inLanguage": "en-US",
        "publisher": {"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME},
        "author": [_person(author) for author in article.authors.all()],
    }
    if article.published_on:
        data["datePublished"] = article.published_on.isoformat()
    if article.last_published_at:
        data["dateModified"] = article.last_published_at.isoformat()
    if article.last_reviewed:
        data["lastReviewed"] = article.last_reviewed.isoformat()
    if article.medical_reviewer:
        data["reviewedBy"] = _person(article.medical_reviewer)
    topics = [tag.name for tag in article.topics.all()]
    if topics:
        data["about"] = [{"@type": "Thing", "name": name} for name in topics]
    citations = [ref.url or ref.title for ref in article.references.all()]
    if citations:
        data["citation"] = citations
    return data


def faq_page(article, url):
    items = article.faq_items()
    if not items:
        return None
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "url": url,
        "mainEntity": [
            {
                "@type": "Question",
                "name": item["question"],
                "acceptedAnswer": {"@type": "Answer", "text": strip_tags(str(item["answer"])).strip()},
            }
            for item in items
        ],
    }


def article_json_ld(article, request=None):
    """The JSON-LD documents for an article page, ready for the template."""
    url = article.get_full_url(request)
    documents = [medical_web_page(article, url), faq_page(article, url)]
    return [json_ld_script_content(document) for document in documents if document]
