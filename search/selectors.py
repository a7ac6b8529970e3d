"""Search across what a user may see: the programmes' text, cited documents by number, bodies,
progress reports and supervision findings, each kind ranked and counted.

Who sees what is the tracking app's policy: reports through `report_policy` (another body's
drafts never), findings as an assignment's page shows them (those on a task the user may see an
assignment of), cited documents with their report. Counts are of what the user may see only.

Each kind is one query, whatever the data: its first rows and, through a window, how many rows
match in all.
"""

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet, Window
from django.utils.translation import gettext_lazy as _

from accounts.models import Body
from programme.models import Item
from tasks.models import CitedDocument, Finding
from tasks.permissions import Action, assignment_policy, report_policy

from .engine import Matcher, document_key_expression
from .highlight import highlighted
from .text import document_keys

# Hits shown per kind; the count says how many there are in all.
HITS_PER_KIND = 20
# Characters of a long text shown around its first matched word.
EXCERPT_LENGTH = 300


@dataclass(frozen=True)
class Hit:
    object: object
    tier: int
    # The matched text, escaped, with the query's words marked.
    text: str


@dataclass
class KindResults:
    kind: str
    label: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.hits)


@dataclass(frozen=True)
class SearchResults:
    query: str
    words: tuple[str, ...]
    kinds: list[KindResults]

    @property
    def total(self) -> int:
        return sum(kind.total for kind in self.kinds)

    def __getitem__(self, kind: str) -> KindResults:
        for results in self.kinds:
            if results.kind == kind:
                return results
        raise KeyError(kind)


def _top_rows(queryset: QuerySet) -> list:
    """The first rows of a ranked queryset in two steps: the ranking, the count and the order
    over every match without the joined rows' columns, then those rows in full. On a large
    table (hundreds of thousands of reports, tens of thousands matching) carrying every
    match's joined columns through the count and the sort took most of the time."""
    top = list(queryset.values_list("pk", "score", "total")[:HITS_PER_KIND])
    if not top:
        return []
    rows = {row.pk: row for row in queryset.filter(pk__in=[pk for pk, _, _ in top])}
    for pk, score, total in top:
        rows[pk].score, rows[pk].total = score, total
    return [rows[pk] for pk, _, _ in top]


def _hits(queryset: QuerySet, text_of, words, *, large: bool = False) -> tuple[list[Hit], int]:
    rows = _top_rows(queryset) if large else list(queryset[:HITS_PER_KIND])
    hits = [
        Hit(
            row,
            Matcher.tier_of(getattr(row, "score", 0)),
            highlighted(text_of(row), words, EXCERPT_LENGTH),
        )
        for row in rows
    ]
    return hits, rows[0].total if rows else 0


def visible_findings(user) -> QuerySet[Finding]:
    """The findings the user may read: those on a task the user may see an assignment of, as
    the assignment's page shows them."""
    tasks_seen = assignment_policy.instances_user_has_permission_for(user, Action.VIEW)
    return Finding.objects.filter(supervision__item__in=tasks_seen.values("item_id"))


def _report_text(report) -> str:
    return "\n".join(t for t in (report.result, report.difficulties, report.proposals) if t)


def _finding_text(finding) -> str:
    return "\n".join(t for t in (finding.text, finding.recommendation) if t)


def site_search(*, user, query: str) -> SearchResults:
    """Everything the user may see that matches the query, by kind, best first."""
    matcher = Matcher.of(query)
    words = matcher.words
    kinds = [
        KindResults("items", _("Programme text")),
        KindResults("documents", _("Cited documents")),
        KindResults("bodies", _("Bodies")),
        KindResults("reports", _("Progress reports")),
        KindResults("findings", _("Supervision findings")),
    ]
    results = SearchResults(query=query, words=words, kinds=kinds)

    keys = document_keys(query)
    if keys:
        documents = (
            CitedDocument.objects.filter(
                report__in=report_policy.instances_user_has_permission_for(user)
            )
            .alias(_key=document_key_expression("number"))
            .filter(_key__in=sorted(keys))
            .select_related(
                "report__assignment__body", "report__assignment__item__programme", "report__period"
            )
            .annotate(total=Window(Count("pk")))
            .order_by("-issued_on", "number", "pk")
        )
        kind = results["documents"]
        kind.hits, kind.total = _hits(documents, lambda d: d.number, [])
    if not matcher:
        return results

    searches = {
        "items": (
            Item.objects.select_related("programme"),
            ["text"],
            ["-programme__resolution_date", "programme__code", "sequence"],
            lambda item: item.text,
            False,
        ),
        "bodies": (
            Body.objects.all(),
            ["name", "short_name", "name_en"],
            ["position", "name", "pk"],
            lambda body: body.display_name,
            False,
        ),
        "reports": (
            report_policy.instances_user_has_permission_for(user).select_related(
                "assignment__body", "assignment__item__programme", "period"
            ),
            ["result", "difficulties", "proposals"],
            ["-period__due_on", "assignment__item__sequence", "pk"],
            _report_text,
            True,
        ),
        "findings": (
            visible_findings(user).select_related(
                "supervision__body", "supervision__item__programme", "period"
            ),
            ["text", "recommendation"],
            ["-recorded_at", "-pk"],
            _finding_text,
            True,
        ),
    }
    # The last of each: whether the kind's table is large (_top_rows).
    for name, (queryset, fields, natural_order, text_of, large) in searches.items():
        kind = results[name]
        kind.hits, kind.total = _hits(
            matcher.ranked(queryset, fields, natural_order), text_of, words, large=large
        )
    return results
