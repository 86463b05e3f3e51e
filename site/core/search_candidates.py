"""Search on PostgreSQL, narrowed to the GIN indexes' candidates before Wagtail's backend ranks
them: for the search page (`home/search.py`) and the API's `?search=` (`core/api/pages.py`).
Issue 13: search was the slowest address under load."""

from __future__ import annotations

import operator
import re
from functools import reduce

from django.contrib.postgres import search as postgres_search
from django.db import connection
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.database.postgres.query import Lexeme
from wagtail.search.models import IndexEntry


def candidates(pages, text: str):
    """On PostgreSQL, narrow `pages` to those whose index entry holds any of the words, before
    the search backend ranks them; elsewhere, `pages` as they are.

    Wagtail's PostgreSQL backend matches `title || body` (the two indexed vectors joined) against
    the query: no index can answer that, so every search read and ranked every page's entry
    (the slowest address under load). Its GIN indexes are on `title` and on `body` apart;
    asking them for ANY of the words (`title @@ q OR body @@ q`, the same text-search
    configuration) finds a superset of what the backend then matches, whatever the operator
    (a page matching all the words, or one of them, holds at least one in its title or body),
    so the results, their order and their count are the backend's own, over far fewer rows.
    """
    if connection.vendor != "postgresql":
        return pages
    terms = [term for term in re.split(r"[\s\-]+", text) if term]
    if not terms:
        return pages
    words = reduce(operator.or_, (Lexeme(term) for term in terms))
    config = getattr(get_search_backend(), "config", None)  # the backend's, for the same stems
    search_query = postgres_search.SearchQuery(words, search_type="raw", config=config)
    entries = IndexEntry.objects.filter(Q(title=search_query) | Q(body=search_query))
    # object_id is text (any model's key): compare as text, then hand the backend page ids.
    ids = (
        Page.objects.annotate(_id_text=Cast("pk", TextField()))
        .filter(_id_text__in=entries.values("object_id"))
        .values("pk")
    )
    return pages.filter(pk__in=ids)
