from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors


@require_safe
def programme_list(request):
    return render(
        request, "programme/programme_list.html", {"programmes": selectors.programme_list()}
    )
