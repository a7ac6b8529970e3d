"""The benchmark's WSGI app: the product (config.settings.bench) plus a bare Django
hello-world at /bench/bare/, the floor the product's own hello-world is compared with.

The bare page bypasses the middleware and the URL resolver: this app answers its path itself,
with a Django view on a Django request (WSGIRequest, HttpResponse), and passes every other
path to the product's handler with its full middleware. So the bare page costs what Django
itself costs per request, in the same worker, under the same gunicorn.
"""

from django.core.handlers.wsgi import WSGIRequest
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse

product = get_wsgi_application()

BARE_PATH = "/bench/bare/"


def bare_hello_world(request) -> HttpResponse:
    return HttpResponse("Hello, world", content_type="text/plain; charset=utf-8")


def application(environ, start_response):
    if environ.get("PATH_INFO") != BARE_PATH:
        return product(environ, start_response)
    response = bare_hello_world(WSGIRequest(environ))
    start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
    return response
