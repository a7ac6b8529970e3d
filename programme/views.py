from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors
from .forms import SearchForm
from .selectors import item_search


@require_safe
def programme_list(request):
    return render(
        request, "programme/programme_list.html", {"programmes": selectors.programme_list()}
    )


@require_safe
def search(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = item_search(query=query) if query else None
    return render(
        request, "programme/search.html", {"form": form, "query": query, "results": results}
    )
