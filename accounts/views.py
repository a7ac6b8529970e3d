from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .selectors import body_list_by_kind, body_page, body_queryset


@require_safe
def body_list(request):
    return render(request, "accounts/body_list.html", {"kind_groups": body_list_by_kind()})


@require_safe
def body_detail(request, code: str):
    body = get_object_or_404(body_queryset(), code=code)
    return render(request, "accounts/body_detail.html", {"page": body_page(body=body)})
