"""When the directory merges listings that are one facility
(directory.merging.programs_merged), the portal's rows follow the surviving
listing: claims (a user's second pending claim on the same facility is
dropped, one is enough) and monthly page views (added up). Memberships
belong to organizations, which the survivor keeps (or takes from a merged
listing when it has none)."""

from django.db.models import F

from directory.merging import programs_merged

from .models import ListingClaim, ProgramPageView


def move_to_survivor(sender, *, survivor, merged_ids, **kwargs):
    for view in ProgramPageView.objects.filter(program_id__in=merged_ids):
        row, _ = ProgramPageView.objects.get_or_create(
            program=survivor, month=view.month, defaults={"count": 0}
        )
        ProgramPageView.objects.filter(pk=row.pk).update(count=F("count") + view.count)
    ProgramPageView.objects.filter(program_id__in=merged_ids).delete()
    pending = ListingClaim.Status.PENDING
    waiting = set(
        ListingClaim.objects.filter(program=survivor, status=pending).values_list("user_id", flat=True)
    )
    for claim in ListingClaim.objects.filter(program_id__in=merged_ids).order_by("created_at"):
        if claim.status == pending:
            if claim.user_id in waiting:
                claim.delete()
                continue
            waiting.add(claim.user_id)
        claim.program = survivor
        claim.save(update_fields=["program"])


def connect() -> None:
    programs_merged.connect(move_to_survivor, dispatch_uid="portal.merging")
