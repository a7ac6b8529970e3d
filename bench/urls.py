"""The product's URLs plus a hello-world page, for the benchmark only (config.settings.bench):
the fastest page Django can serve through the product's middleware (session, signed-in user,
security headers), the yardstick the product's pages are measured against."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe

from config.urls import urlpatterns as product_urlpatterns


@require_safe
def hello_world(request):
    return HttpResponse("Hello, world", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/hello/", hello_world, name="bench_hello"), *product_urlpatterns]
