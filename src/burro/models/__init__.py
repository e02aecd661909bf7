"""Pilot model types (one module each in `burro.models.types`) and their registry.

Importing this package does not import TensorFlow or Keras; building a model does.
"""

from burro.models.base import MODEL_TYPES, ModelType, get_model_type, model_types, register_model

__all__ = ["MODEL_TYPES", "ModelType", "get_model_type", "model_types", "register_model"]
