"""`technical`: left and right bends of radius 0.9-2.5 m, an S-bend and a 0.8 m hairpin."""

from burro.sim.tracks import TRACKS


@TRACKS.register("technical")
def technical():
    from burro.sim.track import Arc, Straight, from_pieces

    pieces = [
        Straight(2.0),
        Arc(1.2, 90),
        Straight(1.0),
        Arc(2.0, 45),
        Arc(1.2, -45),  # S-bend: right after left
        Straight(0.5),
        Arc(0.8, 180),  # hairpin
        Straight(1.0),
        Arc(1.0, -90),  # right-hander
        Arc(1.5, 90),
        Straight(0, solve=True),
        Arc(1.0, 90),
        Straight(0, solve=True),
    ]
    return from_pieces("technical", pieces, width=1.0)
