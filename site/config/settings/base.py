"""Settings shared by every environment. Safe by default: DEBUG off, no secret key of its own.

`dev`, `test` and `production` import this module and change what they must.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str
from config.storage import file_storage

CONFIG_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = CONFIG_DIR.parent.parent  # the repository root
VAR_DIR = Path(env_str("NEIGHBORHOOD_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
# Old keys, while a key is rotated: sessions, links and sealed ballots made under them still open
# (docs/deploy.md, "Shared secrets").
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    # Ours (their layers: docs/architecture.md).
    "home",
    "community_pages",
    "resources",
    "workflows",
    "workflows.remembrance",
    "workflows.proposals",
    "workflows.gatherings",
    "workflows.conversations",
    "core",
    "wagtail_localize",
    "wagtail_localize.locales",
    # Background work (docs/deploy.md, "Background tasks"): the database backend's task table.
    "django_tasks",
    "django_tasks_db",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    # Only for the admin's API token screens (Settings → API tokens); v3 URLs are not mounted.
    "wagtail.api.v3",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI assets served by the app itself, no CDN
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Sign-in hardening (docs/data-protection.md): throttling and optional TOTP second step.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A view that meets a database that is down answers a short 503, not a 500 (core/health.py).
    "core.health.DatabaseUnavailableMiddleware",
    # A reading request reads the restriction index once (core/per_request.py).
    "core.per_request.RestrictionsOncePerRequestMiddleware",
    # Near the outside, so every response gets the policy (docs/data-protection.md).
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # `Authorization: Bearer` on the file views, the JSON search and the feeds (docs/api.md).
    "core.middleware.BearerTokenMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.PrivateByDefaultMiddleware",
    "core.middleware.AdminPagePrivacyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # The site of a page request with its root page, in one query (core/site_lookup.py).
    "core.site_lookup.SiteOncePerRequestMiddleware",
    "core.middleware.TwoFactorMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: DATABASE_URL, or an SQLite file under var/ (the embedded default).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time: a write transaction takes the lock when it begins (not half-way, where
    # SQLite cannot wait and fails with "database is locked"), and waits up to 20 s for it. Two
    # members voting or approving at the same moment then queue instead of getting an error.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first: it refuses a sign-in while the account or the address is locked out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed sign-ins are throttled per account and, separately, per address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Keep no log of successful sign-ins (address, browser): only failures, until the cool-off ends.
AXES_DISABLE_ACCESS_LOG = True
# Behind a reverse proxy or load balancer every request comes from its address: say how many
# proxies are in front (TRUSTED_PROXY_COUNT) and the address is read from X-Forwarded-For,
# counted from the right (what the proxies appended), so a client cannot choose it. Without
# proxies (the default) only REMOTE_ADDR is used and X-Forwarded-For is ignored.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "core.security.client_address"
# Staff and editors may add a TOTP second step; this makes it required for them.
NEIGHBORHOOD_REQUIRE_2FA = env_bool("NEIGHBORHOOD_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "The Neighborhood"

# Members sign in on member-facing pages, never on the Wagtail admin's login.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "account"
LOGOUT_REDIRECT_URL = "/"
WAGTAIL_FRONTEND_LOGIN_URL = "/account/login/"

# Languages: English is the source, Spanish and Portuguese the first targets.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("pt", _("Portuguese"))]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
# Uploaded files. Never served by a public URL: documents and images go through views that
# check membership (see core/visibility.py and resources/views.py).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"
# Files: the local disk (the default), or a private S3-compatible bucket when
# AWS_STORAGE_BUCKET_NAME is set (config/storage.py; docs/deploy.md, "Files").
FILE_STORAGE = file_storage()
STORAGES = {
    "default": FILE_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# The in-process cache, or Redis shared by every app server when REDIS_URL is set. The
# restriction index lives here (core/restriction_index.py), so one server's change is seen by all.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env_str("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("REDIS_URL"),
            # Installations sharing one Redis database need different prefixes.
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "nbh"),
        }
    }
# The cache alias that holds the restriction index for every server (None: read it from the
# database on each request, because an in-process cache is not shared between processes).
NEIGHBORHOOD_RESTRICTION_CACHE = "default" if env_str("REDIS_URL") else None
# The cache alias that holds rendered fragments shared by the readers the visibility rule treats
# alike (core/fragment_cache.py): the shared cache only, for the same reason (dev.py: `make run`'s
# one process may use its own).
NEIGHBORHOOD_FRAGMENT_CACHE = "default" if env_str("REDIS_URL") else None
# Sessions stay in the database, the record every server reads; with Redis each is also kept in
# the cache (Django's `cached_db`, written to both), so a signed-in request reads the cache, not
# the session row (docs/deploy.md, "Cache"). Without REDIS_URL: the database only.
if env_str("REDIS_URL"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Background work on Django's Tasks interface (the django-tasks backport): run at once inside
# the request (the default, no extra process), or queued in the database and run by
# `manage.py db_worker` (TASKS_BACKEND=database).
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate")
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be immediate or database, not {TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}

# Every e-mail is handed to a background task (core/mail.py), which sends it with the backend
# EMAIL_BACKEND names (SMTP by default).
EMAIL_DELIVERY_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_BACKEND = "core.mail.QueuedEmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "The Neighborhood <neighborhood@localhost>")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Wagtail
WAGTAIL_SITE_NAME = "The Neighborhood"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Moderation e-mail goes to the community's elected editors (workflows/signal_handlers.py), not
# to every superuser.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
# Approved reviews publish through the workflow; editors have no Publish button (docs/moderation.md)
WAGTAIL_FINISH_WORKFLOW_ACTION = "workflows.publishing.workflow_state_publish"
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILIMAGES_IMAGE_MODEL = "resources.PrivateImage"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Only group restrictions are used: password and "any signed-in person" restrictions would
# bypass membership, and only staff may change privacy at all (docs/privacy.md,
# invariant `only-staff-change-privacy`).
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILEMBEDS_FINDERS: list[dict] = []  # oEmbed would fetch from other origins
WAGTAIL_ALLOW_UNICODE_SLUGS = False

# Demo content may be loaded only where this is true (never in production).
NEIGHBORHOOD_ALLOW_DEMO = False
# Invitations expire after this many days.
NEIGHBORHOOD_INVITATION_DAYS = env_int("INVITATION_DAYS", 14)
# Only staff move a file from one collection to another (that could show it to other people).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "resources.forms.DocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "resources.forms.ImageForm"

# The API (docs/api.md): session or Bearer-token authentication, the OpenAPI schema and docs.
REST_FRAMEWORK = {
    # The API views add Bearer tokens themselves (core/api/authentication.py); no HTTP Basic.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Every error body in the Wagtail v2 shape, {"message": …} (docs/api.md).
    "EXCEPTION_HANDLER": "core.api.views.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "The Neighborhood API",
    "DESCRIPTION": "Pages, files, schedules, feeds and memberships, as each requester may see.",
    "VERSION": "2",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/",
    "PREPROCESSING_HOOKS": ["core.api.schema.only_api_endpoints"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.add_plain_django_endpoints",
        "core.api.schema.complete_error_responses",
    ],
}
WAGTAILAPI_LIMIT_MAX = 100
# A Bearer token older than this is expired (401); 0 means tokens do not expire.
NEIGHBORHOOD_API_TOKEN_MAX_AGE_DAYS = env_int("API_TOKEN_MAX_AGE_DAYS", 365)
