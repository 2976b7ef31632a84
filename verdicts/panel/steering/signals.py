"""When the flags are refreshed: after a tool is saved (an editor or an import changed its
text) and for every tool a panel run is queued for (its documents may have changed since),
once the write has committed, so a rolled-back change flags nothing."""

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_save

from verdicts.catalog.models import Tool
from verdicts.panel.models import PanelRun


def tools_refresh(tool_ids: list[int]) -> None:
    from verdicts.panel.steering.services import steering_flags_refresh

    for tool in Tool.objects.filter(pk__in=tool_ids).select_related("vendor", "category"):
        steering_flags_refresh(tool=tool)


def tool_saved(sender, instance: Tool, raw: bool = False, **kwargs) -> None:
    if not raw:
        transaction.on_commit(partial(tools_refresh, [instance.pk]))


def run_tools_added(sender, instance, action: str, pk_set, reverse: bool, **kwargs) -> None:
    if action == "post_add" and not reverse and pk_set:
        transaction.on_commit(partial(tools_refresh, sorted(pk_set)))


def steering_signals_connect() -> None:
    post_save.connect(tool_saved, sender=Tool, dispatch_uid="steering:tool")
    m2m_changed.connect(run_tools_added, sender=PanelRun.tools.through, dispatch_uid="steering:run")
