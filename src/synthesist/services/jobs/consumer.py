"""``python -m synthesist.services.jobs.consumer --queue-url URL --workers N``: the consumer process
that :func:`~synthesist.services.jobs.queue.start_embedded_workers` starts (the command line's
``synthesist worker`` runs the same consumer, after recovering the jobs a stopped server left)."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import threading
import time

from synthesist.services.jobs.queue import run_consumer


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="synthesist-jobs-consumer")
    parser.add_argument("--queue-url", required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--exit-with-parent", action="store_true")
    options = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s jobs %(levelname)s %(message)s")
    if options.exit_with_parent:
        _exit_with(os.getppid())
    run_consumer(options.queue_url, options.workers)


def _exit_with(parent: int) -> None:
    """Stop (as on SIGTERM) when the server that started us is gone, even if it was killed outright
    and could not stop us: an orphaned consumer would hold the queue for a server that no longer is."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


if __name__ == "__main__":
    main()
