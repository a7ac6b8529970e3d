from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from tasks.permissions import Action, assignment_policy
from tasks.selectors import task_status

from . import selectors
from .forms import SearchForm
from .models import Programme
from .selectors import item_page, item_queryset, item_search, programme_document


@require_safe
def programme_list(request):
    return render(
        request, "programme/programme_list.html", {"programmes": selectors.programme_list()}
    )


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
def search(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = item_search(query=query) if query else None
    return render(
        request, "programme/search.html", {"form": form, "query": query, "results": results}
    )
