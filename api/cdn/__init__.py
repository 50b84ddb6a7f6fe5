"""The CDN in front of the API (Varnish: deploy/varnish/default.vcl), purged on every change.

Shared caches may keep an anonymous API response for `API_CACHE_S_MAXAGE` seconds. So that
this can be long and a reader still never gets an item as it was before a change, each
response a CDN fetches names the items it shows (`surrogate_keys.py`, in its `Surrogate-Key`
header, added by `middleware.py` only when the CDN asks for it), and every publish,
unpublish, delete and view-restriction change tells the CDN, once its transaction commits,
to drop the responses naming the item or what it now relates to (`purging.py`, called by
`content_models.publication` through its `on_change` hook). Expiry needs no purge: a
response's shared lifetime never runs past the next expiry date (`middleware.py`).
"""
