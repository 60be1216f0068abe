import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aspa.settings")
application = get_wsgi_application()


def _load_what_the_first_request_would() -> None:
    """The URL map (and through it every page's module and the API's routers) and the
    translations, loaded with the application instead of by the first request. Under `aspa serve`
    this runs once, in gunicorn's master before it forks (docs/benchmarks.md)."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 (a cached property: reading it loads the map)
    for language, _name in settings.LANGUAGES:
        translation.activate(language)  # reads the language's catalogues
    translation.deactivate()


_load_what_the_first_request_would()
