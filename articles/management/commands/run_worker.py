"""`manage.py run_worker`: django-tasks-db's worker, plus the chores of articles/worker.py.

Runs queued jobs like `db_worker` (same options), and every WORKER_SWEEP_SECONDS writes
its heartbeat, queues again the jobs of dead workers and announces the releases whose
scheduled time has passed. Run one or more per site, on any machines sharing the
database; use this command, not `db_worker`: without heartbeats, another worker would
take this one's running jobs for orphans.
"""

from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from ...worker import Companion


class Command(DBWorkerCommand):
    help = "Run jobs from the database queue, announce releases going live, recover jobs of dead workers."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--sweep-interval", type=float, default=None,
            help="Seconds between two rounds of chores (default: the WORKER_SWEEP_SECONDS setting).",
        )
        # The reloader would run the chores in one process and the jobs in another, under two ids.
        parser.set_defaults(reload=False)

    def handle(self, *args, sweep_interval=None, **options):
        if options.get("reload"):
            self.stderr.write("run_worker does not reload; restart it after changing the code.")
            options["reload"] = False
        companion = Companion(options["worker_id"], interval=sweep_interval)
        companion.start()
        try:
            super().handle(*args, **options)
        finally:
            companion.stopped.set()
