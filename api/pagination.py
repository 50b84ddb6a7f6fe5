from rest_framework import pagination

from . import caching
from .query_parameters import whole_number


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """`?limit=` (1 to 100, default 20) and `?offset=`; anything else is a 400, not a guess."""

    default_limit = 20
    max_limit = 100

    def get_limit(self, request):
        return whole_number(request, self.limit_query_param, self.default_limit, 1, self.max_limit)

    def get_offset(self, request):
        return whole_number(request, self.offset_query_param, 0, 0, None)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        if self.offset and self.offset >= self.count:
            # Past the end: every offset there shows the same nothing, and storing each
            # would let anyone fill the cache.
            caching.do_not_store(response)
        return response

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
