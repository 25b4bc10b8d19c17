import pytest

from tests.factories import ChapterFactory, OrganiserFactory


@pytest.fixture
def chapter(db):
    return ChapterFactory(country="JO")


@pytest.fixture
def organiser(chapter):
    return OrganiserFactory(chapter=chapter).user


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def other_chapter_client(client, db):
    """A client signed in as the organiser of another country's chapter."""
    other = OrganiserFactory(chapter=ChapterFactory(country="EG")).user
    client.force_login(other)
    return client


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """`with sent():` runs the e-mails queued after commit, as in production."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
