"""What the reviewer's page shows for one held change (reads only): the
listing's public values beside the proposed ones, whole, each row marked
"Changed" / "Added" / "Removed" in words; and the evidence we hold about
it (evidence.py, with what other apps register there). The page and its
actions are admin_views.py; the decisions are decisions.py."""

from dataclasses import dataclass
from functools import cached_property

from django.utils.text import capfirst
from wagtail.models import Revision, TaskState, WorkflowState

from directory.models import FieldProvenance, Program
from directory.provenance import SOURCE_NAMES, stamp_date

from .workflow import held_changes, pending_revision

CHANGED, ADDED, REMOVED = "Changed", "Added", "Removed"


def field_label(name: str) -> str:
    """ "Main phone", "Inquiry email", "Levels of care"."""
    return str(capfirst(Program._meta.get_field(name).verbose_name))


@dataclass
class ChangeRow:
    name: str
    label: str
    old: str  # the public value, whole ("" when empty)
    new: str  # the proposed value, whole
    marker: str  # CHANGED, ADDED or REMOVED: said in words, not by colour
    source: str = ""  # where the public value came from ("SAMHSA's ... (file.csv)")
    source_date: object = None  # the date of that value's data

    @property
    def is_phone(self) -> bool:
        return self.name in ("phone", "intake_phone", "hotline_phone")


class HeldChange:
    """A listing's change waiting for (or sent back from) review. The draft
    and the rows are read when first used: a decision needs neither."""

    def __init__(self, *, program: Program, revision: Revision, workflow_state: WorkflowState):
        self.program = program  # the live row
        self.revision = revision  # what approving publishes
        self.workflow_state = workflow_state
        self.task_state: TaskState | None = workflow_state.current_task_state

    @cached_property
    def draft(self) -> Program:
        """The listing as proposed."""
        return self.revision.as_object()

    @cached_property
    def rows(self) -> list[ChangeRow]:
        return change_rows(draft=self.draft, live=self.program)

    @property
    def requested_by(self):
        """Who made the change under review: the latest revision's author."""
        return self.revision.user

    @property
    def in_progress(self) -> bool:
        return self.workflow_state.status == WorkflowState.STATUS_IN_PROGRESS

    @property
    def is_center_change(self) -> bool:
        return Program.HELD_MARKER in self.revision.content

    @property
    def submitted_at(self):
        return self.task_state.started_at if self.task_state else self.workflow_state.created_at

    @property
    def changed_fields(self) -> list[str]:
        """The fields the change touches: a center's draft lists them (its
        held marker, saved with it); a staff draft is compared."""
        if self.is_center_change:
            held = set(self.revision.content[Program.HELD_MARKER])
            return [name for name in (*Program.REVIEWED_FIELDS, *Program.REVIEWED_LINKS) if name in held]
        return [row.name for row in self.rows]

    @property
    def changed_labels(self) -> list[str]:
        return [field_label(name) for name in self.changed_fields]


def _text(value) -> str:
    return "" if value is None else str(value)


def _term_names(name: str, ids_old, ids_new) -> dict:
    model = Program._meta.get_field(name).related_model
    return dict(model.objects.filter(pk__in=[*ids_old, *ids_new]).values_list("pk", "name"))


def _source(stamp: dict | None) -> tuple[str, object]:
    """(where a value came from, the date of its data) from its provenance stamp."""
    if not stamp:
        return "", None
    name = SOURCE_NAMES.get(stamp.get("source"), stamp.get("source") or "")
    if stamp.get("file"):
        name = f"{name} ({stamp['file']})"
    return name, stamp_date(stamp)


def change_rows(*, draft: Program, live: Program) -> list[ChangeRow]:
    """Each held field the draft changes, with both values whole and where
    the public value came from (FieldProvenance)."""
    stamps = FieldProvenance.objects.filter(program_id=live.pk).values_list("fields", flat=True).first() or {}
    rows = []
    for name, (old, new) in held_changes(draft, live).items():
        if name in Program.REVIEWED_LINKS:
            names = _term_names(name, old, new)
            old = ", ".join(names.get(pk, f"(deleted term {pk})") for pk in old)
            new = ", ".join(names.get(pk, f"(deleted term {pk})") for pk in new)
        old, new = _text(old), _text(new)
        marker = ADDED if not old else REMOVED if not new else CHANGED
        source, date = _source(stamps.get(name))
        rows.append(ChangeRow(name, field_label(name), old, new, marker, source, date))
    return rows


def held_change(program: Program) -> HeldChange | None:
    """The change waiting for review on this listing (in progress or sent
    back to the center), or None."""
    revision = pending_revision(program)
    state = program.current_workflow_state
    if revision is None or state is None:
        return None
    return HeldChange(program=program, revision=revision, workflow_state=state)


def waiting_reviews():
    """Listings with a change waiting for a reviewer's decision (in
    progress), oldest first: [(program, WorkflowState)] for the index and
    the dashboard panel. Two queries."""
    states = list(
        WorkflowState.objects.active()
        .filter(base_content_type__app_label="directory", base_content_type__model="program")
        .filter(status=WorkflowState.STATUS_IN_PROGRESS)
        .select_related("requested_by", "current_task_state")
        .order_by("created_at")
    )
    programs = Program.objects.in_bulk([int(state.object_id) for state in states])
    return [(programs[int(s.object_id)], s) for s in states if int(s.object_id) in programs]
