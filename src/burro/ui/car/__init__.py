"""The Car Connector screen's logic (docs/ui-car.md): the car over ssh (`remote`), the
scripts run on it (`scripts`), the subprocesses (`jobs`) and the screen's state
(`connector`); `handlers` are its Tornado routes."""
