import pytest
from tests.ui.trainer.trainkit import make_car, start_ui


@pytest.fixture(scope="module")
def car_and_tub(tmp_path_factory, request):
    from tests.conftest import SHARED_TUB

    if not SHARED_TUB.is_dir():
        pytest.fail(f"the shared real tub is missing: {SHARED_TUB}")
    return make_car(tmp_path_factory.mktemp("trainer"), SHARED_TUB)


@pytest.fixture(scope="module")
def ui(car_and_tub):
    car, tub = car_and_tub
    server = start_ui(car, tub, car.parent)
    yield server
    server.stop()
