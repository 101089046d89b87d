"""Where the visitor's answers live: never stored (no session, no database).

While the questions are answered they travel inside the guide's own POST
forms, as one signed hidden field. The result is a GET page, so the phone's
Back button and reload work: its address carries the answers as one
*encrypted* token (Fernet, keyed from SECRET_KEY and the guide), so the
address holds no readable health answer, in logs or anywhere else, and it
stops working after MAX_AGE_SECONDS. Both are checked again against the guide
as it is now, so a tampered, expired or stale token gives no result."""

import base64
import json
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

AUDIENCES = {"myself": "Myself", "someone": "Someone I care about"}
MAX_AGE_SECONDS = 6 * 60 * 60
MAX_PLACE_LENGTH = 100


class StateError(Exception):
    """The carried answers cannot be trusted: tampered, expired or stale."""


class StateExpired(StateError):
    pass


@dataclass
class GuideState:
    audience: str
    step: int = 0
    answers: dict[str, list[str]] = field(default_factory=dict)
    place: str = ""  # as typed, for the search's location
    payment: list[str] = field(default_factory=list)  # payment vocabulary slugs

    def payload(self):
        return {
            "au": self.audience,
            "st": self.step,
            "an": self.answers,
            "pl": self.place,
            "pa": self.payment,
        }


def salt(page):
    return f"findcare.guide.{page.pk}"


def state_dump(*, page, state):
    return signing.dumps(state.payload(), salt=salt(page), compress=True)


def state_load(*, page, guide, token):
    """The GuideState in `token`, checked against `guide`; StateError if not."""
    try:
        payload = signing.loads(token or "", salt=salt(page), max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired as exc:
        raise StateExpired("expired") from exc
    except signing.BadSignature as exc:
        raise StateError("bad signature") from exc
    return from_payload(guide, payload)


def _fernet(page):
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(salt(page), "result", secret=key, algorithm="sha256").digest()
                )
            )
            for key in keys
        ]
    )


def result_dump(*, page, state):
    """The opaque token for the result page's address: the answers,
    encrypted and authenticated."""
    data = json.dumps(state.payload(), separators=(",", ":")).encode()
    return _fernet(page).encrypt(data).decode()


def result_load(*, page, guide, token):
    """The complete GuideState in a result token; StateError if it cannot be
    trusted or is not a complete set of answers for this guide."""
    fernet = _fernet(page)
    try:
        data = fernet.decrypt((token or "").encode(), ttl=MAX_AGE_SECONDS)
    except InvalidToken as exc:
        try:  # authentic but too old: say so, rather than "could not be read"
            fernet.decrypt((token or "").encode())
        except InvalidToken:
            raise StateError("bad token") from exc
        raise StateExpired("expired") from exc
    try:
        payload = json.loads(data)
    except ValueError as exc:
        raise StateError("malformed") from exc
    state = from_payload(guide, payload)
    if state.step != len(guide.questions) or not state.place:
        raise StateError("incomplete")
    return state


def from_payload(guide, payload):
    try:
        state = GuideState(
            audience=payload["au"],
            step=int(payload["st"]),
            answers=dict(payload["an"]),
            place=str(payload.get("pl") or ""),
            payment=list(payload.get("pa") or []),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise StateError("malformed") from exc
    check(guide, state)
    return state


def check(guide, state):
    if state.audience not in AUDIENCES or not 0 <= state.step <= len(guide.questions):
        raise StateError("out of range")
    if len(state.place) > MAX_PLACE_LENGTH or not all(isinstance(slug, str) for slug in state.payment):
        raise StateError("bad place or payment")
    for code, chosen in state.answers.items():
        index = guide.question_index(code)
        if index is None or not isinstance(chosen, list) or not chosen:
            raise StateError("unknown question")
        question = guide.questions[index]
        if len(chosen) > 1 and not question.multiple:
            raise StateError("too many answers")
        for option_code in chosen:
            option = question.option(option_code)
            if option is None or option.urgent:
                raise StateError("unknown answer")
    for question in guide.questions[: state.step]:
        if question.code not in state.answers:
            raise StateError("missing answer")
