from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """`?limit=` (1 to 100, default 20) and `?offset=`; anything else is a 400, not a guess."""

    default_limit = 20
    max_limit = 100

    def get_limit(self, request):
        return whole_number_parameter(
            request, self.limit_query_param, self.default_limit, 1, self.max_limit
        )

    def get_offset(self, request):
        return whole_number_parameter(request, self.offset_query_param, 0, 0, None)

    def get_schema_operation_parameters(self, view):
        # DRF's own say only "an integer"; the bounds are part of the contract.
        return [
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": "How many items to return.",
                "schema": self.limit_schema(),
            },
            {
                "name": self.offset_query_param,
                "required": False,
                "in": "query",
                "description": "How many items to skip.",
                "schema": self.offset_schema(),
            },
        ]

    @classmethod
    def limit_schema(cls) -> dict:
        return {
            "type": "integer",
            "minimum": 1,
            "maximum": cls.max_limit,
            "default": cls.default_limit,
        }

    @staticmethod
    def offset_schema() -> dict:
        return {"type": "integer", "minimum": 0, "default": 0}


def whole_number_parameter(request, name: str, default: int, minimum: int, maximum: int | None):
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
