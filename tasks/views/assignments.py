"""Placeholder: being built."""

from django.http import Http404


def assignment_detail(request, **kwargs):
    raise Http404


def assignment_history(request, **kwargs):
    raise Http404


def assignment_deadline(request, **kwargs):
    raise Http404


def extension_request_create(request, **kwargs):
    raise Http404


def extension_decide(request, **kwargs):
    raise Http404


def assignment_delegate(request, **kwargs):
    raise Http404


def finding_create(request, **kwargs):
    raise Http404
