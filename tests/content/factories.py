"""Factories for content tests. ArticlePageFactory adds the page under the
/learn/ index the migration creates (or under `parent=`) and publishes it
unless `live=False`; `body` takes block tuples like tools.demo.content's."""

import json

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from content.models import ArticleIndexPage, ArticlePage, Author, MedicalReviewer
from tools.demo.content import stream_block

DEFAULT_BODY = [
    ("h", "What happens first"),
    ("p", "<p>Withdrawal starts within a day [1].</p>"),
    ("h", "What comes next"),
    ("p", "<p>Treatment continues after detox.</p>"),
]


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = "Pat"
    last_name = factory.Sequence(lambda n: f"Member{n}")
    is_staff = True
    password = factory.django.Password("correct horse battery staple")

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set([Group.objects.get(name=name) for name in extracted])


class AuthorFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Author {n}")
    credentials = "MPH"
    bio = "Writes about treatment."

    class Meta:
        model = Author


class MedicalReviewerFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Dr. Reviewer {n}")
    credentials = "MD"
    bio = "Addiction medicine physician."

    class Meta:
        model = MedicalReviewer


class ArticlePageFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = "A short summary of the article."
    body = factory.LazyFunction(lambda: DEFAULT_BODY)

    class Meta:
        model = ArticlePage

    @classmethod
    def _create(
        cls, model_class, *args, parent=None, live=True, topics=(), authors=(), references=(), **kwargs
    ):
        body = kwargs.pop("body")
        page = model_class(*args, body=json.dumps([stream_block(spec) for spec in body]), live=live, **kwargs)
        page.topics.add(*topics)
        page.references = list(references)
        parent = parent or ArticleIndexPage.objects.get(slug="learn")
        parent.add_child(instance=page)
        if authors:
            page.authors.set(authors)
        revision = page.save_revision()
        if live:
            revision.publish()
            page.refresh_from_db()
        return page
