"""The indicator pages: the programme's indicators and their verdicts, one indicator, its
yearly figures and their review, the register of industrial zones and clusters, and
explanation requests.

A figure or request the user may not see is a 404 (another body's draft must not be admitted
to exist); a step they may not take on one they see is a 403. Each step is one service call;
its refusal comes back on the page with status 400, and nothing of the step is saved.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.exports import list_response
from accounts.permissions import refuse
from programme.models import Programme, Target
from review.views import GET_AND_POST, ReviewPages, posted
from tasks.forms import add_service_errors
from tasks.views.assignments import visible_assignment

from . import services
from .charts import indicator_chart
from .forms import (
    ExplanationAnswerForm,
    ExplanationCloseForm,
    ExplanationRequestForm,
    FigureEditForm,
    FigureForm,
    FigureReturnForm,
)
from .lists import ExplanationTable
from .models import ExplanationRequest, IndustrialArea, YearlyFigure
from .permissions import Action, explanation_policy, figure_policy
from .selectors import (
    current_occupancy,
    explanations_for_display,
    figures_for_display,
    indicator_rows,
)
from .timeline import explanation_timeline, figure_timeline, figures_timeline


def _signed_in(request) -> None:
    figure_policy.require(request, Action.VIEW)


def _chart(row, *, small: bool = False) -> str:
    return indicator_chart(
        row.spec,
        row.actuals,
        row.assessment,
        title=row.target.display_name,
        small=small,
        width=220 if small else 640,
        height=90 if small else 260,
    )


@require_safe
def indicator_overview(request, code: str):
    """Every indicator of the programme on one page: target, latest value, verdict and the
    rule that decided it, with a small chart each; a fixed number of queries."""
    _signed_in(request)
    programme = get_object_or_404(Programme, code=code)
    rows = indicator_rows(programme=programme)
    counts = {}
    for row in rows:
        counts[row.assessment.verdict] = counts.get(row.assessment.verdict, 0) + 1
    return render(
        request,
        "indicators/indicator_overview.html",
        {
            "programme": programme,
            "rows": [(row, _chart(row, small=True)) for row in rows],
            "counts": counts,
        },
    )


def _target(pk: int) -> Target:
    return get_object_or_404(
        Target.objects.select_related("programme", "responsible_body", "item"), pk=pk
    )


@require_safe
def indicator_detail(request, pk: int):
    _signed_in(request)
    target = _target(pk)
    row = next(r for r in indicator_rows(programme=target.programme) if r.target.pk == target.pk)
    visible = figure_policy.instances_user_has_permission_for(request.user, Action.VIEW)
    figures = list(figures_for_display(visible.filter(target=target)).order_by("year"))
    explanations = list(
        explanations_for_display(
            explanation_policy.instances_user_has_permission_for(request.user).filter(target=target)
        )
    )
    occupancy = (
        current_occupancy() if target.values_from == Target.ValuesFrom.INDUSTRIAL_AREAS else None
    )
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "target": target,
            "row": row,
            "chart": _chart(row),
            "figures": figures,
            "entries": figures_timeline(figure_ids=[f.pk for f in figures]),
            "explanations": explanations,
            "occupancy": occupancy,
            "can_enter": target.values_from == Target.ValuesFrom.ENTERED
            and figure_policy.may_enter(request.user, target.responsible_body_id),
            "can_request": explanation_policy.user_has_permission(
                request.user, Action.REQUEST_EXPLANATION
            )
            and row.assessment.verdict != "on_track",
        },
    )


def _figure_form_page(request, subject, cancel_url: str):
    body_id = subject.responsible_body_id
    if not figure_policy.may_enter(request.user, body_id):
        refuse(request, what=f"enter figure for {subject._meta.label_lower} #{subject.pk}")
    unit = subject.unit if isinstance(subject, Target) else "ha"
    initial = {"year": timezone.localdate().year - 1}
    form = FigureForm(posted(request), unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            figure = services.figure_create(
                subject=subject, data=form.figure_data(), acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The draft figure was saved."))
            return redirect("figure_detail", pk=figure.pk)
    return render(
        request,
        "indicators/figure_form.html",
        {"subject": subject, "form": form, "unit": unit, "cancel_url": cancel_url},
        status=400 if request.method == "POST" else 200,
    )


@GET_AND_POST
def figure_create(request, pk: int):
    target = _target(pk)
    if target.values_from != Target.ValuesFrom.ENTERED:
        refuse(request, what=f"enter figure for computed indicator #{target.pk}")
    return _figure_form_page(request, target, reverse("indicator_detail", args=[target.pk]))


@GET_AND_POST
def area_figure_create(request, pk: int):
    area = get_object_or_404(IndustrialArea.objects.select_related("responsible_body"), pk=pk)
    return _figure_form_page(request, area, reverse("area_detail", args=[area.pk]))


def _visible_figure(request, pk: int) -> YearlyFigure:
    figure = get_object_or_404(figures_for_display(YearlyFigure.objects.all()), pk=pk)
    figure_policy.require(request, Action.VIEW, figure, hide=True)
    return figure


def _figure_for(request, pk: int, action: str) -> YearlyFigure:
    figure = _visible_figure(request, pk)
    figure_policy.require(request, action, figure)
    return figure


def _unit(figure: YearlyFigure) -> str:
    return figure.target.unit if figure.target_id else "ha"


def _render_figure(request, figure: YearlyFigure, *, action_form=None, status: int = 200):
    def may(action: str) -> bool:
        return figure_policy.user_has_permission_for_instance(request.user, action, figure)

    return render(
        request,
        "indicators/figure_detail.html",
        {
            "figure": figure,
            "unit": _unit(figure),
            "can_draft": may(Action.DRAFT),
            "can_submit": may(Action.SUBMIT),
            "can_review": may(Action.REVIEW),
            "action_form": action_form,
            "entries": figure_timeline(figure=figure),
        },
        status=status,
    )


@require_safe
def figure_detail(request, pk: int):
    return _render_figure(request, _visible_figure(request, pk))


@GET_AND_POST
def figure_edit(request, pk: int):
    figure = _figure_for(request, pk, Action.DRAFT)
    initial = {
        "year": figure.year,
        "value": figure.value.normalize(),
        "source": figure.source,
        "note": figure.note,
        "version": figure.version,
    }
    form = FigureEditForm(posted(request), initial=initial, unit=_unit(figure))
    if request.method == "POST" and form.is_valid():
        try:
            services.figure_update(
                figure=figure,
                data=form.figure_data(),
                expected_version=form.cleaned_data["version"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The figure was saved."))
            return redirect("figure_detail", pk=figure.pk)
    return render(
        request,
        "indicators/figure_form.html",
        {
            "subject": figure.subject,
            "figure": figure,
            "form": form,
            "unit": _unit(figure),
            "cancel_url": reverse("figure_detail", args=[figure.pk]),
        },
        status=400 if request.method == "POST" else 200,
    )


_review = ReviewPages(
    flow=services.FIGURE_FLOW,
    find=_figure_for,
    show=lambda request, figure, **kwargs: _render_figure(request, figure, **kwargs),
    detail_url_name="figure_detail",
    return_form=FigureReturnForm,
    return_template="indicators/figure_return_form.html",
    return_context=lambda figure: {"figure": figure, "unit": _unit(figure)},
)
figure_submit = _review.submit_view
figure_accept = _review.accept_view
figure_return = _review.return_view


@require_safe
def area_list(request):
    """The register of industrial zones and clusters with their occupancy by year and the
    average across them; a fixed number of queries."""
    _signed_in(request)
    table = current_occupancy()
    target = (
        Target.objects.filter(values_from=Target.ValuesFrom.INDUSTRIAL_AREAS)
        .select_related("programme")
        .first()
    )
    return render(request, "indicators/area_list.html", {"table": table, "target": target})


@require_safe
def area_detail(request, pk: int):
    _signed_in(request)
    area = get_object_or_404(IndustrialArea.objects.select_related("responsible_body"), pk=pk)
    visible = figure_policy.instances_user_has_permission_for(request.user, Action.VIEW)
    figures = list(figures_for_display(visible.filter(industrial_area=area)).order_by("year"))
    return render(
        request,
        "indicators/area_detail.html",
        {
            "area": area,
            "figures": figures,
            "entries": figures_timeline(figure_ids=[f.pk for f in figures]),
            "can_enter": figure_policy.may_enter(request.user, area.responsible_body_id),
        },
    )


@require_safe
def explanation_list(request):
    explanation_policy.require(request, Action.VIEW)
    today = timezone.localdate()
    requests = explanations_for_display(
        explanation_policy.instances_user_has_permission_for(request.user)
    ).order_by("state", "due_on", "-id")
    return list_response(
        request,
        ExplanationTable(requests, today=today, request=request),
        default_sort="state",
        template_name="indicators/explanation_list.html",
        context={"today": today},
    )


def _explanation_form(request, *, subject, target=None, assignment=None, cancel_url: str):
    explanation_policy.require(request, Action.REQUEST_EXPLANATION)
    form = ExplanationRequestForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            created = services.explanation_request(
                target=target,
                assignment=assignment,
                question=form.cleaned_data["question"],
                due_on=form.cleaned_data["due_on"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The explanation was requested."))
            return redirect("explanation_detail", pk=created.pk)
    return render(
        request,
        "indicators/explanation_form.html",
        {
            "subject": subject,
            "target": target,
            "assignment": assignment,
            "form": form,
            "cancel_url": cancel_url,
        },
        status=400 if request.method == "POST" else 200,
    )


@GET_AND_POST
def indicator_explanation_create(request, pk: int):
    _signed_in(request)
    target = _target(pk)
    return _explanation_form(
        request,
        subject=target,
        target=target,
        cancel_url=reverse("indicator_detail", args=[target.pk]),
    )


@GET_AND_POST
def assignment_explanation_create(request, pk: int):
    assignment = visible_assignment(request, pk)
    return _explanation_form(
        request,
        subject=assignment,
        assignment=assignment,
        cancel_url=reverse("assignment_detail", args=[assignment.pk]),
    )


def _visible_explanation(request, pk: int) -> ExplanationRequest:
    found = get_object_or_404(explanations_for_display(ExplanationRequest.objects.all()), pk=pk)
    explanation_policy.require(request, Action.VIEW, found, hide=True)
    return found


def _render_explanation(request, found, *, answer_form=None, close_form=None, status=200):
    user = request.user
    can_answer = explanation_policy.user_has_permission_for_instance(user, Action.ANSWER, found)
    can_close = explanation_policy.user_has_permission_for_instance(user, Action.CLOSE, found)
    return render(
        request,
        "indicators/explanation_detail.html",
        {
            "explanation": found,
            "today": timezone.localdate(),
            "answer_form": answer_form
            or (ExplanationAnswerForm(initial={"answer": found.answer}) if can_answer else None),
            "close_form": close_form or (ExplanationCloseForm() if can_close else None),
            "entries": explanation_timeline(request=found),
        },
        status=status,
    )


@require_safe
def explanation_detail(request, pk: int):
    return _render_explanation(request, _visible_explanation(request, pk))


@require_POST
def explanation_answer(request, pk: int):
    found = _visible_explanation(request, pk)
    explanation_policy.require(request, Action.ANSWER, found)
    form = ExplanationAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.explanation_answer(
                request=found, answer=form.cleaned_data["answer"], acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The explanation was sent to the Party Office."))
            return redirect("explanation_detail", pk=found.pk)
    return _render_explanation(request, found, answer_form=form, status=400)


@require_POST
def explanation_close(request, pk: int):
    found = _visible_explanation(request, pk)
    explanation_policy.require(request, Action.CLOSE, found)
    form = ExplanationCloseForm(request.POST)
    if form.is_valid():
        try:
            services.explanation_close(
                request=found, note=form.cleaned_data["note"], acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The explanation request was closed."))
            return redirect("explanation_detail", pk=found.pk)
    return _render_explanation(request, found, close_form=form, status=400)
