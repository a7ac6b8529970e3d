"""The home page: the desk of the person signed in."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .queues import desk_for


@require_safe
def home(request):
    """Every queue of every role the person holds. Anyone signed in may open it: one with
    no role is told so, since sign-in leads here."""
    today = timezone.localdate()
    desk = desk_for(user=request.user, today=today, now=timezone.now())
    return render(request, "desk/home.html", {"desk": desk, "today": today})
