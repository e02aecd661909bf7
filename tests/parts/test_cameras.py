"""Cameras: shaped frames, cam/frame_time from loop/time, OpenCV capture from a real MJPG
video file, IMAGE_LIST over real images and a real tub, and one-line errors."""

import sys
import threading
import time
import types

import numpy as np
import pytest
from PIL import Image

from burro.config import default_config
from burro.errors import BurroError
from burro.parts.cameras import CAMERAS
from burro.parts.cameras._frames import FrameShape
from burro.parts.cameras.csic import has_gstreamer, pipeline
from burro.parts.cameras.mock import STEP_PX

RED, GREEN = (200, 0, 0), (0, 200, 0)


def config(**values):
    cfg = default_config()
    for name, value in values.items():
        cfg.set(name, value, "myconfig.py")
    return cfg


# ----- frame shaping -------------------------------------------------------------------------

def halves(height, width, left=RED, right=GREEN):
    frame = np.zeros((height, width, 3), np.uint8)
    frame[:, : width // 2] = left
    frame[:, width // 2:] = right
    return frame


def test_frames_are_resized_flipped_and_made_grey_or_rgb():
    frame = halves(48, 64)
    frame[:24, :, 2] = 90  # top half has some blue
    out = FrameShape(32, 24).apply(frame)
    assert out.shape == (24, 32, 3) and out.dtype == np.uint8
    assert tuple(out[20, 2]) == RED and tuple(out[20, 30]) == GREEN
    flipped = FrameShape(64, 48, vflip=True, hflip=True).apply(frame)
    assert tuple(flipped[40, 2]) == (0, 200, 90) and tuple(flipped[2, 60]) == RED
    grey = FrameShape(64, 48, depth=1).apply(frame)
    assert grey.shape == (48, 64) and grey[40, 2] == round(0.299 * 200) and grey[40, 60] == round(0.587 * 200)
    swapped = FrameShape(64, 48, swap_red_blue=True).apply(frame)
    assert tuple(swapped[40, 2]) == (0, 0, 200)
    rgba = np.dstack([frame, np.full((48, 64), 255, np.uint8)])
    assert FrameShape(64, 48).apply(rgba).shape == (48, 64, 3)
    assert FrameShape(64, 48).apply(np.full((48, 64), 7, np.uint8)).shape == (48, 64, 3)


# ----- MOCK ----------------------------------------------------------------------------------

def test_mock_gives_the_configured_size_and_a_new_frame_every_tick():
    camera = CAMERAS.get("mock")(config())
    assert not camera.threaded
    first, first_time = camera.run(10.0)
    second, second_time = camera.run(10.05)
    assert first.shape == (120, 160, 3) and (first_time, second_time) == (10.0, 10.05)
    assert tuple(first[0, 0]) == (255, 255, 255) and tuple(first[0, -1]) == (0, 0, 0)
    assert np.array_equal(second, np.roll(first, -STEP_PX, axis=1))


def test_mock_fixed_grey_and_flipped():
    camera = CAMERAS.get("MOCK")(config(MOCK_CAMERA_MOVING=False, IMAGE_DEPTH=1, IMAGE_W=40,
                                        IMAGE_H=30, CAMERA_HFLIP=True))
    first, _ = camera.run(0.0)
    second, _ = camera.run(0.05)
    assert first.shape == (30, 40) and np.array_equal(first, second)
    assert first[0, 0] == 0 and first[0, -1] == 255  # the black bar is now on the left


# ----- IMAGE_LIST ----------------------------------------------------------------------------

def write_images(folder, count, size=(64, 48)):
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        Image.new("RGB", size, (10 * index, 0, 0)).save(folder / f"{index}_cam_image_array_.png")


def test_image_list_replays_in_record_order_and_loops(tmp_path):
    write_images(tmp_path / "shots", 12)
    (tmp_path / "shots" / "notes.txt").write_text("not an image")
    camera = CAMERAS.get("IMAGE_LIST")(config(PATH_MASK=str(tmp_path / "shots"), IMAGE_W=32,
                                              IMAGE_H=24))
    reds = []
    for tick in range(14):
        frame, frame_time = camera.run(tick * 0.05)
        assert frame.shape == (24, 32, 3) and frame_time == tick * 0.05
        reds.append(int(frame[0, 0, 0]))
    assert reds == [10 * i for i in range(12)] + [0, 10]  # 2 before 10, then again from 0


def test_image_list_globs_relative_to_the_car_and_skips_broken_files(tmp_path, caplog):
    write_images(tmp_path / "data" / "tub_1" / "images", 3)
    (tmp_path / "data" / "tub_1" / "images" / "1_cam_image_array_.png").write_bytes(b"broken")
    cfg = config(PATH_MASK="data/**/images/*.png", IMAGE_DEPTH=1, IMAGE_W=64, IMAGE_H=48)
    cfg.set("CAR_PATH", str(tmp_path), "default")
    camera = CAMERAS.get("IMAGE_LIST")(cfg)
    values = [int(camera.run(t)[0][0, 0]) for t in range(4)]
    assert values == [0, round(0.299 * 20), 0, round(0.299 * 20)]
    assert sum("skips" in r.message for r in caplog.records) == 1


def test_image_list_replays_a_real_donkey_tub(shared_tub_path):
    camera = CAMERAS.get("IMAGE_LIST")(config(PATH_MASK=str(shared_tub_path)))
    assert len(camera.files) == 1000
    assert [path.name for path in camera.files[:3]] == [f"{i}_cam_image_array_.jpg" for i in range(3)]
    frame, frame_time = camera.run(3.5)
    expected = np.asarray(Image.open(shared_tub_path / "images" / "0_cam_image_array_.jpg"))
    assert frame_time == 3.5 and np.array_equal(frame, expected)


def test_image_list_without_images_is_one_line(tmp_path):
    with pytest.raises(BurroError) as caught:
        CAMERAS.get("IMAGE_LIST")(config(PATH_MASK=str(tmp_path / "*.jpg")))
    assert str(caught.value).startswith("no images to replay (CAMERA_TYPE=IMAGE_LIST, PATH_MASK=")


# ----- CVCAM / WEBCAM on a real video file ---------------------------------------------------

FRAMES = 6


def brightness(index):
    return 40 + 30 * index


@pytest.fixture
def video(tmp_path):
    """An MJPG AVI, 64x48: frame i is red left / green right at brightness(i), in BGR."""
    import cv2

    path = tmp_path / "drive.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 20, (64, 48))
    for index in range(FRAMES):
        level = brightness(index)
        writer.write(halves(48, 64, left=(0, 0, level), right=(0, level, 0)))  # BGR
    writer.release()
    return path


def frame_index(frame):
    return int(np.argmin([abs(int(frame[..., 0].max()) - brightness(i)) for i in range(FRAMES)]))


def test_cvcam_reads_a_video_file_as_rgb_at_the_configured_size(video):
    camera = CAMERAS.get("CVCAM")(config(CAMERA_TYPE="CVCAM", CAMERA_SOURCE=str(video),
                                         IMAGE_W=32, IMAGE_H=24))
    try:
        frame, frame_time = camera.run_threaded(1.0)
        assert camera.threaded and frame.shape == (24, 32, 3) and frame_time == 1.0
        red, green = frame[12, 3].astype(int), frame[12, 28].astype(int)
        assert abs(red[0] - brightness(0)) < 12 and red[1] < 12 and red[2] < 12
        assert abs(green[1] - brightness(0)) < 12 and green[0] < 12
        same, same_time = camera.run_threaded(1.05)  # no new frame captured: the old time
        assert same is frame and same_time == 1.0
        order = [frame_index(camera.run(1.1 + 0.05 * tick)[0]) for tick in range(FRAMES + 1)]
        assert order == [1, 2, 3, 4, 5, 0, 1]  # the file plays in a loop
        assert camera.run(2.0)[1] == 2.0
    finally:
        camera.shutdown()


def test_webcam_flips_and_grey(video):
    camera = CAMERAS.get("WEBCAM")(config(CAMERA_TYPE="WEBCAM", CAMERA_SOURCE=str(video),
                                          CAMERA_HFLIP=True, IMAGE_DEPTH=1))
    try:
        frame, _ = camera.run_threaded(0.0)
        assert frame.shape == (120, 160)
        assert frame[60, 5] > frame[60, 150] > 0  # green (brighter in grey) now on the left
    finally:
        camera.shutdown()


def test_threaded_capture_paces_the_file_and_stops_at_shutdown(video):
    camera = CAMERAS.get("CVCAM")(config(CAMERA_SOURCE=str(video), CAMERA_FRAMERATE=50))
    thread = threading.Thread(target=camera.update, daemon=True)
    thread.start()
    seen, times = set(), set()
    started = time.monotonic()
    while (len(seen) < FRAMES or len(times) < 8) and time.monotonic() - started < 3:
        frame, frame_time = camera.run_threaded(time.monotonic() - started)
        seen.add(frame_index(frame))
        times.add(frame_time)
        time.sleep(0.005)
    elapsed = time.monotonic() - started
    camera.shutdown()
    thread.join(2)
    assert not thread.is_alive()
    assert seen == set(range(FRAMES)) and len(times) >= 8  # past the end of the 6-frame file
    assert camera._count <= 50 * elapsed + 3  # paced at CAMERA_FRAMERATE, not as fast as it reads
    assert not camera._cap.isOpened()


def test_a_missing_webcam_is_one_line_naming_camera_type():
    with pytest.raises(BurroError) as caught:
        CAMERAS.get("WEBCAM")(config(CAMERA_TYPE="WEBCAM", CAMERA_INDEX=7))
    assert str(caught.value) == (
        "camera cannot be opened (CAMERA_TYPE=WEBCAM, CAMERA_INDEX=7) — /dev/video7 does not "
        "exist: plug the camera in, check `ls /dev/video*` and set CAMERA_INDEX")


def test_a_bad_camera_source_is_one_line(tmp_path):
    with pytest.raises(BurroError, match=r"^camera source .*nothing.avi does not exist "
                                         r"\(CAMERA_TYPE=CVCAM, CAMERA_SOURCE="):
        CAMERAS.get("CVCAM")(config(CAMERA_TYPE="CVCAM", CAMERA_SOURCE=str(tmp_path / "nothing.avi")))
    junk = tmp_path / "junk.avi"
    junk.write_bytes(b"not a video" * 100)
    with pytest.raises(BurroError, match=r"^camera (cannot be opened|gives no frames) \(CAMERA_TYPE=CVCAM"
                                         r".* — check that it is a video OpenCV plays"):
        CAMERAS.get("CVCAM")(config(CAMERA_TYPE="CVCAM", CAMERA_SOURCE=str(junk)))


@pytest.mark.parametrize("camera_type, install", [("WEBCAM", "pip install opencv-python-headless"),
                                                  ("CSIC", "sudo apt install python3-opencv")])
def test_opencv_cameras_without_opencv_say_how_to_install_it(monkeypatch, camera_type, install):
    monkeypatch.setitem(sys.modules, "cv2", None)  # import cv2 raises ImportError
    with pytest.raises(BurroError) as caught:
        CAMERAS.get(camera_type)(config(CAMERA_TYPE=camera_type))
    line = str(caught.value)
    assert line.startswith(f"{camera_type} needs OpenCV, which cannot be imported")
    assert f"(CAMERA_TYPE={camera_type})" in line and install in line


# ----- CSIC ----------------------------------------------------------------------------------

def test_csic_pipeline_text():
    cfg = config(CAMERA_INDEX=1, CAMERA_FRAMERATE=30, CSIC_CAM_GSTREAMER_FLIP_PARM=2,
                 IMAGE_W=224, IMAGE_H=224)
    assert pipeline(cfg) == (
        "nvarguscamerasrc sensor-id=1 ! video/x-raw(memory:NVMM), width=1920, height=1080, "
        "format=NV12, framerate=30/1 ! nvvidconv flip-method=2 ! video/x-raw, width=224, "
        "height=224, format=BGRx ! videoconvert ! video/x-raw, format=BGR ! appsink drop=true "
        "max-buffers=1 sync=false")


def test_gstreamer_support_is_read_from_opencvs_build_information():
    def build(text):
        return types.SimpleNamespace(getBuildInformation=lambda: text)

    assert has_gstreamer(build("  Video I/O:\n    GStreamer:                   YES (1.20.3)\n"))
    assert not has_gstreamer(build("    GStreamer:                   NO\n"))
    assert not has_gstreamer(build("Video I/O:\n    FFMPEG: YES\n"))


def test_csic_without_gstreamer_opencv_says_to_use_jetpacks():
    with pytest.raises(BurroError) as caught:
        CAMERAS.get("CSIC")(config(CAMERA_TYPE="CSIC"))
    line = str(caught.value)
    assert line.startswith("this OpenCV has no GStreamer support") and "(CAMERA_TYPE=CSIC)" in line
    assert "--system-site-packages" in line and "\n" not in line


def test_csic_that_cannot_open_the_pipeline_is_one_line(monkeypatch):
    import cv2

    monkeypatch.setattr(cv2, "getBuildInformation", lambda: "    GStreamer: YES (1.22)\n")
    with pytest.raises(BurroError, match=r"^CSI camera cannot be opened \(CAMERA_TYPE=CSIC\) — "
                                         "check the ribbon cable"):
        CAMERAS.get("CSIC")(config(CAMERA_TYPE="CSIC"))


# ----- PICAM ---------------------------------------------------------------------------------

def test_picam_off_the_pi_says_how_to_install_picamera2():
    assert "picamera2" not in sys.modules
    with pytest.raises(BurroError) as caught:
        CAMERAS.get("PICAM")(config())
    line = str(caught.value)
    assert line.startswith("PICAM needs picamera2, which cannot be imported (No module named")
    assert "sudo apt install python3-picamera2" in line and "--system-site-packages" in line


class FakePicamera2:
    """picamera2's Picamera2 as the camera sees it: one configure, start, RGB frames."""

    made: list = []
    fail_open: Exception | None = None

    def __init__(self, camera_num=0):
        if FakePicamera2.fail_open is not None:
            raise FakePicamera2.fail_open
        self.camera_num = camera_num
        self.calls = []
        FakePicamera2.made.append(self)

    def create_preview_configuration(self, **kwargs):
        self.calls.append(("create_preview_configuration", kwargs))
        return {"config": kwargs}

    def configure(self, config):
        self.calls.append(("configure", config))

    def start(self):
        self.calls.append(("start",))

    def capture_array(self, stream):
        self.calls.append(("capture_array", stream))
        width, height = self.calls[0][1]["main"]["size"]
        return halves(height, width)

    def stop(self):
        self.calls.append(("stop",))

    def close(self):
        self.calls.append(("close",))


@pytest.fixture
def fake_picamera2(monkeypatch):
    FakePicamera2.made, FakePicamera2.fail_open = [], None
    monkeypatch.setitem(sys.modules, "picamera2", types.SimpleNamespace(Picamera2=FakePicamera2))
    monkeypatch.setitem(sys.modules, "libcamera",
                        types.SimpleNamespace(Transform=lambda **flips: ("Transform", flips)))
    return FakePicamera2


def test_picam_configures_size_rgb_flips_and_frame_rate(fake_picamera2):
    camera = CAMERAS.get("PICAM")(config(CAMERA_VFLIP=True, CAMERA_INDEX=1, CAMERA_FRAMERATE=25))
    (device,) = fake_picamera2.made
    assert device.camera_num == 1
    assert device.calls[0] == ("create_preview_configuration", {
        "main": {"size": (160, 120), "format": "BGR888"},
        "transform": ("Transform", {"hflip": False, "vflip": True}),
        "controls": {"FrameDurationLimits": (40000, 40000)}})
    assert [call[0] for call in device.calls[1:]] == ["configure", "start", "capture_array"]
    frame, frame_time = camera.run_threaded(4.0)
    assert frame.shape == (120, 160, 3) and frame_time == 4.0
    assert tuple(frame[0, 0]) == RED  # flipped by the camera, not again by burro
    camera.shutdown()
    assert device.calls[-2:] == [("stop",), ("close",)]


def test_a_busy_picam_is_one_line(fake_picamera2):
    fake_picamera2.fail_open = RuntimeError("Failed to acquire camera: Device or resource busy\nmore")
    with pytest.raises(BurroError) as caught:
        CAMERAS.get("PICAM")(config())
    assert str(caught.value).startswith(
        "camera cannot be opened (Failed to acquire camera: Device or resource busy) "
        "(CAMERA_TYPE=PICAM) — check the ribbon cable")
