"""`two_lane_hook`: a second two-lane road (0.7 m lanes, dashed centre line) of another shape:
two 90-degree bends, a right-hand kink, a 150-degree hook — a track `two_lane` pilots never saw."""

from burro.sim.tracks import TRACKS


@TRACKS.register("two_lane_hook")
def two_lane_hook():
    from burro.sim.track import Arc, Straight, from_pieces

    pieces = [
        Straight(3.0),
        Arc(2.0, 90),
        Straight(2.0),
        Arc(2.4, 90),
        Arc(2.0, -60),
        Straight(1.0),
        Arc(1.8, 150),
        Straight(0, solve=True),
        Arc(2.2, 90),
        Straight(0, solve=True),
    ]
    return from_pieces("two_lane_hook", pieces, width=1.4, two_lane=True)
