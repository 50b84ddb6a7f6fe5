import uuid

from django.db import models
from django.utils import timezone


class ContentGeneration(models.Model):
    """A token that changes with every publish, unpublish or delete of any content.

    One row, rewritten inside each change's own transaction (read and renewed through
    `content_generation.py` only). Anything derived from the
    published content (the API's response cache, its `Last-Modified`) is keyed by the token
    and so can never outlive the content it was derived from. The token is random rather
    than a count so that a rolled-back change can never make a value come round again.
    """

    token = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField()
    # Content also changes with no save at all when a live item reaches its expiry date: the
    # first read after this moment renews the generation (`content_generation.renew_if_expired`).
    next_expiry = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [  # noqa: RUF012 - Django reads Meta attributes once
            models.CheckConstraint(condition=models.Q(pk=1), name="content_generation_single_row")
        ]

    def __str__(self):
        return f"Content generation {self.token} ({self.changed_at:%Y-%m-%d %H:%M:%S})"

    def has_expired_content(self) -> bool:
        """Whether a live item has reached its expiry since the token was last renewed."""
        return self.next_expiry is not None and self.next_expiry <= timezone.now()
