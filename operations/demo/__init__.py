"""The demo story: two and a half years of the programme's tracking, told through the services
on a developer's machine so that every count, chart and queue has something to show.

`demo_story_load()` is what `manage.py load_demo_story` (and so `make run`) calls. The story
itself, a chronological list of dated steps, is in `story.py`; how it is told (the clock set to
each step's date, one transaction per step, the people who act) is in `telling.py`.
"""

from .story import demo_story_load
from .telling import DemoStoryOutcome, DemoStoryRefused, Outcome, demo_story_refusal

__all__ = [
    "DemoStoryOutcome",
    "DemoStoryRefused",
    "Outcome",
    "demo_story_load",
    "demo_story_refusal",
]
