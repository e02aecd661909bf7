"""`two_lane`: a road with two 0.7 m lanes, a dashed line between them, bends both ways."""

from burro.sim.tracks import TRACKS


@TRACKS.register("two_lane")
def two_lane():
    from burro.sim.track import Arc, Straight, from_pieces

    pieces = [
        Straight(4.0),
        Arc(2.0, 120),
        Straight(1.5),
        Arc(1.8, -60),
        Arc(2.0, 150),
        Straight(0, solve=True),
        Arc(2.2, 150),
        Straight(0, solve=True),
    ]
    return from_pieces("two_lane", pieces, width=1.4, two_lane=True)
