from django.shortcuts import render
from django.views.decorators.http import require_safe

from .forms import SearchForm
from .selectors import site_search


@require_safe
def search(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    # What the user may not see is left out by the selector, counts included.
    results = site_search(user=request.user, query=query) if query else None
    return render(request, "search/search.html", {"form": form, "query": query, "results": results})
