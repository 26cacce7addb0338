"""Settings for Pressroom, read from the environment with safe local defaults.

Every knob is an environment variable; the README lists them. With DEBUG off
(the default) the site refuses to start without a real SECRET_KEY, so a
production deployment can never run on a development key by accident.
"""

import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY is too weak for production: use 50 or more random characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The public address of the site, used for absolute links in feeds, sitemaps
# and the importer's summary.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "Salle de presse — Région Occitanie")

# The RGAA conformity that the accessibility statement and every page's footer declare. The RGAA
# allows "partiellement" or "totalement conforme" only on the strength of an audit: until one is
# done the site is "non conforme", and claiming more without naming the audit is refused here.
RGAA_STATUS = os.environ.get("RGAA_STATUS", "non")
RGAA_AUDIT = os.environ.get("RGAA_AUDIT", "").strip()  # e.g. "audit du 12 mars 2027 par …, 87 % des critères respectés"
if RGAA_STATUS not in ("non", "partiellement", "totalement"):
    raise ImproperlyConfigured('RGAA_STATUS must be "non", "partiellement" or "totalement".')
if RGAA_STATUS != "non" and not RGAA_AUDIT:
    raise ImproperlyConfigured(
        f'RGAA_STATUS="{RGAA_STATUS}" needs RGAA_AUDIT (who audited, when, the rate): '
        "without an audit the RGAA says the site is \"non conforme\"."
    )

# How many reverse proxies of ours (nginx: 1) stand before Django and append the
# client's address to X-Forwarded-For. Embargo visit logs read the client's address
# from that header only then; 0 (no proxy) keeps REMOTE_ADDR, as a client can write
# the header itself. Too high a count lets a visitor choose the address logged.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

INSTALLED_APPS = [
    # Django's admin, whose default site asks for the second factor (articles/two_factor.py).
    "pressroom.apps.PressroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "django_prose_editor",
    "reversion",  # history of every save of a release, with restore (articles/admin/article.py)
    "django_tasks",  # Django 6.0's django.tasks, backported to 5.2 (background jobs: articles/tasks.py)
    "django_tasks_db",  # the jobs' queue in our own database; its admin lists failed jobs for staff
    "csp",  # Content-Security-Policy with per-request nonces (CONTENT_SECURITY_POLICY below)
    "axes",  # login throttling and lockout (AXES_* below)
    "django_otp",  # two-factor authentication: TOTP apps and single-use recovery codes
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",  # the public API (articles/api/); its Swagger UI files are served from our static files
    "articles",
]

MIDDLEWARE = [
    # Whole public pages for anonymous visitors, first (issue #17): a hit runs no other middleware
    # and no query; a page is stored with the headers the others added (its security headers, a
    # Content-Security-Policy without nonce) and replayed as it was (articles/caching/page_cache.py).
    "articles.caching.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body (CSRF reads POST): a 2 GB upload is refused unread.
    "pressroom.request_size.RequestSizeLimitMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A page with a nonce in its policy (the admin's inline import map) is never stored by the page cache.
    "csp.middleware.CSPMiddleware",
    # A database that cannot be reached: a French 503 with Retry-After, never a 500 (pressroom/failures.py).
    "pressroom.failures.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pressroom.locale.SiteLocaleMiddleware",  # LocaleMiddleware, the admin following the browser
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): did this session pass the second factor?
    "django_otp.middleware.OTPMiddleware",
    # A publisher's or superuser's session without the second factor is no session at all.
    "articles.two_factor.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The rich-text editor's inline import map gets the request's CSP nonce (pressroom/csp.py).
    "pressroom.csp.FormMediaNonceMiddleware",
    # Public responses: Cache-Control max-age never beyond the next scheduled publication.
    "articles.caching.policy.PublicCacheControlMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the French lockout page (429).
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out client before any password is checked.
# It needs the request to know the client, which every login view passes; the test
# client's login() does not, so tests/conftest.py gives it one.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Longest time a browser or proxy may keep a public page, list or feed (seconds); always
# shortened so that it ends by the next scheduled publication (articles/cache_policy.py).
PUBLIC_CACHE_MAX_AGE = int(os.environ.get("PUBLIC_CACHE_MAX_AGE", 300))
# Longest time a whole public page is kept in the cache for anonymous visitors (seconds; 0 turns
# the page cache off). Any change of content retires it at once (articles/page_cache.py).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 600))
# Longest time a shared cache (the nginx front cache, a CDN) keeps a public page before asking
# again (s-maxage); they cannot be told about edits, so keep it short (deploy/nginx.conf).
SHARED_CACHE_MAX_AGE = int(os.environ.get("SHARED_CACHE_MAX_AGE", 10))

ROOT_URLCONF = "pressroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pressroom" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pressroom.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "pressroom.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A server that does not answer (rather than refusing) would hold each request forever
    # (libpq waits without limit); after DB_CONNECT_TIMEOUT seconds the visitor gets the 503 page.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
    )
    # No JIT compilation: it pays off for analytical queries of seconds, not for a web page's of
    # milliseconds. At 100,000 releases a search's plan crossed jit_above_cost and PostgreSQL spent
    # 77 ms compiling it for 100 ms of work (EXPLAIN ANALYZE, issue #17). Sent at connection.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite ignores select_for_update: a deferred transaction that reads then writes can
    # fail with "database is locked" when another save got there first. IMMEDIATE takes
    # the write lock at BEGIN, so two concurrent saves queue instead (Django 5.1+).
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"

# The cache must be shared by every process of an installation (web workers, `manage.py
# import_release`, the shell): a page cached by one worker is retired by a save made in
# another. Redis in production; by default a folder of files on this machine, which every
# local process sees. Both fail soft (pressroom/cache.py): a cache that is down is logged
# and skipped, and the site serves from the database.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_DIR = Path(os.environ.get("CACHE_DIR", BASE_DIR / "var" / "cache"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "pressroom.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "pressroom"),
            "OPTIONS": {
                # A Redis that stops answering (rather than refusing) costs at most one second,
                # then is left alone for PAUSE_AFTER_ERROR seconds (redis-py waits 5 s by default).
                "socket_connect_timeout": 1,
                "socket_timeout": 1,
                "PAUSE_AFTER_ERROR": 5,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "pressroom.cache.ResilientFileBasedCache",
            "LOCATION": CACHE_DIR,
            # Django's default of 300 entries would cull the pages of a small site every few minutes.
            "OPTIONS": {"MAX_ENTRIES": 3000, "PAUSE_AFTER_ERROR": 5},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs (articles/tasks.py), queued in the database itself: a job enqueued inside a
# transaction exists only if that transaction commits, and any number of `manage.py run_worker`
# processes, on any machines, share the queue (SKIP LOCKED on PostgreSQL).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# How often each worker looks for releases whose scheduled time has passed ("went live" events,
# articles/events.py), writes its heartbeat, and re-queues jobs of workers that died (seconds).
WORKER_SWEEP_SECONDS = float(os.environ.get("WORKER_SWEEP_SECONDS", 10))
# A worker silent for this long is dead: the jobs it was running are queued again (seconds).
WORKER_STALE_SECONDS = float(os.environ.get("WORKER_STALE_SECONDS", 60))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
# The public site's languages (issue #14): French at today's addresses, the others under /en/, /ja/
# (pressroom/urls.py, i18n_patterns). A release's translations are written in these; more by setting.
LANGUAGES = [("fr", _("Français")), ("en", _("Anglais")), ("ja", _("Japonais"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True  # stored in UTC, shown in Europe/Paris

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "pressroom" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Media on an S3-compatible bucket (django-storages) when MEDIA_S3_BUCKET is set; the local
# disk (MEDIA_ROOT) otherwise. Objects are private: their URLs are signed for
# MEDIA_S3_SIGNED_SECONDS, except the renditions of public photos, copied under `public/`
# with plain URLs a CDN can cache (articles/storage/). `manage.py setup_media_bucket`
# creates the bucket and its policy.
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "")
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "articles.storage.backends.MediaStorage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("MEDIA_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("MEDIA_S3_SECRET_ACCESS_KEY") or None,
            "region_name": os.environ.get("MEDIA_S3_REGION", "us-east-1"),
            "addressing_style": os.environ.get("MEDIA_S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
            "default_acl": None,  # the bucket's default: private
            "querystring_auth": True,
            # Long enough for a page kept by the page cache (PAGE_CACHE_SECONDS) to show its photos.
            "querystring_expire": int(os.environ.get("MEDIA_S3_SIGNED_SECONDS", 600)),
            "public_base_url": os.environ.get("MEDIA_S3_PUBLIC_URL", ""),
        },
    }

# Where `manage.py backup` (make backup) writes its folders; git-ignored inside the project.
BACKUP_ROOT = Path(os.environ.get("BACKUP_ROOT", BASE_DIR / "backups"))

# Uploads: limits are settings so that a press office can raise them.
PHOTO_MAX_BYTES = int(os.environ.get("PHOTO_MAX_BYTES", 25 * 1024 * 1024))
PHOTO_MAX_PIXELS = int(os.environ.get("PHOTO_MAX_PIXELS", 40_000_000))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest request body the application reads at all (pressroom/request_size.py): one photo
# and the rest of a form. deploy/nginx.conf's client_max_body_size (30m) says the same.
REQUEST_MAX_BYTES = int(os.environ.get("REQUEST_MAX_BYTES", PHOTO_MAX_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE))

# Tags: "Kyoto" and "kyoto" are one tag, and "Économie" gets the slug "economie".
TAGGIT_CASE_INSENSITIVE = True
TAGGIT_STRIP_UNICODE_WHEN_SLUGIFYING = True

ARTICLES_PER_PAGE = 10

# The public API (articles/api/): requests per address for anonymous clients, per token for partners.
API_ANONYMOUS_RATE = os.environ.get("API_ANONYMOUS_RATE", "60/m")
API_TOKEN_RATE = os.environ.get("API_TOKEN_RATE", "1200/m")
# Webhooks (articles/webhooks/): retries with exponential backoff (WEBHOOK_RETRY_SECONDS × 2^n),
# an endpoint disabled after WEBHOOK_DISABLE_AFTER failed attempts in a row, and no delivery to
# loopback, private or link-local addresses unless WEBHOOK_ALLOW_PRIVATE_ADDRESSES (tests, intranets).
WEBHOOK_ATTEMPTS = int(os.environ.get("WEBHOOK_ATTEMPTS", 8))
WEBHOOK_RETRY_SECONDS = float(os.environ.get("WEBHOOK_RETRY_SECONDS", 30))
WEBHOOK_DISABLE_AFTER = int(os.environ.get("WEBHOOK_DISABLE_AFTER", 20))
WEBHOOK_TIMEOUT = float(os.environ.get("WEBHOOK_TIMEOUT", 10))
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)

# Production hardening: on unless DEBUG, each switchable for a TLS-terminating proxy.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Who is told when the site fails: ADMINS="Équipe technique <tech@example.org>, ops@example.org".
# Every error logged (a 500, a database that cannot be reached, a cache that went down) is
# written to stderr and, with DEBUG off and ADMINS set, mailed to them.
ADMINS = [(name, address) for name, address in getaddresses([os.environ.get("ADMINS", "")]) if address]
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", "pressroom@localhost")  # the sender of those mails
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", SERVER_EMAIL)
# With EMAIL_HOST set, mail goes to that SMTP server; without it (`make run`), every message is
# written as a file in MAIL_DIR (var/mail/ by default), where the README says to read it.
# EMAIL_BACKEND overrides both (e.g. django.core.mail.backends.console.EmailBackend).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = Path(os.environ.get("MAIL_DIR", BASE_DIR / "var" / "mail"))
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# A mail server that does not answer must not hold the failing request (Django's default: forever).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
EMAIL_SUBJECT_PREFIX = os.environ.get("EMAIL_SUBJECT_PREFIX", "[Pressroom] ")

# E-mail for journalists (articles/alerts/). A confirmation link is valid this many hours; one
# address gets at most one confirmation per SUBSCRIPTION_CONFIRM_INTERVAL seconds; one network
# address may post the form SUBSCRIPTION_ORIGIN_LIMIT times an hour.
SUBSCRIPTION_CONFIRM_HOURS = int(os.environ.get("SUBSCRIPTION_CONFIRM_HOURS", 48))
SUBSCRIPTION_CONFIRM_INTERVAL = int(os.environ.get("SUBSCRIPTION_CONFIRM_INTERVAL", 3600))
SUBSCRIPTION_ORIGIN_LIMIT = int(os.environ.get("SUBSCRIPTION_ORIGIN_LIMIT", 20))
# Sending: messages per job (one SMTP connection each), seconds between two messages of one
# worker (a mail provider's rate limit), the hour (Paris) after which yesterday's digests go.
ALERT_BATCH_SIZE = int(os.environ.get("ALERT_BATCH_SIZE", 200))
ALERT_SEND_INTERVAL = float(os.environ.get("ALERT_SEND_INTERVAL", 0))
DIGEST_HOUR = int(os.environ.get("DIGEST_HOUR", 7))

LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")

# Content-Security-Policy (django-csp 4): only our own files. No 'unsafe-inline' for scripts:
# an injected <script> or onclick= does not run. An inline script needs the request's nonce
# ({{ request.csp_nonce }}; the rich-text editor's import map gets it from pressroom/csp.py),
# and only outside the page cache (admin, previews): a cached public page would carry an old
# nonce, so public templates have no inline script at all (their JSON-LD is data, not script).
# style-src has no 'unsafe-inline' either: our templates set no style= attribute (positions are
# set by our scripts through element.style, which CSP allows), Django's admin ships its CSS as
# files, and its only inline <style> (a change list without actions) does not occur here.
# One inline stylesheet is allowed by its hash: Tiptap, inside django-prose-editor 0.28, adds
# its base CSS as a <style> element and django-prose-editor gives it no nonce. The hash allows
# that exact text and nothing else; if an upgrade changes it, tests/browser/test_csp.py fails
# and Chromium's report in its message names the new hash.
TIPTAP_BASE_CSS_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"
# tests/browser/test_csp.py opens the admin and the public pages and finds no violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, TIPTAP_BASE_CSS_HASH],
        "img-src": [SELF, "data:"],  # data: for the SVG icons Django's admin CSS inlines
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
if MEDIA_S3_BUCKET:
    # Photos come from the bucket (signed URLs at its endpoint) or the CDN in front of it.
    from urllib.parse import urlsplit

    _media_urls = [os.environ.get("MEDIA_S3_ENDPOINT_URL", ""), os.environ.get("MEDIA_S3_PUBLIC_URL", "")]
    _media_origins = [f"{u.scheme}://{u.netloc}" for u in map(urlsplit, _media_urls) if u.scheme and u.netloc]
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += _media_origins or ["https://*.amazonaws.com"]

# Permissions-Policy: the site needs no camera, microphone, location or payment; a script that
# got in anyway cannot ask for them, nor can a page that frames us.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture", "geolocation",
        "gyroscope", "hid", "magnetometer", "microphone", "midi", "payment", "serial", "usb",
    )
}

# Login throttling (django-axes): LOGIN_FAILURE_LIMIT wrong passwords for one account from one
# address lock that pair out for LOGIN_LOCKOUT_MINUTES, with a French page (429). The pair,
# not the address alone: a press office behind one NAT address is not locked out by one
# person's typos, and a stranger cannot lock an editor out from elsewhere. The address is the
# one our proxies vouch for (TRUSTED_PROXY_COUNT), as for the embargo visit log.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "articles.publishing.embargo.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False

# Two-factor authentication (django-otp): required for Publication and superusers
# (articles/two_factor.py); `make admin` sets up the first superuser's.
OTP_TOTP_ISSUER = SITE_NAME

# Idle expiry: a session lasts ADMIN_IDLE_TIMEOUT seconds (30 minutes) after its last request.
# SESSION_COOKIE_AGE alone would count from the login; saving on every request slides it.
# Only editors have a session: public visitors get none, so this writes nothing for them.
SESSION_COOKIE_AGE = int(os.environ.get("ADMIN_IDLE_TIMEOUT", 30 * 60))
SESSION_SAVE_EVERY_REQUEST = True

# /.well-known/security.txt (RFC 9116): where to report a vulnerability. Without a contact
# the file is not served, and `manage.py check --deploy` says so.
SECURITY_CONTACT = env_list("SECURITY_CONTACT")  # e.g. mailto:securite@example.org,https://…
SECURITY_POLICY_URL = os.environ.get("SECURITY_POLICY_URL", "")
# The file's Expires: this many days from each request (RFC 9116: less than a year ahead).
SECURITY_TXT_EXPIRES_DAYS = int(os.environ.get("SECURITY_TXT_EXPIRES_DAYS", 180))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},  # stderr
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    # Django's own `django` logger is left as Django configures it: its errors (a 500 on
    # django.request) are mailed to ADMINS by Django's mail handler, and reach stderr here.
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Ours: a cache that went down (pressroom.cache), a database that cannot be reached
        # (pressroom.database), the domain's own errors.
        "pressroom": {"handlers": ["mail_admins"], "level": LOG_LEVEL},
        "articles": {"handlers": ["mail_admins"], "level": LOG_LEVEL},
        # Who created or revoked which embargo link: an audit trail, kept at any LOG_LEVEL.
        "articles.publishing.embargo": {"level": "INFO"},
    },
}
