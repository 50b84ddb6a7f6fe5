"""One serializer per resource; `base.py` has what they share."""
