"""Query sets compiled to SQL once per process, and run with new values on every request.

Why: Django compiles a query set to SQL each time it runs it (`SQLCompiler.as_sql`), and
for the API's hottest uncached reads (an article list, an article's detail and the items its
body embeds) that compiling costs a fifth to a third of the request: more than PostgreSQL
takes to run the queries. Their SQL is the same on every request but for a few values: a
slug, a set of ids, a page's bounds, and the present that expiry dates are compared with. (So
is that of the content generation's next expiry, read at every publish.)

A `ReusedSQL` compiles a query set once, with a `Parameter` (an expression of this module)
wherever one of those values goes, and fills them in each time it runs. Django's own
machinery then does the rest as for any query set: model instances, `select_related`,
annotations, `prefetch_related` (whose queries Django still compiles per run). The present
is a `RunValue` too (`content_models.live.TimeOfQuery`): read as each run starts, never as
the SQL was compiled, so an item leaves every response the moment it expires.
"""

import copy
import functools
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connections
from django.db.models import Expression, Lookup, Model, QuerySet
from django.db.models.sql import Query

# Set while a `ReusedSQL` compiles its query set: `RunValue`s then leave their place in the
# SQL's parameters to be filled at each run.
_compiling_for_reuse: ContextVar[bool] = ContextVar("compiling_for_reuse", default=False)


@contextmanager
def _reusable_compilation() -> Iterator[None]:
    token = _compiling_for_reuse.set(True)
    try:
        yield
    finally:
        _compiling_for_reuse.reset(token)


class RunValue(Expression):
    """A value a query takes as it runs. Compiled by a `ReusedSQL`, it is a parameter of the
    SQL filled in at each run; compiled by Django for a query that runs at once, its value
    there and then."""

    def value_at_run(self, connection, values: Mapping[str, Any]) -> Any:
        """The parameter's value for a run given these `values` (by name)."""
        raise NotImplementedError

    def as_sql(self, compiler, connection):
        if _compiling_for_reuse.get():
            return "%s", [self]
        return "%s", [self.value_at_run(connection, {})]


class Parameter(RunValue):
    """A value given to each run of a `ReusedSQL` by name, e.g. `filter(slug=Parameter("slug"))`
    and then `.items(slug="nausea")`. Only a `ReusedSQL` can compile it."""

    def __init__(self, name: str, output_field=None):
        super().__init__(output_field)
        self.name = name

    def value_at_run(self, connection, values: Mapping[str, Any]) -> Any:
        if self.name not in values:
            raise TypeError(f"No value given for the parameter {self.name!r} (a ReusedSQL's).")
        return values[self.name]


class AnyOf(Lookup):
    """`field = ANY(array)` (PostgreSQL): membership in a list of values given as one array
    parameter, e.g. `filter(AnyOf(F("pk"), Parameter("ids")))`, where `pk__in` writes one
    parameter per value and so makes SQL that differs with the number of values."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        field_sql, field_params = self.process_lhs(compiler, connection)
        array_sql, array_params = self.process_rhs(compiler, connection)
        return f"{field_sql} = ANY({array_sql})", [*field_params, *array_params]


class ReusedSQL:
    """A query set's SQL, compiled once (with its `RunValue`s as parameters), run with new
    values each time.

    With `paged`, the query set is read a page at a time, the page's bounds parameters too:
    `items(page=slice(40, 60))`. (Django writes a slice's bounds into the SQL itself, so a
    query set sliced beforehand keeps the same bounds at every run.)
    """

    def __init__(self, queryset: QuerySet, *, paged: bool = False):
        if paged and (queryset.query.combinator or queryset.query.is_sliced):
            raise ValueError("A paged ReusedSQL takes a plain query set: no union, no slice.")
        self._queryset = queryset
        connection = connections[queryset.db]
        compiler_class = _compiled_once_class(connection.ops.compiler(queryset.query.compiler))
        # The compiler keeps what compiling learnt (the columns selected, the related items
        # each row brings), which turning rows into model instances needs at each run.
        self._compiler = compiler_class(queryset.query, connection, queryset.db)
        with _reusable_compilation():
            sql, self._params = self._compiler.compile_once()
        self._paged = paged
        # Where Django puts a slice's bounds: last, in a query with no union (refused if paged)
        # and no `select_for_update` (a read's query sets have none).
        self._sql = f"{sql} LIMIT %s OFFSET %s" if paged else sql

    def items(self, *, page: slice | None = None, **values: Any) -> list[Model | dict]:
        """The query set's items (a `page` of them, if paged), with these values for its
        parameters: model instances, or dicts for a `values()` query set, the query set's
        prefetches done, as Django does them."""
        # This thread's connection: Django's connections are each a thread's own, and the
        # statement may have been compiled in another thread of the process (a threaded
        # server's earlier request).
        connection = connections[self._queryset.db]
        params = [
            param.value_at_run(connection, values) if isinstance(param, RunValue) else param
            for param in self._params
        ]
        if self._paged:
            if page is None:
                raise TypeError("A paged ReusedSQL reads a page at a time.")
            params += [page.stop - page.start, page.start]
        compiler = copy.copy(self._compiler)
        compiler.connection, compiler.sql, compiler.params = connection, self._sql, params
        queryset = self._queryset.all()
        queryset.query = queryset.query.chain(_CompiledQuery)
        queryset.query.compiler_of_run = compiler
        return list(queryset)


class _CompiledQuery(Query):
    """A query whose SQL is compiled already: the compiler it gives holds that SQL and the
    parameters of one run (`ReusedSQL.items`)."""

    compiler_of_run = None

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self.compiler_of_run


class _CompiledOnce:
    """Mixed into the database's own compiler class (PostgreSQL has its own): the SQL is
    the one compiled already, and so are the converters of its columns' values."""

    sql: str
    params: list

    def compile_once(self) -> tuple[str, list]:
        compiled = super().as_sql()
        # Each run's compiler is a copy of this one (`ReusedSQL.items`) and shares this dict:
        # the columns are the same at every run, and so are their converters (a JSON field's
        # decoding, say). Django works them out again for each run's rows, column by column.
        self.converters_by_connection = weakref.WeakKeyDictionary()
        return compiled

    def as_sql(self, with_limits=True, with_col_aliases=False):
        return self.sql, self.params

    def get_converters(self, expressions):
        # Asked once per run, for the selected columns; keyed by connection, as a backend's
        # converters are methods of its connection's operations.
        converters = self.converters_by_connection.get(self.connection)
        if converters is None:
            converters = super().get_converters(expressions)
            self.converters_by_connection[self.connection] = converters
        return converters


@functools.cache
def _compiled_once_class(compiler_class: type) -> type:
    return type(f"CompiledOnce{compiler_class.__name__}", (_CompiledOnce, compiler_class), {})
