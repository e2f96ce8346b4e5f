"""prensa-red: Spanish municipal press releases → who works with whom on GBV prevention."""

import logging

logging.getLogger(__name__).addHandler(logging.NullHandler())

__version__ = "0.1.0"
