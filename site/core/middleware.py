"""The Neighborhood's middlewares, in the order settings.MIDDLEWARE runs them (and, on their own,
`core.health.DatabaseUnavailableMiddleware` and `core.per_request`'s):

- `ContentSecurityPolicyMiddleware`: the policy of `core/csp.py` on every response;
- `BearerTokenMiddleware`: `Authorization: Bearer` on the reading URLs that are not DRF views;
- `PrivateByDefaultMiddleware`: responses that may depend on who asks are never cached as public
  (docs/privacy.md, invariant `never-cached-public`);
- `AdminPagePrivacyMiddleware`: non-staff reach only an allow-list of admin views, and never an
  object the admin rule hides;
- `TwoFactorMiddleware`: holds a signed-in person at the second sign-in step.
"""

from http import HTTPStatus

from django.apps import apps
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import urlencode
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.log_actions import LogContext
from wagtail.models import Page, TaskState, UploadedFile

from core import csp
from core.admin_privacy import admin_visible_files, admin_visible_page_ids
from core.admin_titles import admin_viewer
from core.api.authentication import WWW_AUTHENTICATE, BadBearerToken, bearer_user
from core.routes import bearer_path_prefixes
from core.security import ENROL, PENDING_SESSION_KEY, VERIFY, confirmed_device, two_factor_required
from core.views import page_not_found
from core.visibility import is_staff


class PrivateByDefaultMiddleware:
    """Every response varies on the session cookie and is `Cache-Control: private`.

    A view that serves something identical for everyone may say `public` itself; nothing in the
    Neighborhood does yet. Static files are served by WhiteNoise before this runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        if "public" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True)
        return response


class AdminPagePrivacyMiddleware:
    """The Wagtail admin, for everyone but staff: only the views known to narrow what they show,
    and never an object the admin rule hides (docs/privacy.md, "Admin screens", invariants
    `members-see-own-spaces` and `drafts-for-editors-only`).

    Members and editors use the admin to write and review, so it must not tell them anything
    their role does not show them: not another community's pages or files, not a page restricted
    to editors, not another member's draft. The querysets are narrowed where Wagtail builds them
    (`core/admin_privacy.py`); this middleware answers the views that name an object:

    - **Deny by default.** A signed-in non-staff person reaches only the admin views listed in
      `FOR_MEMBERS` (by URL name); anything else (reports, settings, users, a view added by a
      Wagtail upgrade) gets the site's 404. Someone who may not enter the admin at all (an
      applicant) is then sent to sign in by Wagtail, the same for every listed address.
    - **Hidden answers like missing.** Every object a listed view names (in its URL, or in the
      `id` parameters of choosers and bulk actions) is looked up in what the admin rule shows
      this person before the view runs; an id that is hidden and an id that does not exist get
      the same 404, from the same code, before Wagtail's own lookup could tell them apart.

    Staff pass untouched. Visitors are sent to sign in by Wagtail itself, whatever the address.
    """

    ADMIN_PREFIX = "/admin/"
    # Open to anyone signed in (they need no admin access, or are how one leaves it).
    ALWAYS = frozenset(
        {
            "wagtailadmin_login",
            "wagtailadmin_logout",
            "wagtailadmin_password_reset",
            "wagtailadmin_password_reset_done",
            "wagtailadmin_password_reset_confirm",
            "wagtailadmin_password_reset_complete",
            "wagtailadmin_javascript_catalog",
            "wagtailadmin_sprite",
            "wagtail_localize:javascript_catalog",
        }
    )
    _PAGE = ("page", "page_id")
    _PAGES_IN_QUERY = ("page", "?id")
    # URL name -> the objects it names: (kind, URL keyword or "?id" for the query string).
    # A view belongs here only when everything it lists comes from the narrowed policies or
    # hooks, and every object it names by id is one of these checks.
    FOR_MEMBERS: dict[str, tuple[tuple[str, str], ...]] = {
        "wagtailadmin_home": (),
        "wagtailadmin_account": (),
        "wagtailadmin_dismissibles": (),
        "wagtailadmin_block_preview": (),
        # Pages: the explorer, writing, moderation, history.
        "wagtailadmin_explore_root": (),
        "wagtailadmin_explore": (("page", "parent_page_id"),),
        "wagtailadmin_explore_results": (("page", "parent_page_id"),),
        "wagtailadmin_pages:search": (),
        "wagtailadmin_pages:search_results": (),
        "wagtailadmin_pages:choose_parent": (),
        "wagtailadmin_pages:add": (("page", "parent_page_id"),),
        "wagtailadmin_pages:preview_on_add": (("page", "parent_page_id"),),
        "wagtailadmin_pages:add_subpage": (("page", "parent_page_id"),),
        "wagtailadmin_pages:edit": (_PAGE,),
        "wagtailadmin_pages:preview_on_edit": (_PAGE,),
        "wagtailadmin_pages:view_draft": (_PAGE,),
        "wagtailadmin_pages:delete": (_PAGE,),
        "wagtailadmin_pages:unpublish": (_PAGE,),
        "wagtailadmin_pages:lock": (_PAGE,),
        "wagtailadmin_pages:unlock": (_PAGE,),
        "wagtailadmin_pages:copy": (_PAGE,),
        "wagtailadmin_pages:move": (("page", "page_to_move_id"),),
        "wagtailadmin_pages:set_page_position": (("page", "page_to_move_id"),),
        "wagtailadmin_pages:move_confirm": (
            ("page", "page_to_move_id"),
            ("page", "destination_id"),
        ),
        "wagtailadmin_pages:history": (_PAGE,),
        "wagtailadmin_pages:history_results": (_PAGE,),
        "wagtailadmin_pages:revisions_index": (_PAGE,),
        "wagtailadmin_pages:revisions_view": (_PAGE,),
        "wagtailadmin_pages:revisions_revert": (_PAGE,),
        "wagtailadmin_pages:revisions_unschedule": (_PAGE,),
        "wagtailadmin_pages:revisions_compare": (("page", "pk"),),
        "wagtailadmin_pages:workflow_history": (_PAGE,),
        "wagtailadmin_pages:workflow_history_detail": (_PAGE,),
        "wagtailadmin_pages:workflow_preview": (_PAGE,),
        "wagtailadmin_pages:confirm_workflow_cancellation": (_PAGE,),
        "wagtailadmin_pages:workflow_action": (_PAGE, ("task_state", "task_state_id")),
        "wagtailadmin_pages:collect_workflow_action_data": (
            _PAGE,
            ("task_state", "task_state_id"),
        ),
        # The page chooser (its querysets pass `construct_page_chooser_queryset`).
        "wagtailadmin_choose_page": (),
        "wagtailadmin_choose_page_child": (("page", "parent_page_id"),),
        "wagtailadmin_choose_page_search": (),
        "wagtailadmin_choose_page_chosen_multiple": (_PAGES_IN_QUERY,),
        "wagtailadmin_choose_page_external_link": (),
        "wagtailadmin_choose_page_email_link": (),
        "wagtailadmin_choose_page_phone_link": (),
        "wagtailadmin_choose_page_anchor_link": (),
        # The admin API's pages (the sidebar explorer); its base queryset is the policy's.
        "wagtailadmin_api:pages:listing": (),
        "wagtailadmin_api:pages:detail": (("page", "pk"),),
        "wagtailadmin_api:pages:find": (_PAGES_IN_QUERY,),
        "wagtailadmin_editing_sessions:ping": (("object", "object_id"),),
        "wagtailadmin_editing_sessions:release": (),
        "wagtail_bulk_action": (("bulk", "?id"),),
        # Documents and images (listings and choosers narrowed by the policies).
        "wagtaildocs:index": (),
        "wagtaildocs:index_results": (),
        "wagtaildocs:add": (),
        "wagtaildocs:add_multiple": (),
        "wagtaildocs:edit": (("document", "document_id"),),
        "wagtaildocs:delete": (("document", "document_id"),),
        "wagtaildocs:edit_multiple": (("document", "doc_id"),),
        "wagtaildocs:delete_multiple": (("document", "doc_id"),),
        "wagtaildocs:create_multiple_from_uploaded_document": (("upload", "uploaded_file_id"),),
        "wagtaildocs:delete_upload_multiple": (("upload", "uploaded_file_id"),),
        "wagtaildocs_chooser:choose": (),
        "wagtaildocs_chooser:choose_results": (),
        "wagtaildocs_chooser:chosen": (("document", "pk"),),
        "wagtaildocs_chooser:chosen_multiple": (("document", "?id"),),
        "wagtaildocs_chooser:create": (),
        "wagtailimages:index": (),
        "wagtailimages:index_results": (),
        "wagtailimages:add": (),
        "wagtailimages:add_multiple": (),
        "wagtailimages:edit": (("image", "image_id"),),
        "wagtailimages:delete": (("image", "image_id"),),
        "wagtailimages:url_generator": (("image", "image_id"),),
        "wagtailimages:url_generator_output": (("image", "image_id"),),
        "wagtailimages:preview": (("image", "image_id"),),
        "wagtailimages:edit_multiple": (("image", "image_id"),),
        "wagtailimages:delete_multiple": (("image", "image_id"),),
        "wagtailimages:create_multiple_from_uploaded_image": (("upload", "uploaded_file_id"),),
        "wagtailimages:delete_upload_multiple": (("upload", "uploaded_file_id"),),
        "wagtailimages_chooser:choose": (),
        "wagtailimages_chooser:choose_results": (),
        "wagtailimages_chooser:chosen": (("image", "pk"),),
        "wagtailimages_chooser:chosen_multiple": (("image", "?id"),),
        "wagtailimages_chooser:create": (),
        "wagtailimages_chooser:select_format": (("image", "image_id"),),
        # The shared taxonomy (not private) for resource pages; embeds.
        "wagtailsnippetchoosers_resources_topic:choose": (),
        "wagtailsnippetchoosers_resources_topic:choose_results": (),
        "wagtailsnippetchoosers_resources_topic:chosen": (),
        "wagtailsnippetchoosers_resources_topic:chosen_multiple": (),
        "wagtailsnippetchoosers_resources_language:choose": (),
        "wagtailsnippetchoosers_resources_language:choose_results": (),
        "wagtailsnippetchoosers_resources_language:chosen": (),
        "wagtailsnippetchoosers_resources_language:chosen_multiple": (),
        "wagtailembeds:chooser": (),
        "wagtailembeds:chooser_upload": (),
        # Ours: they decide for themselves, the same refusal for every id (test_membership.py).
        "membership:index": (),
        "membership:decide": (),
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(self.ADMIN_PREFIX):
            return self.get_response(request)
        with admin_viewer(request.user):  # titles drawn for this person (core/admin_titles.py)
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not request.path_info.startswith(self.ADMIN_PREFIX) or not user.is_authenticated:
            return None
        if is_staff(user):
            return None
        match = request.resolver_match
        name = match.view_name if match is not None else ""
        if name in self.ALWAYS:
            return None
        checks = self.FOR_MEMBERS.get(name)
        if checks is None:
            return self.not_found(request)
        for kind, key in checks:
            if not self._shows(request, kind, key, view_kwargs):
                return self.not_found(request)
        return None  # Wagtail's own checks from here (someone without admin access: sign in)

    @staticmethod
    def not_found(request):
        """The site's 404, the same bytes for a hidden id, a missing id and a denied view (also
        under DEBUG, where a raised Http404 would name the view)."""
        return page_not_found(request).render()

    @staticmethod
    def _ids(request, key, view_kwargs) -> list[str]:
        if key == "?id":
            return request.GET.getlist("id") + request.POST.getlist("id")
        return [str(view_kwargs[key])] if key in view_kwargs else []

    def _shows(self, request, kind, key, view_kwargs) -> bool:
        user = request.user
        ids = self._ids(request, key, view_kwargs)
        if kind in ("object", "bulk"):
            try:
                model = apps.get_model(view_kwargs["app_label"], view_kwargs["model_name"])
            except (KeyError, LookupError, ValueError):
                return False
            if issubclass(model, Page):
                kind = "page"
            elif issubclass(model, get_document_model()):
                kind = "document"
            elif issubclass(model, get_image_model()):
                kind = "image"
            else:
                return False  # users, snippets, settings...: staff's
        if "all" in ids:
            return False  # "select all" acts on an unnarrowed listing: staff only
        if not all(pk.isdigit() for pk in ids):
            return False
        wanted = {int(pk) for pk in ids}
        if not wanted:
            return key == "?id"  # nothing named in the query string: nothing to hide
        return self._visible_count(user, kind, wanted, view_kwargs) == len(wanted)

    @staticmethod
    def _visible_count(user, kind, wanted, view_kwargs) -> int:
        if kind == "page":
            return len(admin_visible_page_ids(user, wanted))
        if kind in ("document", "image"):
            model = get_document_model() if kind == "document" else get_image_model()
            return admin_visible_files(user, model.objects.filter(pk__in=wanted)).count()
        if kind == "upload":
            return UploadedFile.objects.filter(pk__in=wanted, uploaded_by_user=user).count()
        if kind == "task_state":
            # Wagtail looks a task state up by id alone; it must be one of this page's.
            page_id = str(view_kwargs.get("page_id"))
            return TaskState.objects.filter(
                pk__in=wanted, workflow_state__object_id=page_id
            ).count()
        return 0


class ContentSecurityPolicyMiddleware:
    """Every response carries a strict Content-Security-Policy: nothing loads from another origin.

    Django 5.2 has no CSP of its own (it arrives in 6.0), and the policy is one header, so this
    small middleware sets the one of `core/csp.py`. A response that already chose a stricter
    policy keeps it (files are served with `default-src 'none'`). Scripts and styles are `'self'`
    on every member page; the admin's two narrow exceptions are `csp.admin_policy`'s.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" in response:
            return response
        if request.path.startswith("/admin/"):
            response["Content-Security-Policy"] = csp.admin_policy(response)
        else:
            response["Content-Security-Policy"] = csp.POLICY
        return response


class BearerTokenMiddleware:
    """The same Bearer tokens on the reading URLs that are not Django REST framework views:
    the file views (`/documents/`, `/images/`, the `download_url`s the API hands out), the JSON
    search and the feeds. An app holding a token can then open every URL the API gives it.
    Which paths: those of the views marked `core.routes.api_reading_view`, read from the URL
    configuration (`core.routes.bearer_path_prefixes`).

    With a good token, `request.user` is the token's user for this request (nothing is written to
    the session); with a bad one the answer is 401, as on `/api/v2/`. Only safe methods: these
    views read. Placed right after Django's `AuthenticationMiddleware`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(bearer_path_prefixes()):
            return self.get_response(request)
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header and request.method in ("GET", "HEAD"):
            try:
                request.user, _token = bearer_user(header)
            except BadBearerToken as error:
                response = JsonResponse({"message": str(error)}, status=HTTPStatus.UNAUTHORIZED)
                response["WWW-Authenticate"] = WWW_AUTHENTICATE
                return self._private(response)
        return self._private(self.get_response(request))

    @staticmethod
    def _private(response):
        patch_vary_headers(response, ("Cookie", "Authorization"))
        patch_cache_control(response, private=True)
        return response


class TwoFactorMiddleware:
    """Holds a signed-in person at the second step until they pass it; names the audit actor."""

    @staticmethod
    def _hold(request, step: str):
        target = "account_two_factor_verify" if step == VERIFY else "account_two_factor"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")

    ALLOWED_NAMES = ("account_two_factor", "account_two_factor_verify", "account_logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated:
            return self.get_response(request)
        pending = request.session.get(PENDING_SESSION_KEY)
        if pending:
            allowed = {reverse(name) for name in self.ALLOWED_NAMES}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                return self._hold(request, pending)
        if request.path.startswith("/admin/"):
            # Not only at sign-in: a device confirmed in another session, or the requirement
            # switched on (or an election making someone an editor) while signed in, holds the
            # person at the second step before the admin. Two small queries, admin only.
            if confirmed_device(request.user) is not None:
                if not request.user.is_verified():
                    return self._hold(request, VERIFY)
            elif two_factor_required(request.user):
                return self._hold(request, ENROL)
        # Whoever is signed in is the actor of audit-log entries written during the request, on
        # member-facing pages too (Wagtail sets this only inside its admin views).
        with LogContext(user=request.user):
            return self.get_response(request)
