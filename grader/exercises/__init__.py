"""The exercises, one folder each: ``<name>/__init__.py`` holds its catalog entry (``EXERCISE``: title,
track, functions, hints), ``<name>/suite.py`` its hidden suite, and ``<name>/picture.py``, where there
is one, the picture of a failing example. ``pack.json`` lists them in the order every list shows.
The learner's stub and the reference stay at the top of the repository (``exercises/<name>.py``,
``solutions/<name>.py``), where learners and authors edit them."""
