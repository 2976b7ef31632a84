from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_save

# Apps whose rows reader pages show; a save or delete of any of their models stamps the catalog
# so stored pages are re-rendered (votes stamp their own, narrower scopes).
CONTENT_APPS = ("catalog", "panel", "ingest", "similar")
# Rows of those apps that no page shows: bookkeeping written many times a minute.
NOT_CONTENT = {
    ("ingest", "importsource"),
    ("panel", "llmcall"),
    ("panel", "paneljob"),
    ("panel", "spendmonth"),
}


def _catalog_changed(sender, **kwargs) -> None:
    from verdicts.common.content_versions import CATALOG, content_changed

    content_changed(CATALOG)


class CoreConfig(AppConfig):
    name = "verdicts.core"
    verbose_name = "Site"

    def ready(self) -> None:
        for model in apps.get_models():
            meta = model._meta
            if meta.app_label not in CONTENT_APPS or (meta.app_label, meta.model_name) in (
                NOT_CONTENT
            ):
                continue
            for signal in (post_save, post_delete):
                signal.connect(_catalog_changed, sender=model, dispatch_uid=f"content:{meta.label}")
            for field in meta.local_many_to_many:
                m2m_changed.connect(
                    _catalog_changed,
                    sender=field.remote_field.through,
                    dispatch_uid=f"content:{meta.label}:{field.name}",
                )
