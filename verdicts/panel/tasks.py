"""Background jobs of the panel: one Huey task per persona call, and a sweeper for stale work."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from verdicts.panel.services.runs import jobs_enqueue


@db_task()
def panel_job(job_id: int) -> None:
    """One persona call of a run."""
    # Imported on first use: Huey imports this module when Django starts, and the jobs module
    # brings pydantic-ai's agent (half a second) that only a worker needs.
    from verdicts.panel.services.jobs import panel_job_execute

    panel_job_execute(job_id=job_id)


@db_periodic_task(crontab(minute="*"))
def panel_sweep() -> None:
    """Every minute: put work a dead worker left behind back in the queue, and fail the audits
    a dead process left running."""
    from verdicts.panel.audit.services import panel_audits_sweep
    from verdicts.panel.services.jobs import panel_jobs_sweep

    jobs_enqueue(panel_jobs_sweep())
    panel_audits_sweep()
