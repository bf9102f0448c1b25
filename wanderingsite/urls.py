from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from django.views.static import serve as serve_media
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from wanderingsite import health, image_views, open_data, people, permalinks, views
from wanderingsite.api import api_router
from wanderingsite.feeds import LatestFeed, LatestRssFeed, TagFeed, TagRssFeed

urlpatterns = [
    path("tags/", views.tag_index, name="tag_index"),
    path("tags/<str:slug>/", views.tag_page, name="tag_page"),
    path("tags/<str:slug>/feed/", TagFeed(), name="tag_feed"),
    path("people/", people.people_index_view, name="people_index"),
    path("people/<str:slug>/", people.person_page, name="person_page"),
    path("tags/<str:slug>/feed/rss/", TagRssFeed(), name="tag_rss_feed"),
    path("search/", views.search_view, name="search"),
    path("feeds/latest/", LatestFeed(), name="latest_feed"),
    path("feeds/latest/rss/", LatestRssFeed(), name="latest_rss_feed"),
    path("data/", open_data.data_page, name="open_data"),
    path("data/archive.json", open_data.archive_json, name="open_data_export"),
    path(
        "data/archive.schema.json",
        open_data.archive_schema,
        name="open_data_schema",
    ),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap_section"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots_txt",
    ),
    re_path(r"^p/(?P<page_id>[0-9]{1,12})/$", permalinks.permalink, name="permalink"),
    re_path(
        r"^p/(?P<page_id>[0-9]{1,12})/cite\.(?P<suffix>bib|ris|json)$",
        permalinks.cite_download,
        name="cite_download",
    ),
    path("og/<int:page_id>.png", image_views.page_share_image, name="page_share_image"),
    path("og/tags/<str:slug>.png", image_views.tag_share_image, name="tag_share_image"),
    path("og/site.png", image_views.site_share_image, name="site_share_image"),
    path("favicon.ico", image_views.favicon, name="favicon"),
    path("apple-touch-icon.png", image_views.touch_icon, name="touch_icon"),
    path("api/v2/", api_router.urls),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.SERVE_MEDIA:
    # Images only: documents go through their view, which checks their privacy
    # and serves them as downloads.
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>(?:original_images|images)/.+)$",
            serve_media,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

# Wagtail's own page URLs, its page view routed in fewer queries (routing.py).
*wagtail_utility_urls, _wagtail_serve = wagtail_urls.urlpatterns
urlpatterns += [
    *wagtail_utility_urls,
    re_path(wagtail_urls.serve_pattern, views.serve_page, name="wagtail_serve"),
]
