"""chapters/extensions.py: every extension point is filled once the apps are
ready, a point nobody filled fails loudly, and list points keep the order
their items state (docs/architecture.md)."""

from dataclasses import dataclass

import pytest

from chapters import exports, extensions
from chapters.extensions import ExtensionList, ExtensionPoint, MissingProvider

POINTS = [
    extensions.public_members,
    extensions.first_meetings_held,
    extensions.representation,
    extensions.member_figures,
    extensions.meeting_figures,
    extensions.engagements,
]
LISTS = [
    extensions.export_datasets,
    extensions.country_page_sections,
    extensions.audit_key_choices,
    extensions.chapter_timeline,
]


def test_every_extension_point_is_filled_by_the_apps():
    declared = {
        value
        for value in vars(extensions).values()
        if isinstance(value, ExtensionPoint | ExtensionList)
    }
    assert declared == {*POINTS, *LISTS}
    for point in POINTS:
        assert point.get() is not None
    for point in LISTS:
        assert point.all()


def test_a_point_without_provider_fails_loudly():
    point = ExtensionPoint("planted", "something a page needs")
    with pytest.raises(MissingProvider, match=r"planted.*something a page needs"):
        point.get()
    with pytest.raises(MissingProvider, match="planted"):
        ExtensionList("planted", "a list").all()


def test_a_second_provider_is_refused():
    point = ExtensionPoint("planted", "one provider")
    point.register(print)
    point.register(print)  # the same one again (a second ready()) is fine
    with pytest.raises(Exception, match="has a provider already"):
        point.register(len)


@dataclass(frozen=True)
class Item:
    key: str
    position: int


def test_a_list_is_read_in_the_stated_order_whoever_registers_first():
    items = ExtensionList("planted", "a list")
    for item in (Item("d", 40), Item("a", 10), Item("c", 30), Item("b", 20)):
        items.register(item)
    assert [item.key for item in items.all()] == ["a", "b", "c", "d"]


def test_the_exports_page_keeps_its_order():
    assert list(exports.datasets()) == [
        "outreach",
        "invitations",
        "attendance",
        "members",
        "engagements",
    ]


def test_the_timeline_reads_meetings_then_members_then_engagements():
    assert [source.key for source in extensions.chapter_timeline.all()] == [
        "meetings",
        "members",
        "engagements",
    ]
