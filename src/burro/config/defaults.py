"""The table of every config key burro knows: name, type, default and meaning.

Key names follow Donkey Car's `cfg_complete.py` wherever Donkey has the concept, so a
user's `myconfig.py` keeps working. Later features add their keys to their own section.
Keys that only one model type, augmentation or transformation reads are declared in that
entry's own module (its `keys`) and collected here, at the end of their section, the first
time the table is used. `docs/config-keys.md` is generated from the table
(`burro config keys --markdown`).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from burro.config import types as t


@dataclass(frozen=True)
class Key:
    name: str
    type: t.ValueType
    default: Any
    description: str | Callable[[], str]  # a function for text that lists registered names
    section: str = ""  # entries leave it out; the table sets it when collecting them

    @property
    def meaning(self) -> str:
        return self.description() if callable(self.description) else self.description


def _section(section: str, *rows: tuple) -> list[Key]:
    return [Key(name, vtype, default, meaning, section) for name, vtype, default, meaning in rows]


def _names(registry: str, last: str = "and") -> str:
    """`a, b and c`: the names a registry ("module:NAME") holds, for a key's meaning."""
    names = _registry(registry).names()
    return f"{', '.join(names[:-1])} {last} {names[-1]}" if len(names) > 1 else "".join(names)


def _registry(path: str) -> Any:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


# section -> the registry whose entries declare more keys of that section
DECLARED_BY = {
    "training": "burro.models.base:MODEL_TYPES",
    "augmentations": "burro.training.augmentations:AUGMENTATIONS",
    "transformations": "burro.models.transformations:TRANSFORMATIONS",
    "camera": "burro.parts.cameras:CAMERAS",
    "drivetrain": "burro.parts.drivetrains:DRIVETRAINS",
    "drive": "burro.parts:PARTS",
}

_LISTED: list[Key] = [
    *_section(
        "paths",
        ("CAR_PATH", t.STR, ".", "Car folder (set to the folder of config.py when one is loaded)."),
        ("DATA_PATH", t.STR, "data", "Where the car records tubs, relative to CAR_PATH."),
        ("MODELS_PATH", t.STR, "models", "Where trained pilots and database.json go, relative to CAR_PATH."),
    ),
    *_section(
        "camera",
        ("IMAGE_W", t.POSITIVE_INT, 160, "Camera image width in pixels; the model input width."),
        ("IMAGE_H", t.POSITIVE_INT, 120, "Camera image height in pixels; the model input height."),
        ("IMAGE_DEPTH", t.choice(1, 3), 3, "Colour channels: 3 for RGB, 1 for greyscale."),
        ("CAMERA_TYPE", t.STR, "PICAM", lambda: f"Camera driver: {_names('burro.parts.cameras:CAMERAS', 'or')} (docs/hardware.md)."),
        ("CAMERA_FRAMERATE", t.POSITIVE_INT, 20, "Camera frames per second."),
        ("CAMERA_VFLIP", t.BOOL, False, "Flip the camera image vertically."),
        ("CAMERA_HFLIP", t.BOOL, False, "Flip the camera image horizontally."),
        ("CAMERA_INDEX", t.INT, 0, "Which camera: /dev/video<N> for WEBCAM/CVCAM, the sensor for CSIC and PICAM."),
        ("BGR2RGB", t.BOOL, False, "Swap red and blue in every frame (burro's cameras already deliver RGB: only for a camera whose colours look swapped)."),
    ),
    *_section(
        "vehicle",
        ("DRIVE_LOOP_HZ", t.POSITIVE_INT, 20, "Parts loop frequency in Hz; also the recording rate."),
        ("MAX_LOOPS", t.OPTIONAL_INT, None, "Stop the drive loop after this many loops (None = run until stopped)."),
    ),
    *_section(
        "recording",
        ("AUTO_RECORD_ON_THROTTLE", t.BOOL, True, "In user mode, record exactly while the user throttle is non-zero (a record toggle is ignored)."),
        ("RECORD_DURING_AI", t.BOOL, False, "Also record while the pilot drives (adds pilot/angle, pilot/throttle)."),
        ("AUTO_CREATE_NEW_TUB", t.BOOL, False, "Start a new tub folder data/tub_N_YY-MM-DD for every drive session."),
        ("ERASE_LAST_N_RECORDS", t.NON_NEGATIVE_INT, 100, "Records the 'erase last' button soft-deletes (100 = 5 s at 20 Hz)."),
        ("MAX_CATALOG_LEN", t.POSITIVE_INT, 1000, "Records per catalog file in a tub (Donkey's max_len)."),
        ("JPEG_QUALITY", t.int_between(1, 100), 75, "JPEG quality of recorded frames (Donkey/PIL default 75)."),
        ("METADATA", t.STR_LIST, [], "'key:value' strings written into a new tub's manifest."),
    ),
    *_section(
        "training",
        ("DEFAULT_AI_FRAMEWORK", t.STR, "tensorflow", "Training framework (burro trains with Keras 3 on TensorFlow)."),
        ("DEFAULT_MODEL_TYPE", t.STR, "linear", "Model type used when --type is not given."),
        ("BATCH_SIZE", t.POSITIVE_INT, 32, "Training batch size (Donkey: 128, which leaves linear stuck predicting a constant on small tubs; see docs/training.md)."),
        ("TRAIN_TEST_SPLIT", t.FRACTION, 0.8, "Fraction of the data used for training; the rest validates."),
        ("MAX_EPOCHS", t.POSITIVE_INT, 100, "Upper bound on training epochs."),
        ("SHOW_PLOT", t.BOOL, True, "Write the loss-curve PNG next to the model."),
        ("VERBOSE_TRAIN", t.BOOL, True, "Show a Keras progress bar per epoch."),
        ("USE_EARLY_STOP", t.BOOL, True, "Stop when val_loss stops improving."),
        ("EARLY_STOP_PATIENCE", t.NON_NEGATIVE_INT, 5, "Epochs without improvement before early stopping."),
        ("MIN_DELTA", t.NON_NEGATIVE_FLOAT, 0.0005, "Smallest val_loss improvement that counts."),
        ("PRINT_MODEL_SUMMARY", t.BOOL, True, "Print the Keras model summary before training."),
        ("OPTIMIZER", t.OPTIONAL_STR, None, "Optimizer name (None = adam, rmsprop for rnn)."),
        ("LEARNING_RATE", t.POSITIVE_FLOAT, 0.001, "Optimizer learning rate."),
        ("LEARNING_RATE_DECAY", t.NON_NEGATIVE_FLOAT, 0.0, "Learning-rate decay as in Donkey 5.4: the rate is multiplied by (1 - decay) every training step (0 = none)."),
        ("CACHE_IMAGES", t.BOOL, True, "Cache decoded frames in RAM during training when they fit."),
        ("CACHE_POLICY", t.choice("ARRAY", "BINARY", "NOCACHE"), "ARRAY", "What training keeps in RAM: ARRAY decoded frames, BINARY the image files' bytes, NOCACHE nothing (CACHE_IMAGES False means NOCACHE)."),
        ("CREATE_TF_LITE", t.BOOL, True, "Also export <model>.tflite after training."),
        ("CREATE_ONNX", t.BOOL, True, "Also export <model>.onnx after training."),
        ("CREATE_TENSOR_RT", t.BOOL, False, "Donkey's TensorRT export (not supported by burro; use ONNX with TensorRT)."),
        ("SAVE_MODEL_AS_H5", t.BOOL, False, "Auto-named models use .h5 instead of .keras."),
        ("SEQUENCE_LENGTH", t.POSITIVE_INT, 3, "Frames per sample for rnn/3d, history length for memory."),
        ("MEM_DEPTH", t.NON_NEGATIVE_INT, 0, "Extra dense layers on the memory model's history input."),
        ("FREEZE_LAYERS", t.BOOL, False, "With --transfer: freeze every layer up to `flattened` (the convolutional core), as Donkey 5.4."),
        ("NUM_LAST_LAYERS_TO_TRAIN", t.POSITIVE_INT, 7, "Read by nothing, as in Donkey 5.4; a value other than 7 is refused (FREEZE_LAYERS decides)."),
        ("TRAIN_BEHAVIORS", t.BOOL, False, "Behaviour states: the car adds the Behavior part and records behavior/*; burro train defaults to --type behavior (docs/behaviour.md)."),
        ("BEHAVIOR_LIST", t.STR_LIST, ["Left_Lane", "Right_Lane"], "Behaviour states, in one-hot order."),
        ("BEHAVIOR_LED_COLORS", t.COLOR_LIST, [(0, 10, 0), (10, 0, 0)], "Status LED colour per behaviour state, (r, g, b) in percent of full brightness (Donkey's PWM duty cycle; above 100 is full)."),
        ("TRAIN_LOCALIZER", t.BOOL, False, "Train/drive the localizer model."),
        ("NUM_LOCATIONS", t.POSITIVE_INT, 10, "Location classes for the localizer model."),
    ),
    *_section(
        "augmentations",
        ("AUGMENTATIONS", t.STR_LIST, [], lambda: f"Training-only image augmentations, in order; any of {_names('burro.training.augmentations:AUGMENTATIONS')}."),
        ("AUG_PROBABILITY", t.FRACTION, 0.5, "Chance that each listed augmentation is applied to an image (Donkey: 0.5)."),
    ),
    *_section(
        "training pipeline",
        ("TRAIN_SPLIT", t.choice("session", "random"), "session", "Validation split: whole sessions / time blocks (session) or Donkey's random records (random)."),
        ("TRAIN_FILTER", t.RECORD_FILTER, None, "Records training uses: an expression on record fields, e.g. \"user/throttle > 0.1\" (the Tub Manager's filter), or Donkey's function of a record (rec.underlying[...]); None = all."),
        ("TRAIN_SEED", t.OPTIONAL_INT, None, "Seed of shuffling, augmentation, weights and the random split (None = a new one each run, saved in the model's .json)."),
        ("TRAIN_JIT_COMPILE", t.BOOL, False, "Compile training steps with XLA (slower on CPU, see docs/benchmarks.md)."),
        ("TFLITE_QUANTIZE", t.choice(None, "float16", "int8"), None, "Quantise the .tflite export: None (float32), float16 or int8."),
    ),
    *_section(
        "transformations",
        ("TRANSFORMATIONS", t.STR_LIST, [], lambda: f"Image transformations built into the model; any of {_names('burro.models.transformations:TRANSFORMATIONS')}."),
        ("POST_TRANSFORMATIONS", t.STR_LIST, [], "Transformations applied after the augmentations."),
    ),
    *_section(
        "simulator",
        ("SIM_TRACK", t.STR, "technical", lambda: f"Simulator track: {_names('burro.sim.tracks:TRACKS', 'or')}."),
        ("SIM_SEED", t.INT, 0, "Seed of the simulator's driver noise and look (same seed, same run)."),
        ("SIM_ARTIFICIAL_LATENCY", t.NON_NEGATIVE_FLOAT, 0, "Control latency in ms added by the simulator (Donkey's key)."),
        ("SIM_CAMERA_FOV", t.POSITIVE_FLOAT, 120.0, "Simulated camera: horizontal field of view in degrees (fisheye)."),
        ("SIM_CAMERA_HEIGHT", t.POSITIVE_FLOAT, 0.2, "Simulated camera: height above the floor in m."),
        ("SIM_CAMERA_PITCH", t.FLOAT, 15.0, "Simulated camera: tilt down from horizontal in degrees."),
        ("SIM_DOMAIN_RANDOMISATION", t.BOOL, False, "Randomise floor, line colours, lighting, camera noise and pose jitter."),
        ("SIM_EXPERT_MAX_SPEED", t.POSITIVE_FLOAT, 2.0, "Expert driver's speed on straights in m/s (slower in bends)."),
        ("SIM_EXPERT_STEER_NOISE", t.NON_NEGATIVE_FLOAT, 0.05, "Expert driver's smoothed steering noise (std of the angle)."),
        ("SIM_EXPERT_DRIFT_EVERY", t.POSITIVE_FLOAT, 5.0, "Expert driver drifts off the line and recovers every ~N s."),
        ("DONKEY_GYM", t.BOOL, False, "Drive the built-in simulator: the camera and the drivetrain become SIM (Donkey's key)."),
        ("SIM_REALTIME", t.BOOL, True, "With DONKEY_GYM: run the loop in real time (True) or as fast as the CPU allows on simulated time (False)."),
        ("SIM_RECORD_LOCATION", t.BOOL, False, "With DONKEY_GYM: also output and record pos/pos_x, pos/pos_y, pos/pos_z, pos/speed, pos/cte (Donkey's key)."),
        ("SIM_EXPERT_AS_USER", t.BOOL, False, "With DONKEY_GYM and no --model: the expert driver (SimExpert) is the user, so manage.py drive records like burro sim record."),
        ("SIM_LAPS", t.OPTIONAL_INT, None, "With DONKEY_GYM: stop the drive after this many laps (None = run until stopped or MAX_LOOPS)."),
        ("SIM_REPORT", t.OPTIONAL_STR, None, "With DONKEY_GYM: write the drive report (JSON, as `burro sim drive --report`) here at shutdown, relative to CAR_PATH."),
        ("SIM_PLOT", t.OPTIONAL_STR, None, "With DONKEY_GYM: write the track map with the driven path (as `burro sim drive --plot`) here at shutdown, relative to CAR_PATH."),
        ("SIM_EXPERT_LANE", t.choice("centre", "left", "right", "switch"), "centre", "SimExpert part: the lane it drives (left/right/switch on two_lane only); burro sim record takes --lane."),
        ("SIM_EXPERT_LANE_CHANGE_EVERY", t.POSITIVE_FLOAT, 8.0, "SimExpert part and `burro sim record` with lane switch: mean seconds between the expert's lane changes (1 s + an exponential wait of this mean; ~3 for Donkey's advice: a third of the time changing lanes)."),
        ("SIM_EXPERT_LANE_CHANGE_SPEED", t.POSITIVE_FLOAT, 0.5, "SimExpert part and `burro sim record`: how fast the expert moves sideways when changing lane, in m/s (a behaviour pilot learns the pace: 1.0 makes it change within ~1.5 m at 2 m/s)."),
        ("SIM_EXPERT_START_LANE", t.choice("left", "right"), "left", "SimExpert part and `burro sim record` with lane switch: the lane the expert starts in (record sessions starting in both)."),
        ("SIM_EXPERT_LABELS", t.choice("intended", "executed"), "intended", "SimExpert part: user/angle and user/throttle are what it meant to do (intended) or what it did (executed); burro sim record takes --labels."),
    ),
    *_section(
        "ui: car connector",
        ("PI_USERNAME", t.STR, "pi", "burro ui's Car Connector: the user to log in as on the car (ssh, passwordless; docs/ui-car.md)."),
        ("PI_HOSTNAME", t.STR, "donkeypi.local", "burro ui's Car Connector: the car's host name or IP address."),
        ("PI_CAR_DIR", t.STR, "~/mycar", "burro ui's Car Connector: the car folder on the car (its data/ and models/ are pulled from and pushed to)."),
        ("PI_SSH_PORT", t.int_between(1, 65535), 22, "burro ui's Car Connector: the car's ssh port."),
        ("PI_SSH_IDENTITY", t.OPTIONAL_STR, None, "burro ui's Car Connector: the private key file for the car (ssh -i; None = ssh's own choice, e.g. ~/.ssh/id_ed25519)."),
        ("PI_SSH_CONFIG", t.OPTIONAL_STR, None, "burro ui's Car Connector: an ssh_config file to use instead of ~/.ssh/config (ssh -F)."),
        ("PI_PYTHON", t.STR, "~/env/bin/python", "burro ui's Car Connector: the Python on the car that has burro (runs manage.py drive; docs/car-setup.md's venv)."),
    ),
]



def declared_keys(registry: Any, section: str) -> list[Key]:
    """The keys the entries of `registry` declare, once each, in the order of their names."""
    keys: dict[str, Key] = {}
    for entry in registry.entries().values():
        for key in getattr(entry, "keys", ()):
            key = replace(key, section=section)
            if keys.get(key.name, key) != key:
                raise ValueError(f"config key {key.name} is declared twice, differently")
            keys[key.name] = key
    return list(keys.values())


class _KeyTable(Sequence[Key]):
    """The listed keys, then each section's declared ones; collected when first used, so
    the entry modules (which import this one for `Key`) can load in any order."""

    def __init__(self, listed: list[Key], declared_by: dict[str, str]):
        self._listed = listed
        self._declared_by = declared_by
        self._keys: list[Key] | None = None
        self._building = False
        self._lock = threading.RLock()

    def keys(self) -> list[Key]:
        if self._keys is None:
            with self._lock:
                if self._building:
                    raise RuntimeError("the config key table was used while being collected "
                                       "(an entry module reads config when imported)")
                self._building = True
                try:
                    if self._keys is None:
                        self._keys = _checked(self._collect())
                finally:
                    self._building = False
        return self._keys

    def _collect(self) -> list[Key]:
        keys: list[Key] = []
        sections = list(dict.fromkeys(key.section for key in self._listed))
        sections += [section for section in self._declared_by if section not in sections]
        for section in sections:
            keys += [key for key in self._listed if key.section == section]
            if section in self._declared_by:
                keys += declared_keys(_registry(self._declared_by[section]), section)
        return keys

    def __getitem__(self, index):  # type: ignore[override]
        return self.keys()[index]

    def __len__(self) -> int:
        return len(self.keys())

    def __iter__(self) -> Iterator[Key]:
        return iter(self.keys())


class _KeysByName(Mapping[str, Key]):
    def __init__(self, table: _KeyTable):
        self._table = table
        self._by_name: dict[str, Key] | None = None

    def _keys(self) -> dict[str, Key]:
        if self._by_name is None:
            self._by_name = {key.name: key for key in self._table}
        return self._by_name

    def __getitem__(self, name: str) -> Key:
        return self._keys()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())


def _checked(keys: list[Key]) -> list[Key]:
    seen: set[str] = set()
    for key in keys:
        if key.name in seen:
            raise ValueError(f"config key {key.name} is in the table twice")
        seen.add(key.name)
    return keys


KEYS: Sequence[Key] = _KeyTable(_LISTED, DECLARED_BY)
KEYS_BY_NAME: Mapping[str, Key] = _KeysByName(KEYS)
