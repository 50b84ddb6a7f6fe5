"""Factories for partners and their API keys."""

import factory
from factory.django import DjangoModelFactory

from content_models import collections
from syndication.models import Partner
from syndication.services import create_api_key


class PartnerFactory(DjangoModelFactory):
    """A partner licensed for every collection unless a test says otherwise."""

    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner clinic {n}")
    contact_email = "web@clinic.example"
    attribution_text = (
        "Content from the Ketamine patient information service, used with permission."
    )
    collections = factory.LazyFunction(lambda: list(collections.NAMES))


def api_key_for(partner=None, **kwargs) -> str:
    """A new key of `partner` (a new partner if none), as the full key a client sends."""
    _api_key, full_key = create_api_key(
        partner=partner or PartnerFactory(), name=kwargs.pop("name", "Website"), **kwargs
    )
    return full_key
