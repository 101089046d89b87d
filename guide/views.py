"""The guide's screens. Every answer arrives by POST and leaves only in the
response's own signed hidden field: nothing is stored, logged or put in a
URL, and no response is cached anywhere (Cache-Control: no-store)."""

from http import HTTPStatus

from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.debug import sensitive_post_parameters

from content.find_treatment import CARE, MEDICATION

from . import selectors
from .forms import AnswerForm, AudienceForm
from .rules import suggest, urgent_options
from .state import AUDIENCES, GuideState, StateError, state_dump, state_load

TEMPLATE = "guide/guide_page.html"


def render(request, page, screen, status=HTTPStatus.OK, **context):
    context.update(page=page, self=page, screen=screen, audiences=AUDIENCES)
    response = TemplateResponse(request, TEMPLATE, context, status=status)
    add_never_cache_headers(response)
    return response


# Error reports (and the debug page) show these fields as stars.
@sensitive_post_parameters("state", "answer", "audience")
def serve_guide(request, *, page):
    if request.method != "POST":
        return render(request, page, "intro", form=AudienceForm())
    # Browsers send no "audience" at all when no option is chosen: the start
    # button's own value says which form this is.
    if request.POST.get("nav") == "start":
        return start(request, page)
    try:
        state = state_load(page=page, guide=page.guide, token=request.POST.get("state"))
    except StateError:
        return render(request, page, "bad_state", status=HTTPStatus.BAD_REQUEST)
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
    index = page.guide.question_index(code)
    if index is None or index > state.step or index >= len(page.guide.questions):
        return render(request, page, "bad_state", status=HTTPStatus.BAD_REQUEST)
    state.step = index
    return question_screen(request, page, state)


def answer_screen(request, page, state):
    """The screen for where the state stands: its question, or the result."""
    if state.step >= len(page.guide.questions):
        return result_screen(request, page, state)
    return question_screen(request, page, state)


def answer(request, page, state):
    guide = page.guide
    if state.step >= len(guide.questions):
        return result_screen(request, page, state)
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


def result_screen(request, page, state):
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
    return render(
        request,
        page,
        "result",
        suggestion=suggestion,
        levels=selectors.terms(CARE, suggestion.levels),
        medications=selectors.terms(MEDICATION, suggestion.medications),
        search_url=selectors.search_url(suggestion),
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
    return render(request, page, "review", guide=guide, rules=rules)
