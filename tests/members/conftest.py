import pytest

from tests.factories import ChapterFactory, OrganiserFactory


@pytest.fixture
def other_chapter_client(client, db):
    """A client signed in as the organiser of another country's chapter."""
    other = OrganiserFactory(chapter=ChapterFactory(country="EG")).user
    client.force_login(other)
    return client
