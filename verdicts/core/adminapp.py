"""Django's admin app, on the site whose login is throttled (INSTALLED_APPS names this)."""

from django.contrib.admin.apps import AdminConfig


class ThrottledAdminConfig(AdminConfig):
    default_site = "verdicts.core.adminsite.ThrottledAdminSite"
