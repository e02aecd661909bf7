"""The one registry mechanism: lazy scanning, names, aliases, parameters, one error wording,
and what each of burro's registries may import when its names are listed."""

import subprocess
import sys
import textwrap

import pytest

from burro.config import KEYS_BY_NAME
from burro.config import types as t
from burro.config.defaults import Key, declared_keys
from burro.errors import BurroError
from burro.registry import Registry


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A package `gadgets` on sys.path; `add(name, source)` writes one entry module."""
    root = tmp_path / "gadgets"
    root.mkdir()
    (root / "__init__.py").write_text(
        "from burro.registry import Registry\n"
        "GADGETS = Registry('gadget', 'gadgets', where='GADGET', fold=str.upper)\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    def add(module: str, source: str) -> None:
        (root / f"{module}.py").write_text(textwrap.dedent(source))

    yield add
    for name in [name for name in sys.modules if name == "gadgets" or name.startswith("gadgets.")]:
        del sys.modules[name]


def gadgets() -> Registry:
    import gadgets as module

    return module.GADGETS


def test_entries_are_found_in_their_package_only_when_first_used(package):
    package("spanner", """
        from gadgets import GADGETS

        @GADGETS.register("SPANNER", aliases=("WRENCH",))
        def spanner():
            return "spanner"
    """)
    package("_helpers", "raise AssertionError('modules starting with _ are not entries')\n")
    registry = gadgets()
    assert "gadgets.spanner" not in sys.modules
    assert registry.names() == ["SPANNER"]
    assert "gadgets.spanner" in sys.modules
    assert registry.get("wrench")() == "spanner"  # alias, folded case
    assert registry.canonical("Wrench") == "SPANNER"
    assert "WRENCH" in registry and "HAMMER" not in registry
    assert list(registry) == ["SPANNER"]


def test_unknown_name_is_one_burro_error_naming_the_key_and_the_names(package):
    for name in ("spanner", "hammer", "level"):
        package(name, f"""
            from gadgets import GADGETS
            GADGETS.register("{name.upper()}")(object)
        """)
    with pytest.raises(BurroError) as error:
        gadgets().get("saw")
    assert error.value.where == "GADGET"
    assert error.value.line() == ("unknown gadget 'saw' (GADGET) — "
                                  "use one of: HAMMER, LEVEL, SPANNER")
    with pytest.raises(BurroError, match=r"\(--gadget\)"):
        gadgets().get("saw", where="--gadget")


def test_a_name_registered_twice_is_refused(package):
    package("one", "from gadgets import GADGETS\nGADGETS.register('SAW')(object)\n")
    package("two", "from gadgets import GADGETS\nGADGETS.register('saw')(object)\n")
    with pytest.raises(ValueError, match="registered twice"):
        gadgets().names()


def test_parameterised_names_need_their_parameter():
    registry = Registry("thing", "burro", where="THING")
    registry._scanned = True  # entries registered by hand below, nothing to scan
    registry.register("random:SEED")(lambda seed: seed)
    registry.register("plain")(lambda: "plain")
    assert registry.names() == ["plain", "random:SEED"]
    assert registry.get("random:7")("7") == "7"
    for wrong in ("random", "plain:3", "other:1"):
        with pytest.raises(BurroError, match=f"unknown thing '{wrong}'"):
            registry.get(wrong)


def test_instances_registry_keeps_one_object_per_class():
    registry = Registry("thing", "burro", where="THING", instances=True)
    registry._scanned = True

    @registry.register("a", "b")
    class Thing:
        pass

    assert isinstance(registry.get("a"), Thing) and registry.get("a") is registry.get("b")


def test_declared_keys_are_collected_once_and_conflicts_refused():
    registry = Registry("thing", "burro", where="THING", instances=True)
    registry._scanned = True
    shared = Key("THING_SIZE", t.POSITIVE_INT, 3, "size")

    @registry.register("a")
    class A:
        keys = (shared, Key("THING_A", t.BOOL, False, "a"))

    @registry.register("b")
    class B:
        keys = (shared,)

    keys = declared_keys(registry, "things")
    assert [key.name for key in keys] == ["THING_SIZE", "THING_A"]
    assert {key.section for key in keys} == {"things"}

    @registry.register("c")
    class C:
        keys = (Key("THING_SIZE", t.POSITIVE_INT, 4, "size"),)

    with pytest.raises(ValueError, match="THING_SIZE is declared twice"):
        declared_keys(registry, "things")


def test_keys_declared_next_to_their_entries_are_in_the_central_table():
    from burro.models import MODEL_TYPES
    from burro.models.transformations import TRANSFORMATIONS
    from burro.training.augment import AUGMENTATIONS

    for registry, section in ((MODEL_TYPES, "training"), (AUGMENTATIONS, "augmentations"),
                              (TRANSFORMATIONS, "transformations")):
        for entry in registry.entries().values():
            for key in entry.keys:
                assert KEYS_BY_NAME[key.name].section == section
                assert KEYS_BY_NAME[key.name].default == key.default
    assert KEYS_BY_NAME["ROI_CROP_TOP"].default == 45
    assert KEYS_BY_NAME["AUG_HUE_RANGE"].meaning.startswith("HUE_SATURATION:")
    assert "MODEL_CATEGORICAL_MAX_THROTTLE_RANGE" in KEYS_BY_NAME


def test_meanings_that_list_names_come_from_the_registries():
    from burro.sim.tracks import TRACKS
    from burro.training.augment import AUGMENTATIONS

    assert all(name in KEYS_BY_NAME["SIM_TRACK"].meaning for name in TRACKS.names())
    assert all(name in KEYS_BY_NAME["AUGMENTATIONS"].meaning for name in AUGMENTATIONS.names())


HEAVY = ("tensorflow", "keras", "onnxruntime", "ai_edge_litert", "tf2onnx")


@pytest.mark.parametrize("code", [
    # checking a config's augmentations happens before TensorFlow is imported
    "from burro.config import default_config\n"
    "from burro.training.augment import AUGMENTATIONS, check_augmentations\n"
    "cfg = default_config(); cfg.AUGMENTATIONS = AUGMENTATIONS.names()\n"
    "check_augmentations(cfg); print(AUGMENTATIONS.names())",
    # the car finds its pilot runtimes without Keras or TensorFlow
    "from burro.pilots import PILOT_FORMATS, runtime_names\n"
    "PILOT_FORMATS.get('.tflite'); PILOT_FORMATS.get('.onnx'); print(runtime_names())",
    "from burro.models import model_types\n"
    "from burro.models.transform_spec import transformation_specs\n"
    "from burro.config import default_config\n"
    "cfg = default_config(); cfg.TRANSFORMATIONS = ['CROP', 'RGB2GRAY']\n"
    "print(model_types(), transformation_specs(cfg))",
    "from burro.sim.tracks import TRACKS\nprint(TRACKS.names())",
    "from burro.cli.cmd_config import keys_markdown\nprint(keys_markdown()[:20])",
])
def test_listing_names_imports_no_inference_library(code):
    check = f"\nimport sys\nprint('heavy:', [m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code + check], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip().endswith("heavy: []"), out.stdout


@pytest.mark.parametrize("code", [
    # the --track help text and SIM_TRACK's meaning list tracks without the simulator
    "from burro.sim.tracks import TRACKS\nTRACKS.names()",
    # loading a config collects the keys that entries declare, without their libraries
    "from burro.config import load_config\nload_config()\n"
    "from burro.cli.cmd_config import keys_markdown\nkeys_markdown()",
])
def test_names_and_keys_cost_no_numpy(code):
    check = ("\nimport sys\nprint(sorted(m for m in ('numpy', 'cv2', 'burro.sim.render') "
             "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code + check], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_a_refused_registration_adds_none_of_its_names():
    registry = Registry("thing", "burro", where="THING", fold=str.upper)
    registry._scanned = True
    registry.register("B")(object)
    with pytest.raises(ValueError, match="'B' is registered twice"):
        registry.register("A", aliases=("B",))(object)
    with pytest.raises(ValueError, match="registered twice"):
        registry.register("C", aliases=("c",))(object)
    assert registry.names() == ["B"] and "A" not in registry and "C" not in registry
