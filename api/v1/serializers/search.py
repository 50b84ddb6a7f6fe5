from rest_framework import serializers

from api.query_parameters import content_languages
from content_models import collections

from .base import AttributionSerializer


class SearchHitSerializer(serializers.Serializer):
    """What a hit shows, for the schema: each hit is written by its collection's serializer,
    asked for these fields only."""

    id = serializers.IntegerField()
    type = serializers.ChoiceField(choices=collections.TYPE_NAMES)
    slug = serializers.SlugField()
    title = serializers.CharField()
    summary = serializers.CharField(allow_null=True, help_text="Null for a reference without one.")
    url = serializers.URLField(help_text="The item in this API.")
    html_url = serializers.URLField(
        allow_null=True,
        help_text="The item on the public site; null when no site address is configured.",
    )
    locale = serializers.ChoiceField(choices=content_languages())
    last_published_at = serializers.DateTimeField()
    attribution = AttributionSerializer()


HIT_FIELDS = set(SearchHitSerializer._declared_fields)
