"""Several things at once, for the PostgreSQL tests of row locks and constraints.

`run_at_once(a, b, ...)` runs each callable in its own thread, hence its own database connection
(closed when it ends), all released together by a barrier, and returns their outcomes in the
order given: what each returned, or the exception it raised when that exception is one of
`catch` (what the test inspects: a refusal, a validation error). Any other exception is raised
again in the test's thread once every thread has finished, so a crash fails the test by name
instead of leaving a None outcome behind.

The threads need committed data to see (a transactional test: `demo_loaded`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def run_at_once(
    *targets: Callable[[], Any], catch: type[BaseException] | tuple[type[BaseException], ...] = ()
) -> list:
    barrier = threading.Barrier(len(targets))
    outcomes: list = [None] * len(targets)
    unexpected: list[BaseException] = []

    def run(index: int, target: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            outcomes[index] = target()
        except catch as error:
            outcomes[index] = error
        except BaseException as error:  # noqa: BLE001 - raised again in the test's thread
            unexpected.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if unexpected:
        raise unexpected[0]
    return outcomes
