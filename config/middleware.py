"""The language of a page: Vietnamese unless the person chose English."""

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

# API clients name their language in Accept-Language, as docs/api.md says; a program sends the
# header on purpose, where a browser sends its own installation's language.
API_PREFIX = "/api/"


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, except that a browser's Accept-Language does not choose the
    language of the pages: a browser set to English still gets Vietnamese, the product's
    language, until its user picks English with the language switcher (the language cookie)."""

    def process_request(self, request: HttpRequest) -> None:
        if request.path_info.startswith(API_PREFIX):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else None
        except LookupError:
            language = None
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
