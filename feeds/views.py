"""The calendar feed a calendar program fetches, and the page where a person makes or resets
its address."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from . import services
from .calendar import calendar_build
from .forms import FeedFilterForm
from .permissions import feed_policy
from .selectors import feed_events, feed_token_find, feed_token_of, reads_everything


@login_not_required
@require_safe
def calendar_feed(request, token: str):
    """The person's deadlines as iCalendar. A calendar program sends no session: the secret
    in the address names the person, and what they may read is asked of the policies as them.
    A wrong, reset or stopped address is a 404, as for a page that does not exist."""
    feed = feed_token_find(secret=token)
    if feed is None:
        services.feed_refusal_record(request=request)
        raise Http404("calendar feed")
    form = FeedFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(
            " ".join(form.errors["body"]), content_type="text/plain; charset=utf-8"
        )
    user = feed.user
    # A calendar program's own language is no guide: the feed speaks the product's.
    with translation.override(settings.LANGUAGE_CODE):
        events = feed_events(user=user, body=form.cleaned_data["body"], today=timezone.localdate())
        name = _("Deadlines — %(name)s") % {"name": user.display_name}
        if form.cleaned_data["body"] is not None:
            name += f" — {form.cleaned_data['body'].display_name}"
        content = calendar_build(
            events=events,
            name=name,
            base_url=request.build_absolute_uri("/"),
            stamp=timezone.now(),
        )
    services.feed_fetch_record(feed=feed, request=request, secret=token, events=len(events))
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="han-cong-viec.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _page(request, *, address: str | None = None, status: int = 200):
    context = {
        "feed": feed_token_of(user=request.user),
        "address": address,
        "reads_everything": reads_everything(request.user),
        "example_body": "thanh-uy-nha-trang",
    }
    response = render(request, "feeds/feed_settings.html", context, status=status)
    if address:
        # The secret is on this page only: not to be kept by a browser's or a proxy's cache.
        response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@never_cache
def calendar_feed_settings(request):
    feed_policy.require(request, feed_policy.HOLD)
    return _page(request)


@require_POST
def calendar_feed_reset(request):
    """Make a new address (the old one stops) and show it, this once."""
    feed_policy.require(request, feed_policy.HOLD)
    secret = services.feed_token_reset(user=request.user, acting_user=request.user)
    address = request.build_absolute_uri(reverse("calendar_feed", kwargs={"token": secret}))
    return _page(request, address=address)


@require_POST
def calendar_feed_stop(request):
    feed_policy.require(request, feed_policy.HOLD)
    if services.feed_token_stop(user=request.user, acting_user=request.user):
        messages.success(request, _("Your calendar feed is stopped: its address answers no more."))
    return redirect("calendar_feed_settings")
