"""The API's pages for people: their own tokens, and the documentation (Swagger UI, from the
project's own static files)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from drf_spectacular.views import SpectacularSwaggerSplitView

from accounts.permissions import refuse
from review.forms import add_service_errors
from review.views import GET_AND_POST, posted

from .forms import TokenForm
from .models import ApiToken
from .services import ACTIVE_TOKENS_MAX, api_token_create, api_token_revoke


@GET_AND_POST
def token_list(request):
    """A person's own tokens. A new token is shown on the answer to the POST that made it, and
    never again: the page is not kept by the browser or any cache."""
    form = TokenForm(posted(request))
    made = None
    if request.method == "POST" and form.is_valid():
        try:
            made = api_token_create(
                name=form.cleaned_data["name"],
                read_only=form.cleaned_data["read_only"],
                acting_user=request.user,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = TokenForm()
    response = render(
        request,
        "api/token_list.html",
        {
            "form": form,
            "made": made[0] if made else None,
            "secret": made[1] if made else None,
            "tokens": list(ApiToken.objects.filter(user=request.user)),
            "tokens_max": ACTIVE_TOKENS_MAX,
        },
        status=400 if request.method == "POST" and made is None else 200,
    )
    add_never_cache_headers(response)
    return response


@require_POST
def token_revoke(request, pk: int):
    # Another person's token is not admitted to exist.
    token = ApiToken.objects.filter(pk=pk, user=request.user).first()
    if token is None:
        refuse(request, what=f"revoke api token #{pk}", hide=True)
    api_token_revoke(token=token, acting_user=request.user, request=request)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api:tokens")


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI with its start-up script as a file of its own (`?script`), so the page runs
    under the site's Content Security Policy: no inline script or style."""

    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
    title = "NQ 23-NQ/TW API"


# A page for people: someone not signed in is sent to sign in, as on every other page.
api_docs = login_required(ApiDocsView.as_view())
