"""The fill pool: a job whose client has hung up does not start, or stops where it checks."""

from __future__ import annotations

import threading

import pytest

from amethyst.server.fill_pool import ClientGone, FillPool, raise_if_cancelled


def test_a_job_taken_off_the_queue_after_its_client_left_does_not_run() -> None:
    pool = FillPool(threads=1, queue=1)
    release, ran = threading.Event(), []
    blocker = pool.submit(release.wait)
    cancelled = threading.Event()
    queued = pool.submit(ran.append, "ran", cancelled=cancelled)
    cancelled.set()  # the client leaves while the job waits; the future is not cancelled
    release.set()
    blocker.result(timeout=5)
    with pytest.raises(ClientGone):
        queued.result(timeout=5)
    assert ran == []
    pool.shutdown()


def test_a_running_job_stops_at_its_check_once_its_client_left() -> None:
    pool = FillPool(threads=1, queue=1)
    cancelled, filled, steps = threading.Event(), threading.Event(), []

    def job() -> None:
        steps.append("fill")
        filled.set()
        cancelled.wait(5)
        raise_if_cancelled("its result was not encoded")
        steps.append("encode")

    future = pool.submit(job, cancelled=cancelled)
    filled.wait(5)
    cancelled.set()
    with pytest.raises(ClientGone):
        future.result(timeout=5)
    assert steps == ["fill"]
    pool.shutdown()


def test_jobs_without_a_client_to_lose_run_to_the_end() -> None:
    pool = FillPool(threads=1, queue=0)
    assert pool.submit(lambda: (raise_if_cancelled("nothing"), "done")[1]).result(5) == "done"
    pool.shutdown()
