"""System checks of a deployment that Django's own do not cover."""

from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

COLLECTSTATIC_HINT = (
    "Run 'manage.py collectstatic --no-input' after every deploy ('make run' does)."
)


def static_manifest_missing() -> bool:
    """True when static files are served from a manifest that was never collected."""
    storage = staticfiles_storage
    return isinstance(storage, ManifestFilesMixin) and not storage.exists(
        storage.manifest_name
    )


@register(deploy=True)
def check_static_collected(app_configs, **kwargs):
    if static_manifest_missing():
        return [
            Error(
                "Static files have not been collected: every page would fail.",
                hint=COLLECTSTATIC_HINT,
                id="wanderingsite.E001",
            )
        ]
    return []


def require_collected_static() -> None:
    """Refuse to start a web server that would answer every page with a 500."""
    if static_manifest_missing():
        raise ImproperlyConfigured(
            f"Static files have not been collected. {COLLECTSTATIC_HINT}"
        )
