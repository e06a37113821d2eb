import pytest

from errorcatalog.templating import fill_placeholders


@pytest.mark.parametrize(
    "template, expected",
    [
        ("No workspace {id}", "No workspace 42"),
        ("{user.password}", "{user.password}"),
        ("{items[0]}", "{items[0]}"),
        ("{0}", "{0}"),
        ("{id!r}", "{id!r}"),
        ("{id:>10}", "{id:>10}"),
        ("{missing}", "{missing}"),
        ("unbalanced { brace", "unbalanced { brace"),
        ("{{literal}}", "{literal}"),
        ("plain", "plain"),
    ],
)
def test_only_plain_names_are_filled(template, expected):
    assert fill_placeholders(template, {"id": 42, "user": object(), "items": [1]}) == expected
