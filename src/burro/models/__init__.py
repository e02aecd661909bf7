"""Pilot model types (one module per family, registered by decorator) and their registry.

Importing this package does not import TensorFlow or Keras; building a model does.
"""

from burro.models import categorical, inferred, linear  # noqa: F401  (registers the types)
from burro.models.base import ModelType, get_model_type, model_types, register_model

__all__ = ["ModelType", "get_model_type", "model_types", "register_model"]
