"""The car runtime: `burro createcar` writes a car folder, its `manage.py` drives it.

    from burro.car import Car, manage
    def drive(car: Car):             # what manage.py does
        car.add_camera()
        car.add_user()
        ...
        car.start()

`Car` builds the vehicle of the complete (or basic) template stage by stage, so a user's
`manage.py` can add parts of its own between the stages; `manage` is manage.py's command
line (`drive`, `train`). See docs/car.md.
"""

from burro.car.car import Car, DriveOptions
from burro.car.manage import drive_complete, manage

__all__ = ["Car", "DriveOptions", "drive_complete", "manage"]
