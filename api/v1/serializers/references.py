from typing import ClassVar

from content_models import collections

from .. import filters, jsonld
from .base import OptionalTextField, UnreviewedItemSerializer


class ReferenceSerializer(UnreviewedItemSerializer):
    collection = collections.by_name("references")
    ordering_fields: ClassVar = {"title": "title", "year": "year", "publisher": "publisher"}
    ordering = ("title",)
    list_filters: ClassVar = {"kind": filters.choices(), "year": filters.year}
    jsonld_page: ClassVar = {"mainEntity": jsonld.creative_work}

    source_url = OptionalTextField(
        source="url",
        help_text="Where the source is published (the item's `url` is its API address).",
    )
    authors = OptionalTextField()
    doi = OptionalTextField(help_text="Digital Object Identifier, e.g. 10.1176/appi.ajp.2018.1")
    pmid = OptionalTextField(help_text="PubMed ID.")
    trial_id = OptionalTextField(help_text="Trial registration, e.g. NCT01234567.")

    class Meta:
        fields = (
            *UnreviewedItemSerializer.base_fields,
            "kind",
            "publisher",
            "authors",
            "year",
            "source_url",
            "doi",
            "pmid",
            "trial_id",
            "accessed_on",
        )
