"""Import Keras with TensorFlow's start-up chatter hidden (shown if the import fails)."""

from __future__ import annotations

import os
import sys
import tempfile


def import_keras() -> None:
    """Import Keras (and its backend) with file descriptor 2 captured meanwhile.

    TensorFlow 2.21 prints absl lines and a CUDA probe error before its logging is
    set up, whatever TF_CPP_MIN_LOG_LEVEL says; they are shown only if the import fails.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            import keras  # noqa: F401

            if keras.backend.backend() == "tensorflow":
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
