"""The model types, one module each; `burro.models.base.MODEL_TYPES` finds them here.

A new type is one new module with a `@register_model("name")` ModelType subclass that
imports Keras only inside `build`.
"""
