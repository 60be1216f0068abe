"""gunicorn's hooks for `aspa serve` (`-c python:aspa.management.gunicorn_config`).

With `--preload` the master imports the application (aspa.wsgi: Django, every app, the URL map,
the translations) before it forks the workers, so the workers start at once, share those pages
with the master and with each other, and no first request pays for an import. Whatever the master
holds when it forks, every worker inherits: it must hold no database connection (two processes
would talk over one socket) and no thread (a fork copies only the thread that forks)."""

import gc
import sys
import threading


def when_ready(server) -> None:
    """In the master, after the preload and before the first fork."""
    if not server.cfg.preload_app:
        return
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()
        close_pool = getattr(connection, "close_pool", None)  # PostgreSQL with ASPA_DB_POOL
        if close_pool is not None:
            close_pool()
    others = [thread.name for thread in threading.enumerate() if thread is not threading.main_thread()]
    if others:
        server.log.warning("Threads in the master before the fork, not inherited by the workers: %s", others)
    server.log.info("The application is loaded in the master (%d modules, the URL map %s); forking the workers.",
                    len(sys.modules), "included" if "aspa.urls" in sys.modules else "NOT included")
    # Objects that exist now live as long as the process. Kept out of the collector's sight, its
    # passes in the workers do not write to their pages, which stay shared with the master.
    gc.collect()
    gc.freeze()
