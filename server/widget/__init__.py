"""Serving the embeddable widget: the loader, the panel page, its assets and the session exchange."""
