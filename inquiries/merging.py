"""When the directory merges listings that are one facility
(directory.merging.programs_merged), their inquiries move to the surviving
listing, so the center's inbox keeps every one."""

from directory.merging import programs_merged

from .models import Inquiry


def move_to_survivor(sender, *, survivor, merged_ids, **kwargs):
    Inquiry.objects.filter(program_id__in=merged_ids).update(program=survivor)


def connect() -> None:
    programs_merged.connect(move_to_survivor, dispatch_uid="inquiries.merging")
