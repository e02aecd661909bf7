from tests.tub.tubkit import write_tub  # noqa: F401 (fixture)
