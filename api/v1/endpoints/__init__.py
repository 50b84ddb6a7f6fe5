"""One read-only viewset per collection: a selector in, a serializer out."""
