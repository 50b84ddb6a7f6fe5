"""Reading the query string, for every view: each parameter's rule in one place, and a 400
naming the parameter for anything a view does not know or cannot use.

No parameter may be given empty (`?expand=`) or hold a NUL character: either is a 400, never
read as if the parameter were absent. `fields`, `expand`, `type` and `ordering` take
comma-separated values; `limit`, `offset` (and sync's `limit`) whole numbers within bounds;
`locale` a content language; dates (filters' `published_since`, `review_due_*`) ISO 8601, in
UTC; a reference's `year` digits; search's `q` and a list's `search` a bounded number of words
(`search_words`). The OpenAPI document states each of these rules (`api/schema.py`).
"""

import datetime
import re

from django import forms
from django.conf import settings
from django_filters.fields import IsoDateTimeField
from rest_framework.exceptions import ValidationError

# What every list, and every detail, of a collection accepts (a list adds its filters).
LIST_PARAMETERS = {"limit", "offset", "ordering", "search", "fields", "expand", "locale", "format"}
DETAIL_PARAMETERS = {"fields", "expand", "locale", "format"}


def reject_unknown(request, allowed: set[str]) -> None:
    """Every endpoint's first check of its query: a 400 for a parameter it does not know, one
    given with no value, or a value no content could match."""
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise ValidationError(
            {
                name: [f"Unknown query parameter. Known: {', '.join(sorted(allowed))}."]
                for name in unknown
            }
        )
    # An empty value is a mistake (a form that sent a blank field, a template that printed
    # nothing), not a request for the default: `?review_due_before=` must not list every item.
    empty = sorted(
        name for name, values in request.query_params.lists() if any(not value for value in values)
    )
    if empty:
        raise ValidationError({name: [EMPTY_VALUE] for name in empty})
    # PostgreSQL text cannot hold a NUL character, so a query with one fails in the database.
    with_nul = sorted(
        name
        for name, values in request.query_params.lists()
        if any("\x00" in value for value in values)
    )
    if with_nul:
        raise ValidationError({name: ["Null characters are not allowed."] for name in with_nul})


EMPTY_VALUE = "Empty value: give one, or leave the parameter out."


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
    none when it is absent. Given with no value at all (`?fields=,`), it is a 400."""
    raw = request.query_params.get(name)
    if raw is None:
        return []
    values = [value.strip() for value in raw.split(",") if value.strip()]
    if not values:
        raise ValidationError({name: ["Name at least one value, or leave the parameter out."]})
    return values


def ordering_terms(request, name: str, allowed) -> list[str] | None:
    """`?ordering=a,-b`: the terms given (`-` first for descending), each among `allowed`;
    None when the parameter is absent. An unknown term, or none at all, is a 400."""
    if name not in request.query_params:
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


# Search (`?q=` of the search endpoint, `?search=` of a list) is bounded in words and characters.
# The database search backend makes each word a term of one query it builds by nesting, so
# its cost grows faster than the number of words (and ~150 words exceeded Python's recursion
# limit); a patient's question, however long, needs far fewer.
SEARCH_MAX_WORDS = 32
SEARCH_MAX_LENGTH = 200
# Words as the backend splits them: on whitespace and hyphens (modelsearch's PostgreSQL
# backend, `re.split(r"[\s\-]+", ...)`), so "a-b-c" is three words. Python's whitespace is
# spelled out, as `\s` means other characters in the regex dialects that read the OpenAPI
# document's pattern (ECMA-262's leaves out \x1c-\x1f and \x85 and takes in U+FEFF): a
# client validating a search against the document accepts exactly what this API accepts.
_WHITESPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_SEPARATOR, _WORD = rf"[{_WHITESPACE}-]", rf"[^{_WHITESPACE}\x00-]"
# What a search accepts, as the OpenAPI document states it: at least one word, at most
# SEARCH_MAX_WORDS, and no NUL character (the length is its `maxLength`).
SEARCH_PATTERN = (
    rf"^{_SEPARATOR}*{_WORD}+(?:{_SEPARATOR}+{_WORD}+){{0,{SEARCH_MAX_WORDS - 1}}}{_SEPARATOR}*$"
)
_SEARCH = re.compile(SEARCH_PATTERN)
SEARCH_RULE = (
    f"Give 1 to {SEARCH_MAX_WORDS} words to search for, in at most {SEARCH_MAX_LENGTH} "
    "characters (hyphens separate words)."
)


def search_words(request, name: str) -> str | None:
    """The words of a search parameter (`?q=`, `?search=`), or None when it is absent; a 400
    naming it when it has no word, or more words or characters than a search may have."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    # The length first: it bounds the work of everything after it.
    if len(raw) > SEARCH_MAX_LENGTH or not _SEARCH.fullmatch(raw):
        raise ValidationError({name: [SEARCH_RULE]})
    return raw.strip()


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
    """A year of the common era in digits, at most four (the OpenAPI document says so)."""

    MINIMUM, MAXIMUM = 1, 9999

    def __init__(self, **kwargs):
        super().__init__(**{"min_value": self.MINIMUM, "max_value": self.MAXIMUM, **kwargs})

    def to_python(self, value):
        # ASCII digits only, as for `limit`: int() also reads "2_019", " 2019" and other
        # scripts' digits.
        if value not in self.empty_values and not (value.isascii() and value.isdigit()):
            raise forms.ValidationError("Enter a year in digits, e.g. 2019.", code="invalid")
        return super().to_python(value)
