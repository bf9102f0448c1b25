from django.apps import AppConfig


class EssaysConfig(AppConfig):
    name = "essays"
    default_auto_field = "django.db.models.BigAutoField"
