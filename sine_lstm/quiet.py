"""Import TensorFlow and Keras with TensorFlow's start-up chatter hidden (shown if it fails)."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
import tempfile


def import_keras(around: contextlib.AbstractContextManager | None = None) -> None:
    """Import Keras (and its backend) with file descriptor 2 captured meanwhile.

    TensorFlow 2.21 prints absl lines and a CUDA probe error before its logging is
    set up, whatever TF_CPP_MIN_LOG_LEVEL says. They are shown only if the import
    fails. `around` is entered around the import (e.g. to keep a module out).
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            with around or contextlib.nullcontext():
                pass

            # On any backend `keras.utils.set_random_seed` imports TensorFlow if it can
            # (to seed it): do it now, while quiet, unless it is kept out (`sys.modules`
            # holds None for it then).
            if (
                importlib.util.find_spec("tensorflow")
                and sys.modules.get("tensorflow", 0) is not None
            ):
                import tensorflow as tf

                tf.config.list_physical_devices()  # probes for a GPU now, while quiet
        except BaseException:
            os.dup2(saved, 2)
            captured.seek(0)
            sys.stderr.write(captured.read().decode(errors="replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)
