"""django-tasks-db's `db_worker`, kept alive through database outages.

The original worker exits on the first OperationalError: a PostgreSQL restart would stop every
e-mail until someone restarts the worker. This one waits for the database (1 s, doubling up to
30 s) and goes on, the way gunicorn's workers reconnect on their next request. Same name, same
options: it shadows the original because hub comes first in INSTALLED_APPS.
"""

import logging
import time

from django.db import InterfaceError, OperationalError, connections

from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("hub.db_worker")

FIRST_WAIT = 1.0
LONGEST_WAIT = 30.0


class Command(db_worker.Command):
    help = db_worker.Command.help

    def handle(self, *args, **options):
        if options.get("batch"):
            # One pass over the tasks due (tests, cron): its caller sees the error.
            return super().handle(*args, **options)
        wait = FIRST_WAIT
        while True:
            started = time.monotonic()
            try:
                return super().handle(*args, **options)
            except (OperationalError, InterfaceError) as error:
                if time.monotonic() - started > LONGEST_WAIT:
                    wait = FIRST_WAIT  # it had recovered: a new outage starts again at 1 s
                # A task being run when the database went away stays claimed: its e-mail, if
                # it went, went once. Ready tasks are picked up again once it is back.
                logger.warning(
                    "The task worker lost the database (%s); trying again in %.0f s.",
                    type(error).__name__,
                    wait,
                )
                connections.close_all()
                time.sleep(wait)  # SIGTERM here still stops the worker (its handler exits)
                wait = min(wait * 2, LONGEST_WAIT)
