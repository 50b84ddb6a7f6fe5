from rest_framework import serializers

from content_models import collections

COLLECTION_BY_TYPE = {collection.type_name: collection for collection in collections.COLLECTIONS}


class ManifestEntrySerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=collections.TYPE_NAMES, help_text="The item's type.")
    id = serializers.IntegerField(source="item_id")
    slug = serializers.SlugField(source="item_slug")
    url = serializers.SerializerMethodField(help_text="The item's detail in this API.")
    modified = serializers.DateTimeField(help_text="When it was last published.")
    next_review_due = serializers.DateField(
        source="review_due", allow_null=True, help_text="Null for references and reviewers."
    )
    version = serializers.IntegerField(
        help_text="Changes with every publish of the item: compare it with your copy's."
    )

    def get_url(self, entry) -> str:
        collection = COLLECTION_BY_TYPE[entry["type"]]
        path = collection.api_path(entry["item_slug"], self.context["locale"])
        return self.context["request"].build_absolute_uri(path)
