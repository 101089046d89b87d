"""The visitor's answers travel only inside the guide's own POST forms, as
one signed hidden field: never stored (no session, no database), never in a
URL. The signature stops a tampered form from producing a wrong result, and
every answer is checked again against the guide as it is now."""

from dataclasses import dataclass, field

from django.core import signing

AUDIENCES = {"myself": "Myself", "someone": "Someone I care about"}
MAX_AGE_SECONDS = 6 * 60 * 60


class StateError(Exception):
    """The carried answers cannot be trusted: tampered, expired or stale."""


@dataclass
class GuideState:
    audience: str
    step: int = 0
    answers: dict[str, list[str]] = field(default_factory=dict)


def salt(page):
    return f"findcare.guide.{page.pk}"


def state_dump(*, page, state):
    payload = {"au": state.audience, "st": state.step, "an": state.answers}
    return signing.dumps(payload, salt=salt(page), compress=True)


def state_load(*, page, guide, token):
    """The GuideState in `token`, checked against `guide`; StateError if not."""
    try:
        payload = signing.loads(token or "", salt=salt(page), max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired as exc:
        raise StateError("expired") from exc
    except signing.BadSignature as exc:
        raise StateError("bad signature") from exc
    try:
        state = GuideState(audience=payload["au"], step=int(payload["st"]), answers=dict(payload["an"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise StateError("malformed") from exc
    check(guide, state)
    return state


def check(guide, state):
    if state.audience not in AUDIENCES or not 0 <= state.step <= len(guide.questions):
        raise StateError("out of range")
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
