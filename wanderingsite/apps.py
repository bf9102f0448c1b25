from django.apps import AppConfig


class WanderingSiteConfig(AppConfig):
    name = "wanderingsite"
    verbose_name = "Wandering Earth Archive"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Models are ready only now; the cache's receivers and checks need them.
        from . import checks  # noqa: F401, PLC0415
        from .cache import connect_purges  # noqa: PLC0415
        from .search.lexicon import connect_lexicon  # noqa: PLC0415
        from .services.mentions import connect_mentions  # noqa: PLC0415

        connect_purges()
        connect_lexicon()
        connect_mentions()
