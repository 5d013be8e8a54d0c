"""The callbacks (`callbacks.py`): when a run has diverged, and what a signal does."""

import os
import signal

import numpy as np
import pytest

from sine_lstm.callbacks import Interrupted, StopOnSignal, first_divergence


def test_first_divergence():
    assert first_divergence(np.array([10.0, 5.0, 9000.0])) is None
    assert first_divergence(np.array([10.0, 5.0, 20000.0, 1.0])) == 2
    assert first_divergence(np.array([10.0, np.nan, 1.0])) == 1
    assert first_divergence(np.array([10.0, 1.0, np.inf])) == 2
    assert first_divergence(np.array([])) is None


def test_first_divergence_from_a_step_on_checks_only_the_new_steps_against_the_first():
    costs = np.array([10.0, np.nan, 5.0, 20000.0])
    assert first_divergence(costs, start=2) == 3  # step 1 was checked before
    assert first_divergence(costs[:3], start=2) is None


class Record:
    read = 0  # steps the callbacks have seen


def test_a_signal_before_a_step_was_seen_raises_and_after_one_stops_after_the_call():
    record = Record()
    before = signal.getsignal(signal.SIGINT)
    stopper = StopOnSignal(record)
    try:
        with pytest.raises(Interrupted) as err:
            os.kill(os.getpid(), signal.SIGINT)
        assert (err.value.signum, err.value.again) == (signal.SIGINT, False)
        stopper.signum = None
        record.read = 20  # the first call's steps are printed
        os.kill(os.getpid(), signal.SIGTERM)  # now: it stops after this call
        assert stopper.signum == signal.SIGTERM
        with pytest.raises(Interrupted) as err:  # and a second one leaves
            os.kill(os.getpid(), signal.SIGINT)
        assert err.value.again
    finally:
        stopper.restore()
    assert signal.getsignal(signal.SIGINT) is before
