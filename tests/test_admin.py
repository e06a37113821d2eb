import pytest
from django.core.cache import caches
from django.urls import reverse

from errorcatalog.conf import errorcatalog_settings
from errorcatalog.models import Cause, ErrorCode, ErrorFamily, HttpStatus

pytestmark = pytest.mark.django_db


def changelist(model):
    return reverse(f"admin:errorcatalog_{model}_changelist")


@pytest.mark.parametrize("model", ["catalog", "httpstatus", "errorfamily", "errorcode", "exceptionmapping"])
def test_every_screen_opens(admin_client, model):
    assert admin_client.get(changelist(model)).status_code == 200
    assert admin_client.get(reverse(f"admin:errorcatalog_{model}_add")).status_code == 200


def test_code_list_shows_the_columns_a_maintainer_needs(admin_client):
    response = admin_client.get(changelist("errorcode"), {"q": "UZ-AUTH-003"})
    assert response.context["cl"].list_display[1:] == ["code", "title", "status", "family", "lifecycle", "public"]
    assert [code.code for code in response.context["cl"].result_list] == ["UZ-AUTH-003"]


def test_code_search_covers_causes(admin_client):
    response = admin_client.get(changelist("errorcode"), {"q": "expiry time"})
    assert [code.code for code in response.context["cl"].result_list] == ["UZ-AUTH-003"]


def test_code_filters(admin_client):
    response = admin_client.get(changelist("errorcode"), {"lifecycle__exact": "removed"})
    assert [code.code for code in response.context["cl"].result_list] == ["UZ-RUNS-410"]
    oz = ErrorCode.objects.filter(catalog__slug="oz").first().catalog_id
    response = admin_client.get(
        changelist("errorcode"), {"catalog__id__exact": oz, "status__id__exact": HttpStatus.objects.get(code=401).pk}
    )
    assert {code.code for code in response.context["cl"].result_list} == {
        "AUTH_NOT_PROVIDED",
        "AUTH_INVALID",
        "AUTH_EXPIRED",
    }


def test_families_show_their_code_count(admin_client):
    response = admin_client.get(changelist("errorfamily"), {"q": "UZ-AUTH"})
    (family,) = response.context["cl"].result_list
    assert family.code_count == 10
    assert b'<td class="field-code_count">10</td>' in response.content


def test_deprecate_action_bumps_the_catalog_version(admin_client, django_capture_on_commit_callbacks):
    cache = caches[errorcatalog_settings.CACHE_ALIAS]
    cache.set(errorcatalog_settings.VERSION_CACHE_KEY, "before")
    codes = ErrorCode.objects.filter(catalog__slug="zof", code__in=["conflict", "forbidden"])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            changelist("errorcode"),
            {
                "action": "deprecate",
                "_selected_action": [c.pk for c in codes],
            },
        )
    assert response.status_code == 302
    assert set(codes.values_list("lifecycle", flat=True)) == {"deprecated"}
    assert cache.get(errorcatalog_settings.VERSION_CACHE_KEY) not in (None, "before")


def test_view_only_staff_cannot_deprecate(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_errorcode"))
    client.force_login(user)
    code = ErrorCode.objects.get(catalog__slug="zof", code="conflict")
    client.post(changelist("errorcode"), {"action": "deprecate", "_selected_action": [code.pk]})
    code.refresh_from_db()
    assert code.lifecycle == "active"


def inline_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_adding_a_code_with_causes_inline(admin_client):
    family = ErrorFamily.objects.get(catalog__slug="usezombie", key="auth")
    data = {
        "family": family.pk,
        "code": "UZ-AUTH-011",
        "status": HttpStatus.objects.get(code=401).pk,
        "title": "Key revoked",
        "lifecycle": "active",
        "public": "on",
        **inline_management("causes", total=2),
        "causes-0-position": "1",
        "causes-0-text": "The API key was revoked",
        "causes-0-remedy": "Create a new key.",
        "causes-1-position": "2",
        "causes-1-text": "The key belongs to another workspace",
        "causes-1-remedy": "",
        **inline_management("mappings"),
    }
    response = admin_client.post(reverse("admin:errorcatalog_errorcode_add"), data)
    assert response.status_code == 302, response.context["errors"]
    code = ErrorCode.objects.get(catalog__slug="usezombie", code="UZ-AUTH-011")
    assert [(c.text, c.remedy) for c in code.causes.all()] == [
        ("The API key was revoked", "Create a new key."),
        ("The key belongs to another workspace", ""),
    ]


@pytest.mark.parametrize(
    "code, message",
    [
        ("UZ-AUTH-001", "This catalog already has this code."),
        ("UZ-BILLING-099", "start with UZ-AUTH"),
    ],
)
def test_admin_form_explains_what_is_wrong_and_saves_nothing(admin_client, code, message):
    family = ErrorFamily.objects.get(catalog__slug="usezombie", key="auth")
    before = ErrorCode.objects.filter(code=code).count()
    data = {
        "family": family.pk,
        "code": code,
        "status": HttpStatus.objects.get(code=403).pk,
        "title": "Misfiled",
        "lifecycle": "active",
        **inline_management("causes"),
        **inline_management("mappings"),
    }
    response = admin_client.post(reverse("admin:errorcatalog_errorcode_add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ErrorCode.objects.filter(code=code).count() == before


def test_timestamps_are_read_only(admin_client):
    code = ErrorCode.objects.get(catalog__slug="oz", code="UNKNOWN")
    response = admin_client.get(reverse("admin:errorcatalog_errorcode_change", args=[code.pk]))
    form = response.context["adminform"].form
    assert "created" not in form.fields and "updated" not in form.fields
    assert "catalog" not in form.fields


def test_deleting_a_family_with_codes_is_refused_in_the_admin(admin_client):
    family = ErrorFamily.objects.get(catalog__slug="oz", key="api")
    response = admin_client.post(reverse("admin:errorcatalog_errorfamily_delete", args=[family.pk]), {"post": "yes"})
    assert ErrorFamily.objects.filter(pk=family.pk).exists()
    assert "would require deleting the following protected related objects" in response.content.decode()
    assert Cause.objects.filter(error_code__family=family).exists()


def test_change_page_previews_the_error_in_its_catalogs_format(admin_client):
    code = ErrorCode.objects.get(catalog__slug="oz", code="AUTH_EXPIRED")
    page = admin_client.get(reverse("admin:errorcatalog_errorcode_change", args=[code.pk])).content.decode()
    assert "HTTP 401 · Content-Type: application/json" in page
    assert "&quot;error_code&quot;: 8" in page
    code = ErrorCode.objects.get(catalog__slug="usezombie", code="UZ-REQ-001")
    page = admin_client.get(reverse("admin:errorcatalog_errorcode_change", args=[code.pk])).content.decode()
    assert "application/problem+json" in page
    assert "&quot;error_code&quot;: &quot;UZ-REQ-001&quot;" in page


def test_preview_escapes_catalog_text(admin_client):
    code = ErrorCode.objects.get(catalog__slug="oz", code="AUTH_EXPIRED")
    ErrorCode.objects.filter(pk=code.pk).update(title="<script>alert(1)</script>")
    page = admin_client.get(reverse("admin:errorcatalog_errorcode_change", args=[code.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_view_only_staff_cannot_change_a_code(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("reader", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_errorcode"))
    client.force_login(user)
    code = ErrorCode.objects.get(catalog__slug="zof", code="conflict")
    url = reverse("admin:errorcatalog_errorcode_change", args=[code.pk])

    page = client.get(url)
    assert page.status_code == 200 and b'name="title"' not in page.content  # shown read-only
    response = client.post(url, {**dict(form_fields_of(page)), "title": "Hijacked"})
    assert response.status_code == 403
    assert (
        client.post(reverse("admin:errorcatalog_errorcode_delete", args=[code.pk]), {"post": "yes"}).status_code == 403
    )
    code.refresh_from_db()
    assert code.title != "Hijacked"


def form_fields_of(response):
    from .servers import form_fields

    return form_fields(response.content.decode(), "errorcode_form")


def add_cause(fields, text, remedy=""):
    """The change form's fields with one more cause row filled in, as a browser posts them."""
    fields = dict(fields)
    index = int(fields["causes-TOTAL_FORMS"])
    fields.update(
        {
            "causes-TOTAL_FORMS": str(index + 1),
            f"causes-{index}-text": text,
            f"causes-{index}-remedy": remedy,
            f"causes-{index}-position": str(index + 1),
        }
    )
    return fields


def test_two_people_adding_causes_to_the_same_code_keep_both(admin_client, client, admin_user):
    code = ErrorCode.objects.get(catalog__slug="zof", code="conflict")
    url = reverse("admin:errorcatalog_errorcode_change", args=[code.pk])
    client.force_login(admin_user)
    # Both open the page before either saves.
    first, second = form_fields_of(admin_client.get(url)), form_fields_of(client.get(url))

    assert admin_client.post(url, add_cause(first, "Two writers raced")).status_code == 302
    assert client.post(url, add_cause(second, "A retry replayed the request")).status_code == 302

    texts = set(code.causes.values_list("text", flat=True))
    assert {"Two writers raced", "A retry replayed the request"} <= texts


def test_the_same_cause_added_twice_gets_a_clear_message(admin_client, client, admin_user):
    code = ErrorCode.objects.get(catalog__slug="zof", code="conflict")
    url = reverse("admin:errorcatalog_errorcode_change", args=[code.pk])
    client.force_login(admin_user)
    first, second = form_fields_of(admin_client.get(url)), form_fields_of(client.get(url))
    before = code.causes.count()

    assert admin_client.post(url, add_cause(first, "Two writers raced")).status_code == 302
    response = client.post(url, add_cause(second, "Two writers raced", "Retry"))

    assert response.status_code == 200  # the form again, explaining why
    assert "This code already lists this cause." in response.content.decode()
    assert code.causes.filter(text="Two writers raced").count() == 1
    assert code.causes.count() == before + 1


def test_a_save_that_loses_the_race_is_refused_with_a_message(admin_client, client, admin_user, monkeypatch):
    code = ErrorCode.objects.get(catalog__slug="zof", code="conflict")
    url = reverse("admin:errorcatalog_errorcode_change", args=[code.pk])
    client.force_login(admin_user)
    first, second = form_fields_of(admin_client.get(url)), form_fields_of(client.get(url))
    assert admin_client.post(url, add_cause(first, "Two writers raced")).status_code == 302
    # Both validated before either wrote: only the database can tell.
    monkeypatch.setattr(Cause, "validate_constraints", lambda self, exclude=None: None)

    response = client.post(url, {**add_cause(second, "Two writers raced"), "title": "Renamed"}, follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert "nothing of yours was saved" in response.content.decode()
    code.refresh_from_db()
    assert code.title != "Renamed"
    assert code.causes.filter(text="Two writers raced").count() == 1
