"""Placeholder: being built."""

from django.http import Http404


def period_list(request, **kwargs):
    raise Http404


def period_detail(request, **kwargs):
    raise Http404


def period_open(request, **kwargs):
    raise Http404


def period_close(request, **kwargs):
    raise Http404
