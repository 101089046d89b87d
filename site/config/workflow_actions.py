"""What a Wagtail workflow action posted from an edit screen may carry.

"Approve", "Approve with comment" and "Request changes" on a page's or a
snippet's edit screen post the edit form with `workflow-action-extra-data`:
the action modal's form, cleaned by Wagtail (CollectWorkflowActionData) and
sent back as a JSON object. After saving the edit, Wagtail passes that
object to the task's `on_action` as keyword arguments. So anything else was
trouble: not JSON, a 500 with the edit half done; an unknown key, a
TypeError (500); a key naming one of Wagtail's own arguments (`update`,
`user`) changed the action itself (`{"update": false}` approved the task
without moving the workflow on); a `null` comment, an IntegrityError.

`refuse_unexpected_workflow_action_data` runs as the `before_edit_page` and
`before_edit_snippet` hook (content/ and directory/ wagtail_hooks), before
anything is saved, where the object and so its current task are known. It
accepts only what the task's own form for that action
(`Task.get_form_for_action`) declares, exactly as that form cleans it: keys
among the form's fields, each value equal to the form's cleaned value (as
Wagtail's modal would have sent it). A field may be left out (the task's
defaults apply, as when an action has no modal and Wagtail sends nothing).
Anything else is a 400, our error page, and nothing is saved. Nothing is a
hand-written list of keys: a task with its own form (content's
ApprovalForm, "confirm") is checked against that form."""

import json

from django.core.serializers.json import DjangoJSONEncoder

from .errors import error_response

WORKFLOW_ACTION_DATA = "workflow-action-extra-data"
UNREADABLE = "The details of this review action could not be read. Reload the page and try again."


def action_data_fits_form(form_class, data: dict) -> bool:
    """Whether `data` is (part of) what `form_class` cleans it to."""
    if form_class is None:  # an action without a form takes no data
        return not data
    form = form_class(data)
    if not set(data) <= set(form.fields):
        return False
    form.is_valid()  # a required field left out is the task's business
    cleaned = {name: form.cleaned_data[name] for name in data if name in form.cleaned_data}
    # As Wagtail's modal sends it: the cleaned data through the JSON encoder
    # of its JsonResponse.
    return json.loads(json.dumps(cleaned, cls=DjangoJSONEncoder)) == data


def workflow_action_data_problem(request, obj) -> bool:
    if request.method != "POST" or WORKFLOW_ACTION_DATA not in request.POST:
        return False
    try:
        data = json.loads(request.POST[WORKFLOW_ACTION_DATA])
    except (ValueError, RecursionError):
        return True
    if not isinstance(data, dict):
        return True
    task = getattr(obj, "current_workflow_task", None)
    if task is None or not request.POST.get("action-workflow-action"):
        return False  # Wagtail performs no workflow action and ignores the data
    return not action_data_fits_form(task.get_form_for_action(request.POST.get("workflow-action-name")), data)


def refuse_unexpected_workflow_action_data(request, obj):
    """A `before_edit_page` / `before_edit_snippet` hook."""
    if workflow_action_data_problem(request, obj):
        return error_response(request, 400, message=UNREADABLE)
    return None
