"""tlcourse: the helpers behind the transfer-learning course notebooks."""

__version__ = "0.1.0"
