"""parallel.together: every task's result in order, errors raised, the caller's context variables and
Streamlit script-run context carried into the worker threads, nested calls."""

from __future__ import annotations

import contextvars
import threading
from types import SimpleNamespace

import pytest

from dashboard import parallel, rollups

flag = contextvars.ContextVar("flag", default="unset")


def test_results_come_in_the_order_asked():
    assert parallel.together(*(lambda i=i: i * i for i in range(7))) == [i * i for i in range(7)]
    assert parallel.together() == []
    assert parallel.together(lambda: "one") == ["one"]


def test_the_tasks_run_on_threads_at_once():
    barrier = threading.Barrier(2, timeout=10)  # each task waits for the other: on one thread, a timeout

    def meet() -> str:
        barrier.wait()
        return threading.current_thread().name

    names = parallel.together(meet, meet)
    assert len(set(names)) == 2 and all(name.startswith("together") for name in names)


def test_named_tasks_give_their_results_by_name():
    assert parallel.named({"a": lambda: 1, ("b", 2): lambda: "two"}) == {"a": 1, ("b", 2): "two"}


def test_an_error_reaches_the_caller():
    def broken():
        raise ValueError("no such station")

    with pytest.raises(ValueError, match="no such station"):
        parallel.together(lambda: 1, broken)


def test_the_callers_context_variables_reach_every_task():
    token = flag.set("caller")
    try:
        assert parallel.together(flag.get, flag.get, flag.get) == ["caller"] * 3
    finally:
        flag.reset(token)
    raw = rollups._raw_only.get  # what rollups.ready reads: both-ways tests must not read rollups in a thread
    with rollups.raw_only():
        assert parallel.together(raw, raw) == [True, True]
    assert parallel.together(raw, raw) == [False, False]


def test_a_task_may_ask_for_tasks_of_its_own():
    inner = lambda n: parallel.together(*(lambda k=k: n + k for k in range(3)))  # noqa: E731
    assert parallel.together(*(lambda n=n: inner(10 * n) for n in range(4))) == [
        [10 * n + k for k in range(3)] for n in range(4)
    ]


def test_the_script_run_context_reaches_the_worker_threads():
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    from streamlit.runtime.scriptrunner_utils.script_run_context import SCRIPT_RUN_CONTEXT_ATTR_NAME

    # what Streamlit keeps on the script thread (the page's runner reads the session's role from it)
    ctx = SimpleNamespace(pages_manager=SimpleNamespace(main_script_hash="page"))
    me = threading.current_thread()
    setattr(me, SCRIPT_RUN_CONTEXT_ATTR_NAME, ctx)
    try:
        seen = parallel.together(*(lambda: get_script_run_ctx(suppress_warning=True),) * 3)
    finally:
        delattr(me, SCRIPT_RUN_CONTEXT_ATTR_NAME)
    assert seen == [ctx] * 3
    assert parallel.together(lambda: get_script_run_ctx(suppress_warning=True)) == [None]
