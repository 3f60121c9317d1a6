"""HelpMenu: a self-hosted help widget and the backend that serves it."""

__version__ = "0.1.0"
