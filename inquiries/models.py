"""An inquiry: a family asks a program for help. Everything the family typed
is encrypted at rest (inquiries.crypto); the row itself only says which
program, when, and how far it got (delivery to the program, then opened and
answered by the program)."""

from django.conf import settings
from django.db import models

from directory.models import Program

from .crypto import EncryptedTextField


class InquiryQuerySet(models.QuerySet):
    def due_for_delivery(self, now):
        """Waiting to be sent, or a send attempt whose lease ran out."""
        return self.filter(
            delivery_state__in=[Inquiry.Delivery.PENDING, Inquiry.Delivery.SENDING],
            next_attempt_at__lte=now,
        )

    def undeliverable(self):
        return self.filter(delivery_state=Inquiry.Delivery.FAILED)

    def unread(self):
        """New and never opened (Inquiry.is_unread for one row): what the
        center portal counts and marks as unread."""
        return self.filter(status=Inquiry.Status.NEW, opened_at=None)


class Inquiry(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        CLOSED = "closed", "Closed"

    class Delivery(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Delivered"
        FAILED = "failed", "Undeliverable"

    class ContactMethod(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone call"
        TEXT = "text", "Text message"

    class BestTime(models.TextChoices):
        ANY = "any", "Any time"
        MORNING = "morning", "Morning"
        AFTERNOON = "afternoon", "Afternoon"
        EVENING = "evening", "Evening"

    class ForWhom(models.TextChoices):
        SELF = "myself", "Myself"
        LOVED_ONE = "someone-i-care-about", "Someone I care about"
        PROFESSIONAL = "professional-referral", "I refer someone professionally"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="inquiries")
    reference = models.CharField(max_length=12, unique=True, help_text="Shown to the family and the program.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True, help_text="First marked as contacted.")

    # What the family typed: encrypted (see inquiries/crypto.py).
    name = EncryptedTextField()
    email = EncryptedTextField(blank=True)
    phone = EncryptedTextField(blank=True)
    message = EncryptedTextField(blank=True)
    contact_method = EncryptedTextField()
    best_time = EncryptedTextField()
    for_whom = EncryptedTextField()
    center_note = EncryptedTextField(blank=True, help_text="Private to the program.")
    confirmation_requested = models.BooleanField(default=False)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    # The family's private status link token, kept (encrypted) only while
    # the confirmation email they asked for waits to be sent: the email
    # carries the link, then this is emptied. Tasks get only the id.
    confirmation_token = EncryptedTextField(blank=True)

    # Delivery of the notification to the program.
    delivery_state = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.PENDING)
    delivery_attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    # The family's private link and the form's one-time key, both only as
    # SHA-256 hashes.
    token_hash = models.CharField(max_length=64, unique=True)
    idempotency_key_hash = models.CharField(max_length=64, unique=True)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "inquiry"
        verbose_name_plural = "inquiries"
        permissions = [
            ("view_inquiry_contents", "Can read the name, contact details and message of inquiries"),
        ]
        indexes = [
            models.Index(fields=["delivery_state", "next_attempt_at"], name="inquiry_delivery_due_idx"),
            models.Index(fields=["program", "status", "created_at"], name="inquiry_program_status_idx"),
        ]

    def __str__(self):
        # Shown in admin lists and audit logs: never the family's details.
        return f"Inquiry {self.reference}"

    @property
    def is_unread(self) -> bool:
        """The same rule as Inquiry.objects.unread()."""
        return self.status == self.Status.NEW and self.opened_at is None

    @property
    def family_status(self) -> str:
        """What the family's status page says: sent, opened or answered."""
        if self.answered_at:
            return "answered"
        if self.opened_at:
            return "opened"
        if self.delivery_state == self.Delivery.SENT:
            return "sent"
        return "received"
