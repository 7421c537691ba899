"""An export reads its next batch in a thread while the last is written: the same items, in order, errors
raised in the reader, and nothing left running when the reader stops early."""

import threading

import pytest

from audit_app.reporting.read_ahead import read_ahead


def _made(items, log):
    try:
        for item in items:
            log.append(("made", item, threading.current_thread().name))
            yield item
    finally:
        log.append(("closed",))


def test_every_item_in_order_made_in_another_thread():
    log = []
    assert list(read_ahead(_made(range(7), log))) == list(range(7))
    assert {name for _, _, name in log[:-1]} == {"read-ahead"}
    assert log[-1] == ("closed",)


def test_an_error_making_an_item_is_raised_in_the_reader_after_the_items_before_it():
    def failing():
        yield 1
        raise RuntimeError("the server closed the connection")

    read = []
    with pytest.raises(RuntimeError, match="closed the connection"):
        for item in read_ahead(failing()):
            read.append(item)
    assert read == [1]


def test_a_reader_that_stops_early_stops_the_thread_and_closes_the_source():
    log = []
    reader = read_ahead(_made(range(1000), log))
    assert [next(reader), next(reader)] == [0, 1]
    reader.close()
    assert log[-1] == ("closed",)
    assert len(log) < 10  # stopped, not run to the end
    assert not [t for t in threading.enumerate() if t.name == "read-ahead"]
