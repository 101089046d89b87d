"""The guide's fixtures. /learn/, the editors and the reviewer come from
tests/conftest.py, shared with tests/content; so does the empty cache."""

import pytest

from tools.demo.guide import build_guide_page


@pytest.fixture
def guide_page(learn_page):
    """The demo guide, live under /learn/."""
    page = build_guide_page()
    learn_page.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


class Walker:
    """Drives the guide through the test client the way a browser would:
    POSTing each screen's hidden state back with the next answer."""

    def __init__(self, client, page):
        self.client = client
        self.page = page
        self.response = None

    @property
    def state(self):
        return self.response.context["state_token"]

    def post(self, data, **extra):
        self.response = self.client.post(self.page.url, data, **extra)
        return self.response

    def start(self, audience="myself"):
        return self.post({"audience": audience, "nav": "start"})

    def answer(self, *codes, nav="next"):
        return self.post({"state": self.state, "answer": list(codes), "nav": nav})

    def nav(self, nav):
        return self.post({"state": self.state, "nav": nav})

    def complete(self, answers, audience="myself", place="37203", payment=()):
        """Answer every question in order from {question code: [codes]},
        then the place and payment, and follow the redirect to the result."""
        self.start(audience)
        for question in self.page.guide.questions:
            self.answer(*answers[question.code])
        return self.choose_place(place, payment)

    def choose_place(self, place="37203", payment=()):
        redirect = self.post(
            {"state": self.state, "location": place, "payment": list(payment), "nav": "next"}
        )
        assert redirect.status_code == 303, redirect.status_code
        self.result_url = redirect["Location"]
        self.response = self.client.get(self.result_url)
        return self.response


@pytest.fixture
def walker(client, guide_page):
    return Walker(client, guide_page)
