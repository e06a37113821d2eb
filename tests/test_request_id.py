import os
import uuid

import pytest

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


# The child only makes ids and exits: no lock a parent thread may hold is touched.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_forked_workers_draw_their_own_ids():
    # gunicorn forks its workers from one process: an id generator whose
    # random state were copied into each would repeat ids across workers.
    uuid7()
    reader, writer = os.pipe()
    children = []
    for _ in range(2):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            os.write(writer, (",".join(uuid7() for _ in range(50)) + "\n").encode())
            os._exit(0)
        children.append(pid)
    for pid in children:
        os.waitpid(pid, 0)
    os.close(writer)
    with os.fdopen(reader) as lines:
        batches = [set(line.strip().split(",")) for line in lines]
    assert len(batches) == 2 and all(len(batch) == 50 for batch in batches)
    assert not batches[0] & batches[1]
    # Not even the random part repeats (the timestamps may be the same).
    assert not {i[15:] for i in batches[0]} & {i[15:] for i in batches[1]}
