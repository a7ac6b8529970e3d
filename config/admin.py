"""The admin base that every app's history-tracked models use."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """The admin for every history-tracked model: its history pages are read-only and show only
    objects that the admin's own queryset holds.

    SimpleHistoryAdmin finds an object's records by id alone, falling back to its latest record
    when get_queryset() does not hold it, so it would list the history of another body's draft;
    and its page of a past version saves whatever form is posted to it, whatever the change
    permissions or SIMPLE_HISTORY_REVERT_DISABLED say. History is a record: the list and its
    changes are how it is read here, and no past version is shown as a form or written back.
    """

    def history_view(self, request, object_id, extra_context=None):
        # As the change page does: an object the queryset does not hold does not exist here.
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Refused for every method and every object, so it neither saves nor tells which ids
        # exist; the history list's links to past versions end here.
        raise PermissionDenied

    def revert_disabled(self, request, obj=None) -> bool:
        return True
