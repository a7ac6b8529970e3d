"""Ranked matching of text fields, on PostgreSQL and SQLite alike.

A row matches when its text holds at least one term of the query (a word, or a document
number's words in order). Rows are ranked in three tiers: the whole phrase (the query's words in
a row, in order), all the terms, some of them; within a tier, by how many of the terms it
holds, then (PostgreSQL only) by ts_rank, then in the caller's natural order: one score.

PostgreSQL uses full-text search with the `vi_unaccent` configuration (a copy of `simple`
whose words pass through the `unaccent` dictionary first: created by this app's migration), so
"cong nghiep" finds "công nghiệp". SQLite compares the folded words of the text
(`search_fold`, registered by `text.register_sqlite_functions`) with " word " and
" the phrase ": the same rows in the same tiers, as the test set checks.
"""

from dataclasses import dataclass
from functools import reduce
from operator import add, and_, or_

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower

from .text import query_terms
from .vectors import COLUMN, STORED_VECTORS

CONFIG = "vi_unaccent"


# A score is the tier times SCORE_TIER, plus SCORE_TERM for each term held, plus (PostgreSQL)
# ts_rank normalised below 1: one number to sort by.
SCORE_TIER = 1000
SCORE_TERM = 10


class Tier:
    PHRASE = 3
    ALL_WORDS = 2
    SOME_WORDS = 1


@dataclass(frozen=True)
class Matcher:
    """The terms of one query (its folded words; a document number's words as one term), and
    how to rank rows of any model by them."""

    terms: tuple[str, ...]

    @classmethod
    def of(cls, query: str) -> "Matcher":
        return cls(tuple(query_terms(query)))

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(word for term in self.terms for word in term.split())

    def ranked(self, queryset: QuerySet, fields: list[str], natural_order: list[str]) -> QuerySet:
        """The rows whose fields hold a term of the query, best first, annotated with `score`
        (read by `tier_of`) and `total` (how many rows match in all)."""
        if connection.vendor == "postgresql":
            queryset = self._postgresql(queryset, fields)
        else:
            queryset = self._sqlite(queryset, fields)
        return queryset.annotate(total=Window(Count("pk"))).order_by("-score", *natural_order)

    @staticmethod
    def tier_of(score: float) -> int:
        return int(score // SCORE_TIER)

    def _postgresql(self, queryset: QuerySet, fields: list[str]) -> QuerySet:
        from django.contrib.postgres.search import SearchQuery, SearchVector

        def query(text: str) -> SearchQuery:
            return SearchQuery(text, search_type="phrase", config=CONFIG)

        each_term = [query(term) for term in self.terms]
        some = reduce(or_, each_term)
        # The parser keeps "23-NQ/TW" or "kh/tu" whole (a file path, a hyphenated word); read
        # as separate words, as the query's words and SQLite's fallback are. It reads "<...>" as
        # an HTML tag, and text after a broken one as blank: plain text has no tags.
        words_apart = [
            Func(
                F(name),
                Value("/-._<>"),
                Value("      "),
                function="translate",
                output_field=TextField(),
            )
            for name in fields
        ]
        table = queryset.model._meta.db_table
        if STORED_VECTORS.get(table) == tuple(fields):
            return self._stored(queryset, table, query, each_term, some)
        vector = SearchVector(*words_apart, config=CONFIG)
        # The vector is built twice per row: to match (every row the user may see) and, for
        # the rows that match, once more as the argument of search_score (created by this
        # app's migration), which ranks from it: each reference to an expression in SQL would
        # build it again, and building it is most of the cost.
        return (
            queryset.alias(_vector=vector)
            .filter(_vector=some)
            .annotate(
                score=Func(
                    vector,
                    query(" ".join(self.terms)),
                    reduce(and_, each_term),
                    Func(
                        *each_term,
                        template="ARRAY[%(expressions)s]::tsquery[]",
                        output_field=TextField(),
                    ),
                    some,
                    function="search_score",
                    output_field=FloatField(),
                )
            )
        )

    def _stored(self, queryset: QuerySet, table: str, query, each_term, some) -> QuerySet:
        """The same match and score from the row's stored, indexed vector (vectors.py): read,
        not built, so the score is written out in SQL rather than through search_score, whose
        call per row then costs more than the tests it makes."""
        from django.contrib.postgres.search import SearchRank, SearchVectorField

        quote = connection.ops.quote_name
        vector = RawSQL(f"{quote(table)}.{quote(COLUMN)}", [], output_field=SearchVectorField())

        def holds(tsquery) -> Func:
            return Func(
                vector,
                tsquery,
                template="(%(expressions)s)",
                arg_joiner=" @@ ",
                output_field=BooleanField(),
            )

        tier = Case(
            When(holds(query(" ".join(self.terms))), then=Value(Tier.PHRASE)),
            When(holds(reduce(and_, each_term)), then=Value(Tier.ALL_WORDS)),
            default=Value(Tier.SOME_WORDS),
            output_field=IntegerField(),
        )
        held = reduce(
            add,
            [Case(When(holds(term), then=Value(1)), default=Value(0)) for term in each_term],
        )
        return (
            queryset.alias(_vector=vector)
            .filter(_vector=some)
            .annotate(
                score=ExpressionWrapper(
                    tier * Value(SCORE_TIER)
                    + held * Value(SCORE_TERM)
                    + SearchRank(vector, some, normalization=Value(32)),
                    output_field=FloatField(),
                )
            )
        )

    def _sqlite(self, queryset: QuerySet, fields: list[str]) -> QuerySet:
        def holds(terms) -> Q:
            return Q(_folded__contains=f" {' '.join(terms)} ")

        each_term = [holds([term]) for term in self.terms]
        tier = Case(
            When(holds(self.terms), then=Value(Tier.PHRASE)),
            When(reduce(and_, each_term), then=Value(Tier.ALL_WORDS)),
            default=Value(Tier.SOME_WORDS),
            output_field=IntegerField(),
        )
        matched = reduce(
            add, [Case(When(term, then=Value(1)), default=Value(0)) for term in each_term]
        )
        return (
            queryset.alias(_folded=Func(*fields, function="search_fold", output_field=TextField()))
            .filter(reduce(or_, each_term))
            .annotate(
                score=ExpressionWrapper(
                    tier * Value(SCORE_TIER) + matched * Value(SCORE_TERM),
                    output_field=FloatField(),
                )
            )
        )


def document_key_expression(field: str) -> Func:
    """A document number reduced in SQL as `text.document_key` does in Python: its letters
    and digits, lower case, "Đ" read as "d" (the only letter with a mark that a document
    number may hold)."""
    if connection.vendor == "postgresql":
        return Lower(
            Func(
                Func(
                    F(field),
                    Value("Đđ"),
                    Value("dd"),
                    function="translate",
                    output_field=TextField(),
                ),
                Value("[^0-9A-Za-z]"),
                Value(""),
                Value("g"),
                function="regexp_replace",
                output_field=TextField(),
            )
        )
    return Func(F(field), function="search_key", output_field=TextField())
