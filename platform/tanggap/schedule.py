"""The `rq cron` configuration: ``rq cron tanggap.schedule --url $REDIS_URL`` (Procfile).

The sweep runs every minute, and so does the notice of new complaints (the bell at once,
the daily e-mail once each office's hour has come); the outbox re-drive every two, so a message whose hand-over
to Redis failed goes out once Redis is back. Both are idempotent against the database, so
a duplicated tick (RQ promises at-least-once) changes nothing. The inspectorate's rollup
is brought up to date every five minutes, and each audit chain's head is signed into its
checkpoint file (outside the database) as often.

It names the jobs of several features, so it sits over them, beside ``cli``.
"""

from rq import cron

from .alerts.tasks import new_complaints_job, sweep_job
from .audit.tasks import checkpoint_job
from .notifications.tasks import redrive
from .reports.tasks import refresh_job

cron.register(sweep_job, "default", interval=60, job_timeout=300, name="deadline-sweep")
cron.register(new_complaints_job, "default", interval=60, job_timeout=300, name="new-complaints")
cron.register(redrive, "notifications", interval=120, job_timeout=300, name="outbox-redrive")
cron.register(refresh_job, "reports", interval=300, job_timeout=900, name="report-rollup")
cron.register(checkpoint_job, "default", interval=300, job_timeout=600, name="audit-checkpoint")
