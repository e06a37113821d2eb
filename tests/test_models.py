import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError

from errorcatalog.models import Catalog, Cause, ErrorCode, ErrorFamily, ExceptionMapping, HttpStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    return Catalog.objects.create(slug="acme", name="Acme", format="problem")


@pytest.fixture
def family(catalog):
    return ErrorFamily.objects.create(catalog=catalog, key="auth", prefix="ACME-AUTH", name="Auth")


def make_code(family, code="ACME-AUTH-001", status=401, **fields):
    return ErrorCode(family=family, code=code, status=HttpStatus.objects.get(code=status), title="T", **fields)


def errors_of(instance):
    with pytest.raises(ValidationError) as info:
        instance.full_clean()
    return info.value.message_dict


def test_code_takes_its_familys_catalog(family):
    code = make_code(family)
    code.full_clean()
    code.save()
    assert code.catalog_id == family.catalog_id


def test_code_must_start_with_the_family_prefix(family):
    assert "code" in errors_of(make_code(family, code="OTHER-001"))


def test_code_characters_are_url_safe(family):
    assert "code" in errors_of(make_code(family, code="ACME-AUTH/../x"))
    assert "code" in errors_of(make_code(family, code="ACME-AUTH <script>"))


def test_status_must_be_4xx_or_5xx(family):
    assert "status" in errors_of(make_code(family, status=302))


def test_code_is_unique_in_its_catalog_with_a_clear_message(family):
    make_code(family).save()
    messages = errors_of(make_code(family))
    assert messages["__all__"] == ["This catalog already has this code."]


def test_same_code_may_exist_in_two_catalogs(family):
    make_code(family).save()
    other = Catalog.objects.create(slug="other", name="Other")
    other_family = ErrorFamily.objects.create(catalog=other, key="auth", prefix="ACME-AUTH", name="Auth")
    copy = make_code(other_family)
    copy.full_clean()
    copy.save()


def test_database_refuses_duplicate_codes_even_without_validation(family):
    make_code(family).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_code(family).save()


def test_flat_catalog_requires_numeric_codes(family):
    family.catalog.format = "flat"
    family.catalog.save()
    assert "numeric_code" in errors_of(make_code(family))
    make_code(family, numeric_code=0).full_clean()


def test_numeric_codes_are_unique_per_catalog(family):
    make_code(family, numeric_code=7).save()
    messages = errors_of(make_code(family, code="ACME-AUTH-002", numeric_code=7))
    assert messages["__all__"] == ["This catalog already has this numeric code."]


def test_replacement_must_be_in_the_same_catalog(family):
    foreign = ErrorCode.objects.get(catalog__slug="oz", code="AUTH_INVALID")
    assert "replaced_by" in errors_of(make_code(family, replaced_by=foreign))


def test_code_cannot_replace_itself(family):
    code = make_code(family)
    code.save()
    code.replaced_by = code
    assert "replaced_by" in errors_of(code)


def test_one_default_code_per_status(family):
    make_code(family, is_status_default=True).save()
    messages = errors_of(make_code(family, code="ACME-AUTH-002", is_status_default=True))
    assert messages["__all__"] == ["This catalog already has a default code for this HTTP status."]


def test_one_catch_all_with_a_server_status(family):
    assert "is_catch_all" in errors_of(make_code(family, is_catch_all=True))
    make_code(family, code="ACME-AUTH-500", status=500, is_catch_all=True).save()
    messages = errors_of(make_code(family, code="ACME-AUTH-501", status=500, is_catch_all=True))
    assert messages["__all__"] == ["This catalog already has a catch-all code."]


def test_catalog_format_must_load(catalog):
    catalog.format = "xml"
    assert "format" in errors_of(catalog)
    catalog.format = "errorcatalog.formats.FlatFormat"  # a path, not a registered name
    assert "format" in errors_of(catalog)
    catalog.format = "flat"
    catalog.full_clean()


def test_family_prefix_change_is_checked_against_its_codes(family):
    make_code(family).save()
    family.prefix = "NEW"
    assert "ACME-AUTH-001" in errors_of(family)["prefix"][0]


def test_mapping_path_must_import_an_exception_class(family):
    code = make_code(family)
    code.save()
    missing = ExceptionMapping(error_code=code, exception_class="no.such.Error")
    assert "not under the modules" in errors_of(missing)["exception_class"][0]
    not_exception = ExceptionMapping(error_code=code, exception_class="errorcatalog.models.Catalog")
    assert "is not an exception class" in errors_of(not_exception)["exception_class"][0]


def test_mapping_needs_a_condition(family):
    code = make_code(family)
    code.save()
    messages = errors_of(ExceptionMapping(error_code=code))
    assert messages["__all__"] == ["Give an exception class, a DRF error code or a field error code."]


def test_mapping_reads_as_a_sentence():
    rule = ExceptionMapping.objects.get(catalog__slug="oz", field_code="required")
    assert str(rule) == "exception is ValidationError · first field error is required → INVALID_STRUCTURE"


def test_deleting_a_family_in_use_is_refused(family):
    make_code(family).save()
    with pytest.raises(RestrictedError):
        family.delete()
    assert ErrorCode.objects.filter(family=family).exists()


def test_deleting_a_status_in_use_is_refused():
    with pytest.raises(ProtectedError):
        HttpStatus.objects.get(code=401).delete()


def test_deleting_a_catalog_deletes_its_families_codes_and_causes(family):
    code = make_code(family)
    code.save()
    Cause.objects.create(error_code=code, text="Expired")
    family.catalog.delete()
    assert not ErrorCode.objects.filter(pk=code.pk).exists()
    assert not Cause.objects.filter(error_code_id=code.pk).exists()


def test_natural_keys_round_trip():
    code = ErrorCode.objects.get(catalog__slug="usezombie", code="UZ-AUTH-003")
    assert ErrorCode.objects.get_by_natural_key(*code.natural_key()) == code
    cause = code.causes.get()
    assert Cause.objects.get_by_natural_key(*cause.natural_key()) == cause
    family = code.family
    assert ErrorFamily.objects.get_by_natural_key(*family.natural_key()) == family


def test_a_family_with_codes_cannot_move_to_another_catalog(family):
    make_code(family).save()
    other = Catalog.objects.create(slug="other", name="Other")
    family.catalog = other
    assert "has codes" in errors_of(family)["catalog"][0]
    with pytest.raises(ValidationError):
        family.save()
    assert ErrorFamily.objects.get(pk=family.pk).catalog.slug == "acme"


def test_an_empty_family_can_move(family):
    other = Catalog.objects.create(slug="other", name="Other")
    family.catalog = other
    family.full_clean()
    family.save()
    assert ErrorFamily.objects.get(pk=family.pk).catalog_id == other.pk


def test_a_code_cannot_move_to_a_family_of_another_catalog(family):
    code = make_code(family)
    code.save()
    ExceptionMapping.objects.create(error_code=code, drf_code="throttled")
    other = Catalog.objects.create(slug="other", name="Other")
    elsewhere = ErrorFamily.objects.create(catalog=other, key="auth", prefix="ACME-AUTH", name="Auth")
    code = ErrorCode.objects.get(pk=code.pk)
    code.family = elsewhere
    assert "another catalog" in errors_of(code)["family"][0]
    with pytest.raises(ValidationError):
        code.save()
    assert ExceptionMapping.objects.get(error_code=code).catalog_id == family.catalog_id


def test_bump_version_is_public_api():
    import errorcatalog
    from errorcatalog import snapshot

    assert errorcatalog.bump_version is snapshot.bump_version
    assert "bump_version" in errorcatalog.__all__
