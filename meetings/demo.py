"""Demo data of the meetings app (nothing yet)."""


def seed_meetings(chapter, organisations) -> None:
    return None
