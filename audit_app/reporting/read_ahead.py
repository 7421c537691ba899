"""Reading the next batch of an export while the last one is written: the database's work and ours overlap."""

import queue
import threading
from contextlib import suppress

_END = object()


def read_ahead(items):
    """The items of the generator `items`, each next one made in a thread of its own while the caller works on
    this one. At most one item waits, so memory stays flat. An error making an item is raised here, in the
    caller; closing this generator early (a client that goes away) stops the thread, which closes `items`.
    `items` must need nothing of the caller's thread (no request or application context)."""
    ready = queue.Queue(maxsize=1)
    stop = threading.Event()

    def make():
        try:
            for item in items:
                if stop.is_set():
                    break
                ready.put((item, None))
            ready.put((_END, None))
        except Exception as error:  # handed over whole, raised in the caller's thread
            ready.put((_END, error))
        finally:
            items.close()

    thread = threading.Thread(target=make, name="read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item, error = ready.get()
            if error is not None:
                raise error
            if item is _END:
                return
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # take what it made, so it is never left waiting to hand it over
            with suppress(queue.Empty):
                ready.get(timeout=0.05)
