"""The site's error pages (`handler403`, `handler404` in config/urls.py), here so that every app
can answer with exactly the bytes Django's handlers render (`community_pages.privacy.not_found`).
"""

from http import HTTPStatus

from django.template.response import TemplateResponse


def permission_denied(request, exception=None):
    return TemplateResponse(request, "403.html", status=HTTPStatus.FORBIDDEN)


def page_not_found(request, exception=None):
    return TemplateResponse(request, "404.html", status=HTTPStatus.NOT_FOUND)
