from django.apps import AppConfig


class WanderingSiteConfig(AppConfig):
    name = "wanderingsite"
    verbose_name = "Wandering Earth Archive"
    default_auto_field = "django.db.models.BigAutoField"
