import uuid

from errorcatalog.request_id import is_sane_request_id, request_id_for, uuid7


def test_uuid7_is_version_7_and_time_ordered():
    first, second = uuid.UUID(uuid7()), uuid.UUID(uuid7())
    assert first.version == 7 and first.variant == uuid.RFC_4122
    assert first.int >> 80 <= second.int >> 80


def test_sane_ids():
    assert is_sane_request_id("req_01:abc.def~x-y")
    assert not is_sane_request_id("a b")
    assert not is_sane_request_id("a\nb")
    assert not is_sane_request_id("x" * 129)


def test_id_is_set_once_per_request(rf):
    request = rf.get("/", HTTP_X_REQUEST_ID="bad id")
    first = request_id_for(request)
    assert first != "bad id"
    assert request_id_for(request) == first
