"""The meetings tests' fixtures (chapter, organiser, meeting, outreach,
held_meeting) for the standards validators."""

from tests.meetings.conftest import *  # noqa: F403
