"""The `rq cron` configuration: ``rq cron tanggap.alerts.schedule --url $REDIS_URL`` (Procfile).

The sweep runs every minute; the outbox re-drive every two, so a message whose hand-over
to Redis failed goes out once Redis is back. Both are idempotent against the database, so
a duplicated tick (RQ promises at-least-once) changes nothing.
"""

from rq import cron

from ..notifications.tasks import redrive
from ..reports.tasks import refresh_job
from .tasks import sweep_job

cron.register(sweep_job, "default", interval=60, job_timeout=300, name="deadline-sweep")
cron.register(redrive, "notifications", interval=120, job_timeout=300, name="outbox-redrive")
cron.register(refresh_job, "reports", interval=300, job_timeout=900, name="report-rollup")
