"""Background jobs of the panel: one Huey task per persona call, and a sweeper for stale work."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from verdicts.panel.services import jobs_enqueue, panel_job_execute, panel_jobs_sweep


@db_task()
def panel_job(job_id: int) -> None:
    """One persona call of a run."""
    panel_job_execute(job_id=job_id)


@db_periodic_task(crontab(minute="*"))
def panel_sweep() -> None:
    """Every minute: put work a dead worker left behind back in the queue."""
    jobs_enqueue(panel_jobs_sweep())
