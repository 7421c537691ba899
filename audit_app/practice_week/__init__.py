"""Practice weeks: schedule, observations on a tablet, quick wins and the week's summary."""
from . import demo  # noqa: F401  (registers the demo seeder)
