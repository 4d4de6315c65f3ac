"""A page's independent queries at the same time. DuckDB plans and runs a statement without holding the
GIL, so while one query runs a second one plans and runs on the other core: a filtered view's dozen small
queries (mostly planning) take ~0.6 of their one-after-another time on this 2-core machine."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

K = TypeVar("K")
WORKERS = 2  # the cores of the server the targets are set for; more threads only queue on them


def together(*tasks: Callable[[], object], at_once: bool = True) -> list:
    """Each task's result, in order (the first error raised). The tasks run on up to WORKERS threads of
    their own (a nested call makes its own, so it cannot wait on itself), each in a copy of the caller's
    context variables (the rollups' raw-only and building flags) and, in the app, in the script run's
    context (the runner masks by the signed-in role it reads there). Not `at_once`: one after another on
    the calling thread, for answers the refresh kept (rollups.kept_month), which are mostly Python (frames
    made from Arrow): two threads only pass the GIL back and forth (a city's complaint page: 22 ms one
    after another, 30 ms on two threads)."""
    if len(tasks) < 2 or not at_once:
        return [task() for task in tasks]
    enter = _script_run_context()

    def call(task, context: contextvars.Context):
        def entered():
            enter()
            return task()

        return context.run(entered)

    with ThreadPoolExecutor(min(WORKERS, len(tasks)), thread_name_prefix="together") as pool:
        futures = [pool.submit(call, task, contextvars.copy_context()) for task in tasks]
        return [future.result() for future in futures]


def named(tasks: Mapping[K, Callable[[], object]], at_once: bool = True) -> dict[K, object]:
    """`together` for tasks by name: each name's result."""
    return dict(zip(tasks, together(*tasks.values(), at_once=at_once), strict=True))


def _script_run_context() -> Callable[[], None]:
    """What puts a worker thread in the calling Streamlit script run's context (a no-op outside one)."""
    from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return lambda: None
    return lambda: add_script_run_ctx(threading.current_thread(), ctx)
