"""The product's URLs plus a hello-world page, for the benchmark only (config.settings.bench):
the fastest page Django can serve through the product's middleware (session, signed-in user,
security headers), the yardstick the product's pages are measured against."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from config.urls import urlpatterns as product_urlpatterns


@require_safe
def hello_world(request):
    return HttpResponse("Hello, world", content_type="text/plain; charset=utf-8")


@require_safe
def base_layout(request):
    """The product's base layout with no content of its own: the header, the navigation and
    the bell, what every page pays before its content."""
    return render(request, "bench/base_layout.html")


urlpatterns = [
    path("bench/hello/", hello_world, name="bench_hello"),
    path("bench/layout/", base_layout, name="bench_layout"),
    *product_urlpatterns,
]
