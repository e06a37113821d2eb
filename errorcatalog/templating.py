"""Safe filling of ``{name}`` placeholders in catalog text."""

import string

_formatter = string.Formatter()


def fill_placeholders(template, values):
    """Replace ``{name}`` with ``values[name]``; everything else stays as written.

    Catalog text is edited by people and rendered with request data, so only
    plain names are filled: ``{user.password}``, ``{0}``, ``{items[0]}``,
    conversions and format specs are left visible, as are unknown names and
    unbalanced braces. Never raises.
    """
    if "{" not in template:
        return template
    try:
        parsed = list(_formatter.parse(template))
    except ValueError:
        return template
    out = []
    for literal, name, spec, conversion in parsed:
        out.append(literal)
        if name is None:
            continue
        if name.isidentifier() and not spec and not conversion and name in values:
            out.append(str(values[name]))
        else:
            out.append("{" + name + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}")
    return "".join(out)
