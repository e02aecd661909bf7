"""Training: the tf.data pipeline, augmentations, train/validation split and `train()`.

Importing this package is cheap; TensorFlow loads with the first `train()` (or when
`pipeline`/`augment` are imported). `import burro.training` also asks TensorFlow to use
oneDNN kernels: on this project's AMD CPUs TensorFlow leaves them off, and they cut the
CPU time per training image by about a third (docs/benchmarks.md).
"""

import os
import sys

_TENSORFLOW_DEFAULTS = {
    "TF_ENABLE_ONEDNN_OPTS": "1",
    # Hides most of TensorFlow's C++ INFO/WARNING lines, but not those printed while it loads
    # (oneDNN, absl): burro.quiet silences the file descriptor for those.
    "TF_CPP_MIN_LOG_LEVEL": "2",
}


def setup_tensorflow() -> None:
    """Set burro's TensorFlow defaults unless the user set them (only works before TF loads)."""
    if "tensorflow" in sys.modules:
        return
    for name, value in _TENSORFLOW_DEFAULTS.items():
        os.environ.setdefault(name, value)


setup_tensorflow()


def __getattr__(name: str):
    if name in ("train", "TrainResult"):
        from burro.training import loop

        return getattr(loop, name)
    raise AttributeError(f"module 'burro.training' has no attribute {name!r}")


__all__ = ["TrainResult", "setup_tensorflow", "train"]
