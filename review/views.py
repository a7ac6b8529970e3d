"""The review workflow's pages, written once: a step taken with one button (submit, accept)
and the return form. Each kind's views find the row through its own policy (another body's
draft is a 404, a step they may not take a 403) and hand it here; a refused step comes back
on the page with status 400, and nothing of it is saved."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import ReturnForm, add_service_errors, error_form
from .models import Reviewable, ReviewState
from .services import Flow, ReviewAction, review_accept, review_return, review_submit

GET_AND_POST = require_http_methods(["GET", "HEAD", "POST"])


def posted(request):
    """The submitted data on a POST (a form bound to it, even when empty), None on a GET."""
    return request.POST if request.method == "POST" else None


def step_take(
    request,
    *,
    take: Callable[[], object],
    success: str,
    done_url: str,
    refused: Callable[..., HttpResponse],
) -> HttpResponse:
    """Take a one-button step; on refusal, `refused(action_form=…, status=400)` shows the row's
    page with the reason."""
    try:
        take()
    except ValidationError as error:
        return refused(action_form=error_form(error), status=400)
    messages.success(request, success)
    return redirect(done_url)


def return_page(
    request,
    *,
    form_class: type[ReturnForm],
    give_back: Callable[[str], object],
    success: str,
    done_url: str,
    template: str,
    context: dict,
) -> HttpResponse:
    """Ask for the reason, then return the row with it."""
    form = form_class(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            give_back(form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(done_url)
    return render(
        request,
        template,
        {**context, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@dataclass(frozen=True)
class ReviewPages:
    """The submit, accept and return pages of one reviewed kind, made from its flow and from
    how that kind finds a row for an action (`find(request, pk, action)`, through its policy)
    and shows it (`show(request, row, action_form=…, status=…)`)."""

    flow: Flow
    find: Callable[..., Reviewable]
    show: Callable[..., HttpResponse]
    detail_url_name: str
    return_form: type[ReturnForm]
    return_template: str
    return_context: Callable[[Reviewable], dict]

    def _one_button(self, action: str, step, success, confirm) -> Callable:
        """GET asks first (the step locks the row); POST takes it."""

        @require_http_methods(["GET", "HEAD", "POST"])
        def view(request, pk: int):
            row = self.find(request, pk, action)
            detail_url = reverse(self.detail_url_name, args=[row.pk])
            if request.method != "POST":
                return render(
                    request,
                    "review/step_confirm.html",
                    {"row": row, "cancel_url": detail_url, **confirm(row)},
                )
            return step_take(
                request,
                take=lambda: step(self.flow, row, acting_user=request.user),
                success=success,
                done_url=detail_url,
                refused=lambda **kwargs: self.show(request, row, **kwargs),
            )

        return view

    def _submit_words(self, row: Reviewable) -> dict:
        button = (
            _("Resubmit to the Party Office")
            if row.state == ReviewState.RETURNED
            else _("Submit to the Party Office")
        )
        return {"heading": button, "warning": self.flow.submit_warning, "button": button}

    def _accept_words(self, row: Reviewable) -> dict:
        label = self.flow.accept_label
        return {"heading": label, "warning": self.flow.accept_warning, "button": label}

    @property
    def submit_view(self) -> Callable:
        return self._one_button(
            ReviewAction.SUBMIT, review_submit, self.flow.submitted, self._submit_words
        )

    @property
    def accept_view(self) -> Callable:
        return self._one_button(
            ReviewAction.REVIEW, review_accept, self.flow.accepted, self._accept_words
        )

    @property
    def return_view(self) -> Callable:
        @GET_AND_POST
        def view(request, pk: int):
            row = self.find(request, pk, ReviewAction.REVIEW)
            return return_page(
                request,
                form_class=self.return_form,
                give_back=lambda reason: review_return(
                    self.flow, row, reason=reason, acting_user=request.user
                ),
                success=self.flow.returned,
                done_url=reverse(self.detail_url_name, args=[row.pk]),
                template=self.return_template,
                context=self.return_context(row),
            )

        return view
