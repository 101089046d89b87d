"""Who can act next on a page in review, and why.

The words of the banner at the top of the edit page of a page in review,
the warning before an edit that would cost its reader the right to approve,
whether the page's editor may autosave, and who may start a review. All of
it is read from the one four-eyes rule: `version_authors` (who wrote this
version) and the task's own `get_actions` / `locked_for_user` (who may act),
the same code that decides who may approve (content/review_tasks.py)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from wagtail.models import AbstractGroupApprovalTask

from .review_tasks import EDITED, SUBMITTED, FourEyesTaskMixin, MedicalReviewTaskMixin, version_authors

INFO = "info"
WARNING = "warning"


@dataclass(frozen=True)
class Notice:
    level: str  # INFO or WARNING
    text: str


def display_name(user):
    return user.get_full_name() or user.get_username()


def _names(users):
    names = [display_name(user) for user in users]
    if len(names) <= 2:
        return " or ".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]


def _with_article(noun):
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def _reviewing_task(page):
    """The current task when it is one of ours (four eyes), else None."""
    task_state = page.current_workflow_task_state
    if task_state is None:
        return None
    task = task_state.task.specific
    return task if isinstance(task, FourEyesTaskMixin) else None


def _members(task):
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__in=task.groups.all())
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _administrators():
    return list(get_user_model().objects.filter(is_active=True, is_superuser=True).order_by("username"))


def _did(reasons):
    done = [word for word in (SUBMITTED, EDITED) if word in reasons]
    return " and ".join(done)


def who_can_approve(task, authors, user):
    """One sentence: which people (other than `user`) can approve now."""
    members = _members(task)
    others = [member for member in members if member.pk not in authors and member.pk != user.pk]
    excluded = [member for member in members if member.pk in authors and member.pk != user.pk]
    because = ""
    if excluded:
        because = ": " + "; ".join(
            f"{display_name(member)} {_did(authors[member.pk])} it" for member in excluded
        )
    if len(others) == 1:
        return f"Only {display_name(others[0])} can approve it{because}."
    if others:
        return f"{_names(others)} can approve it."
    if any(admin.pk not in authors for admin in _administrators()):
        return (
            f"No other {task.reviewer_noun} can approve it{because}, so an administrator approves it "
            "as the second pair of eyes (recorded in the page's history)."
        )
    return (
        f"No one who did not write it can approve it{because}: "
        f"an administrator adds another {task.reviewer_noun}."
    )


def edit_warning(task, page):
    """What saving a change costs someone who may approve now."""
    if isinstance(task, MedicalReviewTaskMixin):
        cost = (
            f"If you save changes, “{page.title}” goes back to editorial review and you become an author "
            f"of this version: another {task.reviewer_noun} must then approve it."
        )
    else:
        cost = (
            f"If you save changes, you become an author of this version and another {task.reviewer_noun} "
            "must approve it."
        )
    return (
        f"{cost} To keep your approval, use “Request changes” with a comment instead. "
        "Autosave is off for you on this page, so nothing is saved until you choose to."
    )


def notices(page, user):
    """The banner of the edit page of `page` in review, for `user`."""
    task = _reviewing_task(page)
    if task is None:
        return []
    authors = version_authors(page)
    prefix = f"{task.name}: "
    if task.get_actions(page, user):
        second = " as the administrator who is the second pair of eyes" if not _in_groups(task, user) else ""
        return [
            Notice(
                INFO,
                f"{prefix}you can approve this version or request changes{second} "
                "(you did not write or edit it).",
            ),
            Notice(WARNING, edit_warning(task, page)),
        ]
    if user.pk in authors and (user.is_superuser or _in_groups(task, user)):
        did = _did(authors[user.pk])
        waiting = f"waiting for {_with_article(task.reviewer_noun)} other than you (you {did} this version)."
        return [Notice(INFO, f"{prefix}{waiting} {who_can_approve(task, authors, user)}")]
    waiting = f"waiting for {_with_article(task.reviewer_noun)}."
    return [Notice(INFO, f"{prefix}{waiting} {who_can_approve(task, authors, user)}")]


def _in_groups(task, user):
    return task.groups.filter(pk__in=user.groups.values("pk")).exists()


def autosave_allowed(page, user):
    """Autosave runs only where a save changes nothing about who may
    approve: no review in progress, or the user is already an author of the
    version in editorial review. Elsewhere a save is a choice the banner
    explains (it would cost the user their approval, send the page back to
    editorial review, or is not allowed at all)."""
    task = _reviewing_task(page)
    if task is None:
        return True
    if task.locked_for_user(page, user) or task.get_actions(page, user):
        return False
    return not isinstance(task, MedicalReviewTaskMixin)


def autosave_refusal(page, user):
    """Why autosave does not save here, in words the editor's footer shows."""
    task = _reviewing_task(page)
    if task is not None and task.locked_for_user(page, user):
        return f"“{page.title}” is in {task.name}: only {task.reviewer_noun}s can change it now."
    return (
        "Saving here changes who approves this version (see the note at the top of the page): "
        "save only if you mean to."
    )


def may_start_review(page, user):
    """Whether `user` may submit `page` to its workflow: members of the first
    step's groups (editors start every review, periodic medical reviews
    included, so a medical reviewer is never the submitter of the version
    they approve) and administrators. Any page outside such a workflow: yes."""
    if user.is_superuser:
        return True
    workflow = page.get_workflow()
    if workflow is None:
        return True
    first = workflow.workflow_tasks.filter(task__active=True).order_by("sort_order").first()
    if first is None:
        return True
    task = first.task.specific
    if not isinstance(task, AbstractGroupApprovalTask):
        return True
    return _in_groups(task, user)


def start_refusal(page):
    workflow = page.get_workflow()
    return (
        f"An editor submits “{page.title}” to {workflow.name}, also for its periodic medical review, "
        "so that a medical reviewer can approve it (no one approves a version they submitted). "
        "Ask an editor to submit it."
    )
