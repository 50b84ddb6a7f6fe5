"""Reading the query string, for every view: each parameter's rule in one place, and a 400
naming the parameter for anything a view does not know or cannot use.

`fields`, `expand`, `type` and `ordering` take comma-separated values; `limit`, `offset` (and
sync's `limit`) whole numbers within bounds; `locale` a content language; dates (filters'
`published_since`, `review_due_*`) ISO 8601, in UTC; a reference's `year` digits.
"""

import datetime

from django import forms
from django.conf import settings
from django_filters.fields import IsoDateTimeField
from rest_framework.exceptions import ValidationError

# What every list, and every detail, of a collection accepts (a list adds its filters).
LIST_PARAMETERS = {"limit", "offset", "ordering", "search", "fields", "expand", "locale", "format"}
DETAIL_PARAMETERS = {"fields", "expand", "locale", "format"}


def reject_unknown(request, allowed: set[str]) -> None:
    """Every endpoint's first check of its query: a 400 for a parameter it does not know, or
    for a value no content could match."""
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise ValidationError(
            {
                name: [f"Unknown query parameter. Known: {', '.join(sorted(allowed))}."]
                for name in unknown
            }
        )
    # PostgreSQL text cannot hold a NUL character, so a query with one fails in the database.
    with_nul = sorted(
        name
        for name, values in request.query_params.lists()
        if any("\x00" in value for value in values)
    )
    if with_nul:
        raise ValidationError({name: ["Null characters are not allowed."] for name in with_nul})


def content_languages() -> list[str]:
    """The codes of the languages content is written in: the values `?locale=` takes."""
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def locale(request) -> str:
    """`?locale=` (a content language code), or the default language."""
    code = request.query_params.get("locale", settings.LANGUAGE_CODE)
    codes = content_languages()
    if code not in codes:
        raise ValidationError({"locale": [f"Must be one of: {', '.join(codes)}."]})
    return code


def comma_separated(request, name: str) -> list[str]:
    """The values of a comma-separated parameter (`?fields=title,slug`), in the order given;
    none when it is absent or empty."""
    raw = request.query_params.get(name, "")
    return [value.strip() for value in raw.split(",") if value.strip()]


def ordering_terms(request, name: str, allowed) -> list[str] | None:
    """`?ordering=a,-b`: the terms given (`-` first for descending), each among `allowed`;
    None when the parameter is absent or empty. An unknown term, or none at all, is a 400."""
    if not request.query_params.get(name):
        return None
    terms = comma_separated(request, name)
    unknown = [term for term in terms if term.lstrip("-") not in allowed]
    if unknown or not terms:
        raise ValidationError(
            {
                name: [
                    f"Cannot order by {', '.join(unknown) or 'nothing'}. "
                    f"Use: {', '.join(allowed)} (prefix - to reverse)."
                ]
            }
        )
    return terms


def whole_number(request, name: str, default: int, minimum: int, maximum: int | None) -> int:
    """A whole-number query parameter within bounds; a 400 naming it otherwise."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    limits = f"from {minimum} to {maximum}" if maximum else f"{minimum} or more"
    message = f"Must be a whole number {limits}."
    # ASCII digits only: int() also reads "5_0", " 50 " and other scripts' digits ("٥٠"), and
    # refuses more digits than Python converts (sys.get_int_max_str_digits).
    if not (raw.isascii() and raw.isdigit()):
        raise ValidationError({name: [message]})
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: [message]}) from None
    if value < minimum or (maximum is not None and value > maximum):
        raise ValidationError({name: [message]})
    return value


class UTCIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, in UTC: ISO 8601 allows UTC offsets PostgreSQL refuses (over
    15:59), and a moment at the calendar's edge may not exist once in UTC."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError("Out of the calendar's range.", code="invalid") from None


class YearField(forms.IntegerField):
    def to_python(self, value):
        # ASCII digits only, as for `limit`: int() also reads "2_019", " 2019" and other
        # scripts' digits.
        if value not in self.empty_values and not (value.isascii() and value.isdigit()):
            raise forms.ValidationError("Enter a year in digits, e.g. 2019.", code="invalid")
        return super().to_python(value)
