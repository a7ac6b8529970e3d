from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.i18n import set_language


@login_not_required
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico whatever the page says: send them to the project's icon."""
    return HttpResponseRedirect(static("icons/favicon.ico"))


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    # Switching language works before signing in too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("", include("accounts.urls")),
    path("", include("programme.urls")),
    path("", include("search.urls")),
    # The desk is the home page, "/"; the agency home is at /my-work/ (tasks).
    path("", include("desk.urls")),
    path("", include("tasks.urls")),
    path("", include("discussion.urls")),
    path("", include("indicators.urls")),
    path("", include("reports.urls")),
    path("", include("reorganisation.urls")),
    path("", include("notifications.urls")),
    path("", include("feeds.urls")),
]
