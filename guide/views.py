"""The guide's screens. Answers arrive by POST and travel in the response's
own signed hidden field while the questions are answered; the last screen
(place and payment) redirects (303) to the result, a GET page whose address
carries them only as an encrypted token (state.py), so Back and reload
work. Nothing is stored or logged, and no response is cached anywhere
(Cache-Control: no-store)."""

from http import HTTPStatus

from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from content.find_treatment import CARE, MEDICATION

from . import selectors
from .forms import AnswerForm, AudienceForm, PlaceForm
from .rules import CONTRAINDICATIONS, suggest, urgent_options
from .state import (
    AUDIENCES,
    MAX_AGE_SECONDS,
    GuideState,
    StateError,
    StateExpired,
    result_dump,
    result_load,
    state_dump,
    state_load,
)

TEMPLATE = "guide/guide_page.html"
RESULT_PARAM = "result"
PLACE_NAV = "place"


def render(request, page, screen, status=HTTPStatus.OK, **context):
    context.update(
        page=page, self=page, screen=screen, audiences=AUDIENCES, max_age_hours=MAX_AGE_SECONDS // 3600
    )
    response = TemplateResponse(request, TEMPLATE, context, status=status)
    add_never_cache_headers(response)
    return response


def bad_state(request, page, error, *, result=False):
    """400 "start again"; a result address past its age is a 410 that says so."""
    if result and isinstance(error, StateExpired):
        return render(request, page, "expired", status=HTTPStatus.GONE)
    return render(request, page, "bad_state", status=HTTPStatus.BAD_REQUEST)


# Error reports (and the debug page) show these fields as stars.
@sensitive_post_parameters("state", "answer", "audience", "location", "use_place", "payment")
def serve_guide(request, *, page):
    if request.method != "POST":
        token = request.GET.get(RESULT_PARAM)
        if token is not None:
            return result_page(request, page, token)
        return render(request, page, "intro", form=AudienceForm())
    # Browsers send no "audience" at all when no option is chosen: the start
    # button's own value says which form this is.
    if request.POST.get("nav") == "start":
        return start(request, page)
    try:
        state = state_load(page=page, guide=page.guide, token=request.POST.get("state"))
    except StateError as error:
        return bad_state(request, page, error)
    nav = request.POST.get("nav", "next")
    if nav == "stay":
        return answer_screen(request, page, state)
    if nav == "back":
        if state.step == 0:
            return render(request, page, "intro", form=AudienceForm(initial={"audience": state.audience}))
        state.step -= 1
        return question_screen(request, page, state)
    if nav.startswith("change-"):
        return change(request, page, state, nav.removeprefix("change-"))
    return answer(request, page, state)


def start(request, page):
    form = AudienceForm(request.POST)
    if not form.is_valid():
        return render(request, page, "intro", form=form)
    return question_screen(request, page, GuideState(audience=form.cleaned_data["audience"]))


def change(request, page, state, code):
    guide = page.guide
    if code == PLACE_NAV and state.step == len(guide.questions):
        return place_screen(request, page, state)
    index = guide.question_index(code)
    if index is None or index > state.step or index >= len(guide.questions):
        return render(request, page, "bad_state", status=HTTPStatus.BAD_REQUEST)
    state.step = index
    return question_screen(request, page, state)


def answer_screen(request, page, state):
    """The screen for where the state stands: its question, or the place."""
    if state.step >= len(page.guide.questions):
        return place_screen(request, page, state)
    return question_screen(request, page, state)


def answer(request, page, state):
    guide = page.guide
    if state.step >= len(guide.questions):
        return place_answer(request, page, state)
    question = guide.questions[state.step]
    form = AnswerForm(request.POST, question=question, audience=state.audience)
    if not form.is_valid():
        return question_screen(request, page, state, form=form)
    chosen = {question.code: form.chosen()}
    urgent = urgent_options(guide, chosen)
    if urgent:
        # The carried state stays as it was (without the urgent answer) so
        # "go back" returns to this question.
        return render(request, page, "urgent", urgent=urgent, state_token=state_dump(page=page, state=state))
    state.answers.update(chosen)
    state.step += 1
    return answer_screen(request, page, state)


def question_screen(request, page, state, form=None):
    guide = page.guide
    question = guide.questions[state.step]
    if form is None:
        previous = state.answers.get(question.code)
        initial = {"answer": (previous if question.multiple else previous[0])} if previous else {}
        form = AnswerForm(initial=initial, question=question, audience=state.audience)
    return render(
        request,
        page,
        "question",
        form=form,
        question=question,
        number=state.step + 1,
        total=len(guide.questions),
        state_token=state_dump(page=page, state=state),
    )


@sensitive_variables("token")
def place_answer(request, page, state):
    data = request.POST.copy()
    if data.get("use_place"):  # a "Did you mean" button
        data["location"] = data["use_place"]
    form = PlaceForm(data)
    if not form.is_valid():
        return place_screen(request, page, state, form=form)
    state.place = form.cleaned_data["location"]
    state.payment = form.cleaned_data["payment"]
    token = result_dump(page=page, state=state)
    # 303: the browser GETs the result, which Back and reload can fetch again.
    response = HttpResponseRedirect(f"{page.url}?{RESULT_PARAM}={token}", status=HTTPStatus.SEE_OTHER)
    add_never_cache_headers(response)
    return response


def place_screen(request, page, state, form=None):
    if form is None:
        form = PlaceForm(initial={"location": state.place, "payment": state.payment})
    return render(
        request,
        page,
        "place",
        form=form,
        total=len(page.guide.questions),
        state_token=state_dump(page=page, state=state),
    )


@sensitive_variables("token", "state")
def result_page(request, page, token):
    try:
        state = result_load(page=page, guide=page.guide, token=token)
    except StateError as error:
        return bad_state(request, page, error, result=True)
    place, error, _ = selectors.read_place(state.place)
    if error:  # the place was read when it was chosen; the ZIP table changed since
        return render(request, page, "bad_state", status=HTTPStatus.BAD_REQUEST)
    return result_screen(request, page, state, place)


def result_screen(request, page, state, place):
    guide = page.guide
    suggestion = suggest(guide, state.answers)
    summary = [
        (
            question.code,
            question.wording(state.audience),
            [question.option(c).label for c in state.answers[question.code]],
        )
        for question in guide.questions
    ]
    search = {"place": state.place, "payment": state.payment}
    return render(
        request,
        page,
        "result",
        suggestion=suggestion,
        levels=selectors.terms(CARE, suggestion.levels),
        medications=selectors.terms(MEDICATION, suggestion.medications),
        search_medications=selectors.terms(MEDICATION, suggestion.search_medications),
        ruled_out=[
            (term, contraindication)
            for contraindication in suggestion.ruled_out
            for term in selectors.terms(MEDICATION, [contraindication.medication])
        ],
        place=place,
        payments=selectors.payment_terms(state.payment),
        search_url=selectors.search_url(suggestion, **search),
        search_count=selectors.search_count(suggestion, **search),
        related_articles=selectors.related_articles(page=page),
        summary=summary,
        audience=state.audience,
        state_token=state_dump(page=page, state=state),
    )


def serve_review(request, *, page):
    """Preview for editors and medical reviewers: every question, answer and
    rule on one page, with the directory's names for levels and medications."""
    guide = page.guide
    rules = [
        (
            rule,
            selectors.terms(CARE, list(rule.levels)),
            selectors.terms(MEDICATION, list(rule.medications)),
        )
        for rule in guide.rules
    ]
    return render(request, page, "review", guide=guide, rules=rules, contraindications=CONTRAINDICATIONS)
