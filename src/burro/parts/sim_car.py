"""The built-in simulator as a car: one simulated car session shared by the SIM parts.

With `DONKEY_GYM = True` the template swaps the two ends of the loop: the "SIM" camera
(`burro.parts.cameras.sim`) shows the simulated car's view and the "SIM" drivetrain
(`burro.parts.drivetrains.sim`) drives it. Every part built with the same config object
shares one `SimCarSession`, so what the drivetrain drives is what the camera sees.

Order within one tick: the camera outputs the frame rendered for the car's current state →
the user controller / pilot decide → the drivetrain applies (angle, throttle) and advances the
physics by one loop period (1 / DRIVE_LOOP_HZ). The next tick's camera shows the result.

"SimExpert" (a part in PARTS) is the simulator's expert driver as the user: it reads the car's
state from the session (it drives from the true pose, not the image) and outputs what it means
to do as user/angle, user/throttle (mode "user", recording on), so a tub recorded through the
loop holds what `burro sim record` writes.

The simulator (numpy, OpenCV) is imported when a session starts, never at module import:
the part registries are scanned whenever a config loads.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

from burro.errors import BurroError
from burro.parts import PARTS

_SESSIONS: dict[int, list] = {}  # id(cfg) -> [cfg, session, users]
_LOCK = threading.Lock()


def uses_simulated_clock(cfg) -> bool:
    """The loop steps as fast as the CPU allows on simulated time (SIM_REALTIME = False)."""
    return bool(cfg.DONKEY_GYM) and not cfg.SIM_REALTIME


def end_types(cfg) -> tuple[str, str]:
    """(CAMERA_TYPE, DRIVE_TRAIN_TYPE) the loop uses: both "SIM" when DONKEY_GYM is on."""
    if cfg.DONKEY_GYM:
        return "SIM", "SIM"
    return cfg.CAMERA_TYPE, cfg.get("DRIVE_TRAIN_TYPE", "MOCK")


def acquire(cfg) -> SimCarSession:
    """The session of this config (started on first use); pair each call with `release`."""
    with _LOCK:
        entry = _SESSIONS.get(id(cfg))
        if entry is None:
            entry = _SESSIONS[id(cfg)] = [cfg, SimCarSession(cfg), 0]
        entry[2] += 1
        return entry[1]


def release(session: SimCarSession) -> None:
    """One part is done with the session; the last one closes it (prints the summary)."""
    with _LOCK:
        for key, entry in list(_SESSIONS.items()):
            if entry[1] is session:
                entry[2] -= 1
                if entry[2] > 0:
                    return
                del _SESSIONS[key]
                break
        else:
            return
    session.close()


def session_for(cfg) -> SimCarSession | None:
    """The running session of this config, if any (for a summary printed by the loop)."""
    with _LOCK:
        entry = _SESSIONS.get(id(cfg))
        return entry[1] if entry else None


def neutral_if_bad(value) -> float:
    """None or non-finite → 0, as every drivetrain treats a missing command."""
    if value is None:
        return 0.0
    value = float(value)
    return value if math.isfinite(value) else 0.0


@dataclass
class _Stats:
    steps: int = 0
    off_track: int = 0
    abs_cte_sum: float = 0.0
    max_abs_cte: float = 0.0
    speed_sum: float = 0.0
    interventions: list[int] = field(default_factory=list)
    xs: list[float] = field(default_factory=list)
    ys: list[float] = field(default_factory=list)
    ctes: list[float] = field(default_factory=list)

    def add(self, telemetry) -> None:
        self.steps += 1
        self.xs.append(telemetry.x)
        self.ys.append(telemetry.y)
        self.ctes.append(telemetry.cte)
        self.abs_cte_sum += abs(telemetry.cte)
        self.max_abs_cte = max(self.max_abs_cte, abs(telemetry.cte))
        self.speed_sum += telemetry.speed


class SimCarSession:
    """One simulated car: `telemetry` is its current state (and camera frame); `step` drives.

    Leaving the track counts as an off-track event and the car is put back on its lane's
    centre line where it left, at its speed, as `burro sim drive` does."""

    def __init__(self, cfg):
        from burro.sim.simulator import SimSettings, Simulator

        if cfg.IMAGE_DEPTH != 3:
            raise BurroError("the simulator renders RGB", "IMAGE_DEPTH",
                             "set IMAGE_DEPTH = 3 (or DONKEY_GYM = False)")
        self.settings = SimSettings.from_config(cfg)
        self.sim = Simulator(self.settings)
        self.lane = cfg.SIM_EXPERT_LANE
        if self.lane != "centre" and not self.sim.track.two_lane:
            raise BurroError(f"track {self.sim.track.name!r} has one lane",
                             f"SIM_EXPERT_LANE = {self.lane!r}",
                             "use 'centre', or SIM_TRACK = 'two_lane'")
        self.start_lane = cfg.SIM_EXPERT_START_LANE if self.lane == "switch" else self.lane
        self.lane_offset = self.sim.track.lane_offset(self.start_lane)
        self.telemetry = self.sim.reset(offset=self.lane_offset)
        self.stats = _Stats()
        self.laps_target = cfg.SIM_LAPS or 0
        self.report_path = cfg.path("SIM_REPORT") if cfg.SIM_REPORT else None
        self.plot_path = cfg.path("SIM_PLOT") if cfg.SIM_PLOT else None
        self._expert_style = self._style(cfg)
        self._hands: tuple[tuple[float, float], tuple[float, float]] | None = None
        self.closed = False

    @staticmethod
    def _style(cfg):
        from burro.sim.record import style_from_config

        return style_from_config(cfg)

    @property
    def laps_done(self) -> bool:
        """SIM_LAPS laps are driven (never with SIM_LAPS unset)."""
        return bool(self.laps_target) and self.telemetry.lap_count >= self.laps_target

    @property
    def dt(self) -> float:
        return self.sim.dt

    def make_expert(self, cfg):
        """The expert driver for this car, as `burro sim record` makes it (same seed, style)."""
        from burro.sim.expert import Expert

        return Expert(self.sim.track, self.settings.hz, lane=self.lane, seed=self.settings.seed,
                      style=self._expert_style, car=self.settings.car,
                      behaviors=list(cfg.BEHAVIOR_LIST),
                      start_lane=cfg.SIM_EXPERT_START_LANE)

    def expert_hands(self, given: tuple[float, float], executed: tuple[float, float]) -> None:
        """The expert gave `given` as the user command but its hands do `executed` (its
        noise and drifts): if the drivetrain gets exactly `given` this tick (the user drives),
        the car executes `executed`, as in `burro sim record` (its labels are `given`)."""
        self._hands = (given, executed)

    def step(self, angle, throttle):
        """Apply the command for one loop period; returns the new telemetry."""
        command = (neutral_if_bad(angle), neutral_if_bad(throttle))
        if self._hands is not None and command == self._hands[0]:
            command = self._hands[1]
        self._hands = None
        telemetry = self.sim.step(*command)
        self.stats.add(telemetry)
        if telemetry.off_track:
            self.stats.off_track += 1
            self.stats.interventions.append(self.stats.steps - 1)
            telemetry = self.sim.place(telemetry.s, self.lane_offset,
                                       speed=max(telemetry.speed, 0.0))
        self.telemetry = telemetry
        return telemetry

    def report(self, with_expert_speed: bool = False):
        """How the car drove so far, as a `burro.sim.evaluate.DriveReport` (mode "car");
        `with_expert_speed` also drives the expert for up to 3 laps to compare speeds."""
        from burro.sim.evaluate import DriveReport, autonomy, expert_mean_speed

        stats, telemetry = self.stats, self.telemetry
        steps = max(stats.steps, 1)
        mean_speed = stats.speed_sum / steps
        expert = (expert_mean_speed(self.settings, laps=3, style=self._expert_style)
                  if with_expert_speed else 0.0)
        return DriveReport(
            track=self.sim.track.name, mode="car", laps_target=self.laps_target,
            laps_completed=telemetry.lap_count, off_track_events=stats.off_track,
            autonomy_pct=autonomy(stats.off_track, telemetry.time),
            mean_abs_cte=stats.abs_cte_sum / steps, max_abs_cte=stats.max_abs_cte,
            mean_speed=mean_speed, expert_mean_speed=expert,
            speed_ratio=mean_speed / expert if expert > 0 else 0.0,
            lap_times=[round(lap, 3) for lap in telemetry.lap_times],
            sim_seconds=telemetry.time, steps=stats.steps, latency_ms=self.settings.latency_ms,
            pilot_ms_per_step=0.0,
            path={"x": stats.xs, "y": stats.ys, "cte": stats.ctes,
                  "interventions": list(stats.interventions)})

    def summary(self, report=None) -> str:
        report = report or self.report()
        laps = ", ".join(f"{lap:.2f}" for lap in report.lap_times) or "-"
        speed = f"{report.mean_speed:.2f} m/s"
        if report.expert_mean_speed:
            speed += (f" ({100 * report.speed_ratio:.0f} % of the expert's "
                      f"{report.expert_mean_speed:.2f} m/s)")
        return "\n".join([
            f"simulator: track {report.track}, {report.steps} steps, "
            f"{report.sim_seconds:.1f} s simulated, latency {report.latency_ms:g} ms",
            f"laps completed      {report.laps_completed}",
            f"off-track events    {report.off_track_events}",
            f"autonomy            {report.autonomy_pct:.1f} %",
            f"|cte| mean / max    {report.mean_abs_cte:.3f} / {report.max_abs_cte:.3f} m",
            f"mean speed          {speed}",
            f"lap times           {laps} s",
        ])

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            if self.stats.steps:  # not after a start-up that failed before the first tick
                self._write_outputs()

    def _write_outputs(self) -> None:
        """The summary, and the report and plot files SIM_REPORT / SIM_PLOT ask for."""
        from burro.sim.evaluate import plot_drive, write_report

        report = self.report(with_expert_speed=self.report_path is not None)
        print(self.summary(report), flush=True)
        if self.report_path:
            write_report(report, self.report_path)
            print(f"report: {self.report_path}")
        if self.plot_path:
            plot_drive(report, self.sim.track, self.plot_path)
            print(f"plot: {self.plot_path}")


@PARTS.register("SimExpert")
class SimExpert:
    """The simulator's expert driver as the user (with DONKEY_GYM = True).

    Inputs: none (it reads the simulated car's state from the shared session).
    Outputs: user/angle, user/throttle (what it means to do: `SIM_EXPERT_LABELS`),
    user/mode ("user"), recording (True); with SIM_EXPERT_LANE other than "centre" also
    behavior/state, behavior/label, behavior/one_hot_state_array (its lane, BEHAVIOR_LIST) —
    unless the car gave it a Behavior part (`behavior`, with TRAIN_BEHAVIORS): then it keeps
    the lane of that part's state (a pad's L1 or the web page switch it) and sets the state
    when it changes lane by itself (SIM_EXPERT_LANE = "switch", every
    ~SIM_EXPERT_LANE_CHANGE_EVERY s, starting in SIM_EXPERT_START_LANE); the part is set to
    its starting lane on the first tick; the part records the keys.
    """

    inputs = ()
    USER_OUTPUTS = ("user/angle", "user/throttle", "user/mode", "recording")
    BEHAVIOR_OUTPUTS = ("behavior/state", "behavior/label", "behavior/one_hot_state_array")

    def __init__(self, cfg):
        self.session = acquire(cfg)
        try:
            self.expert = self.session.make_expert(cfg)
        except BaseException:
            release(self.session)
            raise
        self.labels = cfg.SIM_EXPERT_LABELS
        self.with_behavior = self.session.lane != "centre"
        self.behavior = None  # the car's Behavior part, when TRAIN_BEHAVIORS
        self._followed_state: int | None = None
        self._released = False

    @property
    def outputs(self) -> tuple[str, ...]:
        own_behavior = self.with_behavior and self.behavior is None
        return self.USER_OUTPUTS + (self.BEHAVIOR_OUTPUTS if own_behavior else ())

    def run(self):
        following = self.with_behavior and self.behavior is not None
        if following:
            self._keep_commanded_lane()
        executed = self.expert.act(self.session.telemetry)
        given = self.expert.intended if self.labels == "intended" else executed
        self.session.expert_hands(given, executed)
        user = (given[0], given[1], "user", True)
        if following:
            self._report_own_lane_change()
            return user
        return user + self.expert.behavior() if self.with_behavior else user

    def _keep_commanded_lane(self) -> None:
        if self._followed_state is None:  # first tick: the part starts in the expert's lane
            self.behavior.set_state(self.expert.behavior()[0])
        state = self.behavior.state
        if state == self._followed_state:
            return
        self._followed_state = state
        lane = lane_of(self.behavior.labels, state)
        if lane is not None and lane != self.expert.lane:
            self.expert.command_lane(lane)

    def _report_own_lane_change(self) -> None:
        state = self.expert.behavior()[0]
        if lane_of(self.behavior.labels, state) == self.expert.lane \
                and state != self.behavior.state:
            self.behavior.set_state(state)
        self._followed_state = self.behavior.state

    def shutdown(self) -> None:
        if not self._released:
            self._released = True
            release(self.session)


def lane_of(labels, state: int) -> str | None:
    """The lane a behaviour state means: a label naming left or right, else state 0 = left,
    1 = right (Donkey's BEHAVIOR_LIST = ['Left_Lane', 'Right_Lane'])."""
    label = str(labels[state]).lower()
    for lane in ("left", "right"):
        if lane in label:
            return lane
    return ("left", "right")[state] if state < 2 else None


@PARTS.register("SimLapLimit")
class SimLapLimit:
    """Ends the drive once the simulated car has driven SIM_LAPS laps (DONKEY_GYM).

    Inputs: none (it reads the lap count from the shared session). Outputs: none. It calls
    `stop` (the Vehicle's) once, so the loop ends at the tick boundary like Ctrl-C.
    """

    def __init__(self, cfg, stop):
        self.session = acquire(cfg)
        self._stop = stop
        self._released = False

    def run(self) -> None:
        if self.session.laps_done:
            self._stop(f"SIM_LAPS reached ({self.session.laps_target} laps)")

    def shutdown(self) -> None:
        if not self._released:
            self._released = True
            release(self.session)
