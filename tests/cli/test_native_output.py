"""TensorFlow's and LiteRT's C/C++ lines never reach the terminal unless -v (burro.quiet).

C-level writes bypass sys.stderr, so every check runs a real process and reads its fd 2.
"""

import subprocess
import sys
import textwrap

import pytest

# What TensorFlow 2.21 and LiteRT print on their own, measured before burro.quiet existed.
NATIVE_MARKERS = ("oneDNN custom operations", "absl::InitializeLog", "XNNPACK delegate",
                  "cpu_feature_guard", "port.cc", "cuda", "This TensorFlow binary")


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=60)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "burro", *args], capture_output=True,
                          text=True, timeout=300)


def test_c_level_writes_are_dropped_and_python_writes_kept():
    result = run_python("""
        import os, sys
        from burro.quiet import native_output_hidden
        with native_output_hidden():
            os.write(2, b"native noise\\n")
            print("python message", file=sys.stderr)
            with native_output_hidden():  # nested: still hidden after the inner block
                pass
            os.write(2, b"more noise\\n")
        os.write(2, b"after the block\\n")
    """)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == ["python message", "after the block"]


def test_verbose_shows_the_native_lines():
    result = run_python("""
        import os
        from burro import quiet
        quiet.show_native_output()
        with quiet.native_output_hidden():
            os.write(2, b"native line\\n")
    """)
    assert result.stderr.splitlines() == ["native line"]


def test_a_crash_inside_the_block_still_says_so():
    result = run_python("""
        import os
        from burro.quiet import native_output_hidden
        with native_output_hidden():
            os.abort()
    """)
    assert result.returncode != 0
    assert "Fatal Python error: Aborted" in result.stderr


def test_burro_log_lines_from_another_thread_are_kept():
    result = run_python("""
        import logging, os, threading
        from burro.cli.main import _setup_logging
        from burro.quiet import native_output_hidden
        _setup_logging(0)
        with native_output_hidden():
            thread = threading.Thread(target=logging.getLogger("burro.x").warning, args=("kept",))
            thread.start(); thread.join()
            os.write(2, b"dropped\\n")
    """)
    assert result.stderr.splitlines() == ["burro: warning: kept"]


def test_a_noisy_package_is_imported_quietly_wherever_it_is_imported(tmp_path):
    package = tmp_path / "noisy"
    package.mkdir()
    (package / "__init__.py").write_text("import os\nos.write(2, b'loading noise\\n')\nVALUE = 1\n")
    result = run_python(f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        from burro.quiet import hide_native_output_of_imports
        hide_native_output_of_imports(("noisy",))
        import noisy
        import importlib.machinery
        assert noisy.VALUE == 1
        assert isinstance(noisy.__loader__, importlib.machinery.SourceFileLoader)
        assert isinstance(noisy.__spec__.loader, importlib.machinery.SourceFileLoader)
        print("imported", file=sys.stderr)
    """)
    assert result.stderr.splitlines() == ["imported"], result.stderr


@pytest.mark.slow
def test_train_and_drive_print_no_tensorflow_or_litert_lines(tmp_path):
    tub, model = tmp_path / "tub", tmp_path / "pilot.keras"
    assert run_cli("sim", "record", "--car", str(tmp_path), "--track", "oval",
                   "--max-steps", "64", "--tub", str(tub)).returncode == 0
    trained = run_cli("train", "--car", str(tmp_path), "--tub", str(tub), "--type", "linear",
                      "--model", str(model), "--set", "MAX_EPOCHS=1", "--set", "BATCH_SIZE=16",
                      "--set", "PRINT_MODEL_SUMMARY=False", "--set", "VERBOSE_TRAIN=False",
                      "--set", "SHOW_PLOT=False")
    assert trained.returncode == 0, trained.stderr
    assert not [line for line in trained.stderr.splitlines()
                if any(marker in line for marker in NATIVE_MARKERS)], trained.stderr
    def drive(pilot, *options):
        return run_cli("sim", "drive", "--car", str(tmp_path), "--model", str(pilot),
                       "--track", "oval", "--laps", "1", "--max-steps", "5", *options)

    for pilot in (model.with_suffix(".tflite"), model.with_suffix(".onnx"), model):
        driven = drive(pilot)
        assert driven.returncode == 0 and driven.stderr == "", (pilot, driven.stderr)
    verbose = drive(model.with_suffix(".tflite"), "-v")
    assert "XNNPACK delegate" in verbose.stderr  # -v: LiteRT speaks
