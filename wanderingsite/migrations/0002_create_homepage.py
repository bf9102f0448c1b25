from django.db import migrations

HOME_TITLE = "The Wandering Earth Archive"


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("wanderingsite.HomePage")

    if HomePage.objects.exists():
        return
    page_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()
    home_type, __ = ContentType.objects.get_or_create(
        model="homepage", app_label="wanderingsite"
    )
    homepage = HomePage.objects.create(
        title=HOME_TITLE,
        draft_title=HOME_TITLE,
        slug="home",
        content_type=home_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        live=True,
        locale=Locale.objects.order_by("pk").first(),
        summary=(
            "A tagged archive of The Wandering Earth films, the essays written "
            "about them and the Chinese film-policy events around them."
        ),
    )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=homepage,
            is_default_site=True,
            site_name=HOME_TITLE,
        )
    else:
        site.root_page = homepage
        site.site_name = HOME_TITLE
        site.save()


def remove_homepage(apps, schema_editor):
    HomePage = apps.get_model("wanderingsite.HomePage")
    HomePage.objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("wanderingsite", "0001_initial"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
