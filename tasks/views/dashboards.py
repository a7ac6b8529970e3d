"""Placeholder: being built."""

from django.http import Http404


def agency_home(request, **kwargs):
    raise Http404


def compliance_overview(request, **kwargs):
    raise Http404


def supervision_overview(request, **kwargs):
    raise Http404


def assignment_list(request, **kwargs):
    raise Http404
