"""The applied reorganisations: what each ended, what succeeded it, the work it moved, and for
the Party Office the drafts the ended bodies left unsent."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .models import Reorganisation
from .permissions import reorganisation_policy
from .selectors import reorganisation_list, reorganisation_page


@require_safe
def reorganisation_index(request):
    reorganisation_policy.require(request, reorganisation_policy.VIEW)
    return render(
        request, "reorganisation/reorganisation_list.html", {"acts": reorganisation_list()}
    )


@require_safe
def reorganisation_detail(request, pk: int):
    reorganisation_policy.require(request, reorganisation_policy.VIEW)
    act = get_object_or_404(Reorganisation.objects.select_related("applied_by"), pk=pk)
    with_drafts = reorganisation_policy.user_has_permission(
        request.user, reorganisation_policy.READ_DRAFTS
    )
    return render(
        request,
        "reorganisation/reorganisation_detail.html",
        {"page": reorganisation_page(act=act, with_drafts=with_drafts), "with_drafts": with_drafts},
    )
