"""The HTML checker itself: a mistake it must find is found, and tied to
the page it came from, so that the demo walk's "no error" means something."""

from tests.demo import nu

VALID = (
    '<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
    "<title>صفحة</title></head><body><p>{}</p></body></html>"
)


def test_the_checker_finds_a_mistake_and_names_its_page():
    nu.require()
    findings = nu.check(
        {
            "/ar/good/": VALID.format("مرحبا"),
            "/ar/bad/": VALID.format(
                '<time datetime="2026-12-02T10:00:00.123456+00:00">x</time>'
                '<span id="a"></span><span id="a"></span>'
            ),
        }
    )
    errors = [finding for finding in findings if finding.kind == "error"]
    assert {finding.source for finding in errors} == {"/ar/bad/"}
    messages = " ".join(finding.message for finding in errors)
    assert "fraction of a second" in messages and "Duplicate ID" in messages
    # The failure report counts a repeated mistake once per document.
    assert nu.summary([errors[0], errors[0]]).startswith("2 x /ar/bad/")
