"""Surrogate keys: names for the items an API response shows, one per item, so that a CDN can
drop exactly the responses that show an item when it changes.

An item's key is its type and id (`side-effect-12`): ids, unlike slugs, survive an edit. A
list (and search, the manifest and sync, which span collections) also carries its
collection's key (`side-effects`), since a newly published item joins it. Every response
carries `api`, which a deploy purges.

Which keys a change purges (`keys_for_change`) and which keys a response carries
(`keys_for_response`) are the two halves of one rule: a response carries the key of every
item it shows, expanded or named by slug; a change purges the item's key, its collection's
key, and the keys of the items it now relates to either way (whose responses must start
showing it), read from the collections registry and Wagtail's reference index. Purging
more would be safe but wasteful; purging less would serve a stale item, so the tests hold
every response that shows an item against the keys its change purges.
"""

import json
from collections import defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from wagtail.models import Page, ReferenceIndex

from content_models import collections
from content_models.models import ArticlePage

EVERYTHING = "api"
API_PREFIX = "/api/v1/"
# Views whose responses may come to show any newly published item, of any collection.
CROSS_COLLECTION_VIEWS = {"search", "manifest", "sync"}
REVIEWED_BY = "reviewed_by"

_BY_TYPE = {collection.type_name: collection for collection in collections.COLLECTIONS}


def item_key(collection: collections.Collection, pk) -> str:
    """The key of one item, e.g. `side-effect-12`."""
    return f"{collection.type_name}-{pk}"


def keys_for_response(request, response) -> set[str]:
    """The keys of a 200 the API sends: its collection's key for a list, and the key of every
    item its JSON shows. A body this cannot read item by item (JSON-LD) carries every
    collection's key instead, so that any change purges it."""
    keys = {EVERYTHING}
    match = request.resolver_match
    view = match.url_name if match else ""
    if view in CROSS_COLLECTION_VIEWS:
        keys.update(collections.NAMES)
    elif view.endswith("-list"):
        keys.add(view.removesuffix("-list"))
    if not response.get("Content-Type", "").startswith("application/json"):
        keys.update(collections.NAMES)
        return keys
    try:
        body = json.loads(response.content)
    except ValueError:  # a HEAD request's empty body
        keys.update(collections.NAMES)
        return keys
    slugs: dict[tuple[collections.Collection, str], set[str]] = defaultdict(set)
    _collect(body, keys, slugs)
    for (collection, language_code), named in slugs.items():
        pks = collection.model.objects.filter(
            locale__language_code=language_code, slug__in=named
        ).values_list("pk", flat=True)
        keys.update(item_key(collection, pk) for pk in pks)
    return keys


def _collect(node, keys: set[str], slugs) -> None:
    """Walk a response's JSON: every object with an item's `type` and `id` is an item (a
    detail, a list entry, an expansion, an article's embedded item, a manifest line), and
    its relations not expanded name related items by slug; a sync record names its item by
    collection and id."""
    if isinstance(node, list):
        for value in node:
            _collect(value, keys, slugs)
        return
    if not isinstance(node, dict):
        return
    collection = _BY_TYPE.get(node.get("type"))
    if collection is None and "action" in node and node.get("collection") in collections.NAMES:
        collection = collections.by_name(node["collection"])
    if collection is not None and isinstance(node.get("id"), int):
        keys.add(item_key(collection, node["id"]))
        language_code = node.get("locale") or settings.LANGUAGE_CODE
        for name, target in _named_relations(collection):
            value = node.get(name)
            named = [value] if isinstance(value, str) else value if isinstance(value, list) else []
            slugs[target, language_code].update(slug for slug in named if isinstance(slug, str))
    for value in node.values():
        _collect(value, keys, slugs)


def _named_relations(collection: collections.Collection):
    """The fields of an item that name related items, with the collection they are in."""
    for relation in collection.relations:
        yield relation.name, collections.related(relation)
    if collection.is_medically_reviewed:
        yield REVIEWED_BY, collections.by_name("reviewers")


def keys_for_change(model: type[Model], pk) -> set[str]:
    """The keys to purge when the item of `model` and `pk` changed (published, unpublished,
    deleted), read once the change has committed, from the item's relations as they are now;
    for a bare `Page` (a view restriction changed), the keys of it and the articles below it."""
    if model is Page:
        return _restricted_keys(pk)
    collection = collections.for_model(model)
    if collection is None:  # a page the API does not serve (the article index)
        return set()
    keys = {collection.name, item_key(collection, pk)}
    # The items it relates to now that show the relation too (a treatment form lists its side
    # effects; a reference lists nothing): each must show it from now on.
    for relation in collection.relations:
        target = collections.related(relation)
        if not any(back.collection == collection.name for back in target.relations):
            continue
        link = model._meta.get_field(relation.link)
        target_ids = link.related_model.objects.filter(**{link.field.name: pk}).values_list(
            f"{relation.target}_id", flat=True
        )
        keys.update(item_key(target, target_pk) for target_pk in target_ids)
    # The items that refer to it (citing it, embedding it in an article, reviewed by it), as
    # Wagtail's reference index knows them: they show it only while it is live.
    sources = (
        # The index reads only the model and the id of the item it is given.
        ReferenceIndex.get_references_to(model(pk=pk))
        .values_list("content_type_id", "object_id")
        .distinct()
    )
    for content_type_id, object_id in sources:
        source = collections.for_model(
            ContentType.objects.get_for_id(content_type_id).model_class()
        )
        if source is not None:
            keys.add(item_key(source, object_id))
    return keys


def _restricted_keys(page_id: int) -> set[str]:
    articles = collections.for_model(ArticlePage)
    keys = {articles.name}
    page = Page.objects.filter(pk=page_id).first()
    if page is not None:
        below = page.get_descendants(inclusive=True).type(ArticlePage).values_list("pk", flat=True)
        keys.update(item_key(articles, pk) for pk in below)
    return keys
