"""The document and the bodies together with their tracking: the programme as printed with
each task's bodies, a task's page with its assignments and status, and the bodies with the
tasks given to them. The programme and accounts apps serve the document and the bodies alone."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.selectors import body_queryset
from programme.models import Programme
from programme.selectors import item_queryset

from ..permissions import Action, assignment_policy
from ..selectors import body_list_by_kind, body_page, item_page, programme_document, task_status
from ..succession import succession_of


@require_safe
def programme_detail(request, code: str):
    programme = get_object_or_404(Programme, code=code)
    return render(
        request,
        "programme/programme_detail.html",
        {"programme": programme, "document": programme_document(programme=programme)},
    )


@require_safe
def item_detail(request, code: str, key: str):
    item = get_object_or_404(item_queryset(), programme__code=code, key=key)
    # A task's overall status sums up every body's work, so only those who may see every
    # assignment are shown it.
    status = None
    if item.is_task and assignment_policy.user_has_permission(request.user, Action.VIEW):
        status = task_status(item=item, today=timezone.localdate())
    return render(
        request, "programme/item_detail.html", {"page": item_page(item=item), "status": status}
    )


@require_safe
def body_list(request):
    return render(request, "accounts/body_list.html", {"kind_groups": body_list_by_kind()})


@require_safe
def body_detail(request, code: str):
    body = get_object_or_404(body_queryset(), code=code)
    # Before and after a reorganisation: the bodies it succeeded and those that carry it on.
    return render(
        request,
        "accounts/body_detail.html",
        {"page": body_page(body=body), "succession": succession_of(body)},
    )
