"""Placeholder: being built."""

from django.http import Http404


def report_create(request, **kwargs):
    raise Http404


def report_detail(request, **kwargs):
    raise Http404


def report_edit(request, **kwargs):
    raise Http404


def report_submit(request, **kwargs):
    raise Http404


def report_accept(request, **kwargs):
    raise Http404


def report_return(request, **kwargs):
    raise Http404


def report_history(request, **kwargs):
    raise Http404


def document_create(request, **kwargs):
    raise Http404


def document_delete(request, **kwargs):
    raise Http404


def attachment_create(request, **kwargs):
    raise Http404


def attachment_download(request, **kwargs):
    raise Http404


def attachment_delete(request, **kwargs):
    raise Http404
