"""`oval`: two 4 m straights joined by 1.5 m half circles."""

from burro.sim.tracks import TRACKS


@TRACKS.register("oval")
def oval():
    from burro.sim.track import Arc, Straight, from_pieces

    pieces = [Straight(4.0), Arc(1.5, 180), Straight(4.0), Arc(1.5, 180)]
    return from_pieces("oval", pieces, width=1.0)
