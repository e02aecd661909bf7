"""burro's web controller: a Tornado server inside the drive loop (docs/web.md).

`app` (settings, routes, the server-thread state), `handlers` (pages, POST /drive, the
WebSockets), `messages` (validation of every client message), `driving` (driver
arbitration, dead-man, the latest command; thread-safe), `video` (MJPEG), `telemetry`,
`calibrate` (/wsCalibrate), `auth` (token, origin) and `server` (a Tornado server in a thread,
bound at once, stopped fast). The drive loop's part is `burro.parts.web_controller`.

Only `server`, `app`, `handlers` and `video` import Tornado, and only when a server is built.
"""
