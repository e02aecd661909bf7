"""The table of every config key burro knows: name, type, default and meaning.

Key names follow Donkey Car's `cfg_complete.py` wherever Donkey has the concept, so a
user's `myconfig.py` keeps working. Later features add their keys to their own section.
`docs/config-keys.md` is generated from this table (`burro config keys --markdown`).
"""

from dataclasses import dataclass
from typing import Any

from burro.config import types as t


@dataclass(frozen=True)
class Key:
    name: str
    type: t.ValueType
    default: Any
    meaning: str
    section: str


def _section(section: str, *rows: tuple) -> list[Key]:
    return [Key(name, vtype, default, meaning, section) for name, vtype, default, meaning in rows]


KEYS: list[Key] = [
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
        ("CAMERA_TYPE", t.STR, "PICAM", "Camera driver: PICAM, WEBCAM, CVCAM, MOCK, ..."),
        ("CAMERA_FRAMERATE", t.POSITIVE_INT, 20, "Camera frames per second."),
        ("CAMERA_VFLIP", t.BOOL, False, "Flip the camera image vertically."),
        ("CAMERA_HFLIP", t.BOOL, False, "Flip the camera image horizontally."),
        ("CAMERA_INDEX", t.INT, 0, "Index of the webcam device for WEBCAM/CVCAM."),
    ),
    *_section(
        "vehicle",
        ("DRIVE_LOOP_HZ", t.POSITIVE_INT, 20, "Parts loop frequency in Hz; also the recording rate."),
        ("MAX_LOOPS", t.OPTIONAL_INT, None, "Stop the drive loop after this many loops (None = run until stopped)."),
    ),
    *_section(
        "recording",
        ("AUTO_RECORD_ON_THROTTLE", t.BOOL, True, "Record whenever the user throttle is non-zero."),
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
        ("LEARNING_RATE_DECAY", t.NON_NEGATIVE_FLOAT, 0.0, "Learning-rate decay per epoch (0 = none)."),
        ("CACHE_IMAGES", t.BOOL, True, "Cache decoded frames in RAM during training when they fit."),
        ("CACHE_POLICY", t.choice("ARRAY", "BINARY", "NOCACHE"), "ARRAY", "What training keeps in RAM: ARRAY decoded frames, BINARY the image files' bytes, NOCACHE nothing (CACHE_IMAGES False means NOCACHE)."),
        ("CREATE_TF_LITE", t.BOOL, True, "Also export <model>.tflite after training."),
        ("CREATE_ONNX", t.BOOL, True, "Also export <model>.onnx after training."),
        ("CREATE_TENSOR_RT", t.BOOL, False, "Donkey's TensorRT export (not supported by burro; use ONNX with TensorRT)."),
        ("SAVE_MODEL_AS_H5", t.BOOL, False, "Auto-named models use .h5 instead of .keras."),
        ("MODEL_CATEGORICAL_MAX_THROTTLE_RANGE", t.POSITIVE_FLOAT, 0.8, "Top of the categorical throttle bins."),
        ("SEQUENCE_LENGTH", t.POSITIVE_INT, 3, "Frames per sample for rnn/3d, history length for memory."),
        ("MEM_DEPTH", t.NON_NEGATIVE_INT, 0, "Extra dense layers on the memory model's history input."),
        ("FREEZE_LAYERS", t.BOOL, False, "With --transfer: freeze all but the last NUM_LAST_LAYERS_TO_TRAIN layers."),
        ("NUM_LAST_LAYERS_TO_TRAIN", t.POSITIVE_INT, 7, "Layers left trainable when FREEZE_LAYERS is on."),
        ("TRAIN_BEHAVIORS", t.BOOL, False, "Train/drive a behaviour model (behavior/one_hot_state_array input)."),
        ("BEHAVIOR_LIST", t.STR_LIST, ["Left_Lane", "Right_Lane"], "Behaviour states, in one-hot order."),
        ("BEHAVIOR_LED_COLORS", t.COLOR_LIST, [(0, 10, 0), (10, 0, 0)], "LED colour per behaviour state."),
        ("TRAIN_LOCALIZER", t.BOOL, False, "Train/drive the localizer model."),
        ("NUM_LOCATIONS", t.POSITIVE_INT, 10, "Location classes for the localizer model."),
    ),
    *_section(
        "augmentations",
        ("AUGMENTATIONS", t.STR_LIST, [], "Training-only image augmentations, in order (MULTIPLY, BLUR, ...)."),
        ("AUG_MULTIPLY_RANGE", t.RANGE, (0.5, 1.5), "MULTIPLY: brightness factor range."),
        ("AUG_BRIGHTNESS_RANGE", t.FLOAT, 0.2, "BRIGHTNESS: +/- brightness and contrast change."),
        ("AUG_BLUR_RANGE", t.RANGE, (0.0, 3.0), "BLUR: Gaussian sigma range in pixels."),
        ("AUG_PROBABILITY", t.FRACTION, 0.5, "Chance that each listed augmentation is applied to an image (Donkey: 0.5)."),
        ("AUG_CONTRAST_RANGE", t.RANGE, (0.7, 1.3), "CONTRAST: factor on each image's distance from its mean."),
        ("AUG_HUE_RANGE", t.NON_NEGATIVE_FLOAT, 0.05, "HUE_SATURATION: +/- hue shift as a fraction of the colour circle."),
        ("AUG_SATURATION_RANGE", t.RANGE, (0.7, 1.3), "HUE_SATURATION: saturation factor range."),
        ("AUG_NOISE_RANGE", t.RANGE, (2.0, 10.0), "NOISE: range of the noise std, in pixel levels (0..255)."),
        ("AUG_SHADOW_RANGE", t.RANGE, (0.4, 0.8), "SHADOW: brightness factor inside the shadow."),
    ),
    *_section(
        "training pipeline",
        ("TRAIN_SPLIT", t.choice("session", "random"), "session", "Validation split: whole sessions / time blocks (session) or Donkey's random records (random)."),
        ("TRAIN_SEED", t.OPTIONAL_INT, None, "Seed of split, shuffling, augmentation and weights (None = a new one each run, saved in the model's .json)."),
        ("TRAIN_JIT_COMPILE", t.BOOL, False, "Compile training steps with XLA (slower on CPU, see docs/benchmarks.md)."),
        ("TFLITE_QUANTIZE", t.choice(None, "float16", "int8"), None, "Quantise the .tflite export: None (float32), float16 or int8."),
    ),
    *_section(
        "transformations",
        ("TRANSFORMATIONS", t.STR_LIST, [], "Image transformations built into the model (CROP, TRAPEZE, ...)."),
        ("POST_TRANSFORMATIONS", t.STR_LIST, [], "Transformations applied after the augmentations."),
        ("ROI_CROP_TOP", t.NON_NEGATIVE_INT, 45, "CROP: rows zeroed at the top."),
        ("ROI_CROP_BOTTOM", t.NON_NEGATIVE_INT, 0, "CROP: rows zeroed at the bottom."),
        ("ROI_CROP_LEFT", t.NON_NEGATIVE_INT, 0, "CROP: columns zeroed at the left."),
        ("ROI_CROP_RIGHT", t.NON_NEGATIVE_INT, 0, "CROP: columns zeroed at the right."),
        ("ROI_TRAPEZE_LL", t.NON_NEGATIVE_INT, 0, "TRAPEZE: lower-left x of the kept trapezoid."),
        ("ROI_TRAPEZE_LR", t.NON_NEGATIVE_INT, 160, "TRAPEZE: lower-right x."),
        ("ROI_TRAPEZE_UL", t.NON_NEGATIVE_INT, 20, "TRAPEZE: upper-left x."),
        ("ROI_TRAPEZE_UR", t.NON_NEGATIVE_INT, 140, "TRAPEZE: upper-right x."),
        ("ROI_TRAPEZE_MIN_Y", t.NON_NEGATIVE_INT, 60, "TRAPEZE: top row of the trapezoid."),
        ("ROI_TRAPEZE_MAX_Y", t.NON_NEGATIVE_INT, 120, "TRAPEZE: bottom row of the trapezoid."),
        ("RESIZE_WIDTH", t.POSITIVE_INT, 160, "RESIZE: output width."),
        ("RESIZE_HEIGHT", t.POSITIVE_INT, 120, "RESIZE: output height."),
    ),
    *_section(
        "simulator",
        ("SIM_TRACK", t.STR, "technical", "Built-in simulator track: oval, technical, two_lane or random:SEED."),
        ("SIM_SEED", t.INT, 0, "Seed of the simulator's driver noise and look (same seed, same run)."),
        ("SIM_ARTIFICIAL_LATENCY", t.NON_NEGATIVE_FLOAT, 0, "Control latency in ms added by the simulator (Donkey's key)."),
        ("SIM_CAMERA_FOV", t.POSITIVE_FLOAT, 120.0, "Simulated camera: horizontal field of view in degrees (fisheye)."),
        ("SIM_CAMERA_HEIGHT", t.POSITIVE_FLOAT, 0.2, "Simulated camera: height above the floor in m."),
        ("SIM_CAMERA_PITCH", t.FLOAT, 15.0, "Simulated camera: tilt down from horizontal in degrees."),
        ("SIM_DOMAIN_RANDOMISATION", t.BOOL, False, "Randomise floor, line colours, lighting, camera noise and pose jitter."),
        ("SIM_EXPERT_MAX_SPEED", t.POSITIVE_FLOAT, 2.0, "Expert driver's speed on straights in m/s (slower in bends)."),
        ("SIM_EXPERT_STEER_NOISE", t.NON_NEGATIVE_FLOAT, 0.05, "Expert driver's smoothed steering noise (std of the angle)."),
        ("SIM_EXPERT_DRIFT_EVERY", t.POSITIVE_FLOAT, 5.0, "Expert driver drifts off the line and recovers every ~N s."),
    ),
]

KEYS_BY_NAME: dict[str, Key] = {key.name: key for key in KEYS}
