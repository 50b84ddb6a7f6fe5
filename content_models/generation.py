from django.db import models


class ContentGeneration(models.Model):
    """A counter that goes up with every publish, unpublish or delete of any content.

    One row. Each change increments it inside the change's own transaction, and the row lock
    makes concurrent changes take their turns, so the values follow commit order. Anything
    derived from the published content (the API's response cache, its `Last-Modified`) is
    keyed by it and can never outlive the content it was derived from.
    """

    value = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [  # noqa: RUF012 - Django reads Meta attributes once
            models.CheckConstraint(condition=models.Q(pk=1), name="content_generation_single_row")
        ]

    def __str__(self):
        return f"Content generation {self.value} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
